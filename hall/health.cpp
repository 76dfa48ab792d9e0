#include "hall/health.h"

#include <httplib.h>

#include <sstream>

#include "shared/clock.h"

namespace hall {

namespace {

std::string label(const std::string& v) {  // a Prometheus label value, escaped
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') { out += "\\n"; continue; }
    out += c;
  }
  return out;
}

}  // namespace

std::string metrics_text(const HealthFigures& f, int64_t now_ms) {
  std::ostringstream o;
  auto family = [&](const char* name, const char* type, const char* help) {
    o << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
  };
  family("hall_up", "gauge", "1 while the hall server loop turns and its storage works.");
  o << "hall_up{hall=\"" << label(f.hall_id) << "\"} " << (f.storage_ok && now_ms - f.loop_ms < 5000 ? 1 : 0) << '\n';
  family("hall_seq", "gauge", "Sequence number of the last committed change.");
  o << "hall_seq " << f.seq << '\n';
  family("hall_uptime_seconds", "gauge", "Seconds since the hall server started.");
  o << "hall_uptime_seconds " << (now_ms - f.started_ms) / 1000 << '\n';
  family("hall_waiting_tickets", "gauge", "Tickets waiting, by service category.");
  for (const auto& [code, n] : f.waiting) o << "hall_waiting_tickets{category=\"" << label(code) << "\"} " << n << '\n';
  family("hall_windows_open", "gauge", "Windows open now.");
  o << "hall_windows_open " << f.windows_open << '\n';
  family("hall_devices", "gauge", "Screen programs that reported to the hall (report_device).");
  o << "hall_devices " << f.devices << '\n';
  family("hall_devices_silent", "gauge", "Of them, silent now (not heard for devices.silent_after_s); hall_device_silent names each.");
  o << "hall_devices_silent " << f.devices_silent << '\n';
  family("hall_device_silent", "gauge", "1 for each silent screen program.");
  for (const auto& id : f.silent_devices) o << "hall_device_silent{device=\"" << label(id) << "\"} 1\n";
  family("hall_subscribers", "gauge", "Subscriptions on the updates socket (screens, kiosks, consoles).");
  o << "hall_subscribers " << f.subscribers << '\n';
  family("hall_snapshots_served_total", "counter", "Snapshots served to clients joining or resyncing (relays keep this low).");
  o << "hall_snapshots_served_total " << f.snapshots << '\n';
  family("hall_commands_total", "counter", "Commands answered, by outcome.");
  o << "hall_commands_total{outcome=\"ok\"} " << f.commands_ok << '\n';
  o << "hall_commands_total{outcome=\"refused\"} " << f.commands_refused << '\n';
  family("hall_storage_failures_total", "counter", "Batches whose commit failed (disk full, I/O error).");
  o << "hall_storage_failures_total " << f.storage_failures << '\n';
  family("hall_command_seconds", "histogram", "Time from receiving a command to sending its reply (after commit).");
  int64_t cumulative = 0;
  for (size_t i = 0; i < f.latency.size(); ++i) {
    cumulative += f.latency[i];
    o << "hall_command_seconds_bucket{le=\"";
    if (i < HealthFigures::kBuckets.size()) o << HealthFigures::kBuckets[i];
    else o << "+Inf";
    o << "\"} " << cumulative << '\n';
  }
  o << "hall_command_seconds_sum " << f.latency_sum_s << '\n';
  o << "hall_command_seconds_count " << cumulative << '\n';
  family("hall_upstream_enabled", "gauge", "1 when ratings are pushed to the provincial platform.");
  o << "hall_upstream_enabled " << (f.upstream_on ? 1 : 0) << '\n';
  family("hall_upstream_records", "gauge", "Records for the provincial platform, by state.");
  o << "hall_upstream_records{state=\"pending\"} " << f.upstream.pending << '\n';
  o << "hall_upstream_records{state=\"failed\"} " << f.upstream.failed << '\n';
  o << "hall_upstream_records{state=\"sent\"} " << f.upstream.sent << '\n';
  family("hall_upstream_last_success_timestamp_seconds", "gauge", "When the platform last acknowledged a record (0 = never).");
  o << "hall_upstream_last_success_timestamp_seconds " << f.upstream.last_success_ms / 1000 << '\n';
  family("hall_upstream_requests_total", "counter", "Requests to the platform, by outcome.");
  o << "hall_upstream_requests_total{outcome=\"ok\"} " << f.upstream.attempts - f.upstream.errors << '\n';
  o << "hall_upstream_requests_total{outcome=\"error\"} " << f.upstream.errors << '\n';
  family("hall_case_polls_total", "counter", "Polls of the approval system, by outcome.");
  o << "hall_case_polls_total{outcome=\"ok\"} " << f.upstream.polls - f.upstream.poll_errors << '\n';
  o << "hall_case_polls_total{outcome=\"error\"} " << f.upstream.poll_errors << '\n';
  family("hall_case_poll_last_success_timestamp_seconds", "gauge", "When a case poll last worked (0 = never).");
  o << "hall_case_poll_last_success_timestamp_seconds " << f.upstream.last_poll_ok_ms / 1000 << '\n';
  return o.str();
}

HealthServer::HealthServer(const std::string& listen, std::function<HealthFigures()> figures) : http_(std::make_unique<httplib::Server>()) {
  auto colon = listen.rfind(':');
  std::string host = listen.substr(0, colon);
  int port = std::atoi(listen.c_str() + colon + 1);
  http_->Get("/healthz", [figures](const httplib::Request&, httplib::Response& res) {
    HealthFigures f = figures();
    int64_t now = wall_ms();
    bool loop_alive = now - f.loop_ms < 5000;
    json body{{"status", loop_alive && f.storage_ok ? "ok" : "failing"}, {"hall", f.hall_id}, {"seq", f.seq},
              {"loop_alive", loop_alive}, {"storage_ok", f.storage_ok}, {"upstream_pending", f.upstream.pending},
              {"upstream_failed", f.upstream.failed}};
    res.status = loop_alive && f.storage_ok ? 200 : 503;
    res.set_content(body.dump() + "\n", "application/json");
  });
  http_->Get("/metrics", [figures](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics_text(figures(), wall_ms()), "text/plain; version=0.0.4");
  });
  if (!http_->bind_to_port(host.c_str(), port)) throw std::runtime_error("http: cannot listen on " + listen);
  thread_ = std::thread([this] { http_->listen_after_bind(); });
}

HealthServer::~HealthServer() {
  http_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace hall
