#include "gateway/gateway.h"

#include <httplib.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "gateway/web.h"
#include "shared/config.h"
#include "shared/ticket_token.h"

namespace hall {

using nlohmann::json;
using web::answer;
using web::guard;
using web::host_port;
using web::read_whole;


Gateway::Gateway(GatewayOptions o)
    : o_(std::move(o)),
      mirror_(o_.commands, o_.updates, MirrorOptions{kStaleAfterMs, 2000, o_.curve}),
      client_(o_.commands, ClientOptions{2000, 2, o_.curve}),
      public_(std::make_unique<httplib::Server>()),
      staff_(std::make_unique<httplib::Server>()),
      users_(o_.users) {
  if (o_.assets.empty()) o_.assets = assets_dir();
  ticket_page_ = read_whole(o_.assets + "/web/ticket.html");
  console_page_ = read_whole(o_.assets + "/web/console.html");
  hall_page_ = read_whole(o_.assets + "/web/hall.html");
  booking_page_ = read_whole(o_.assets + "/web/booking.html");
  for (const char* lang : {"zh-CN", "en"}) {
    const std::string path = o_.assets + "/web/strings/report." + lang + ".json";
    report_words_[lang] = nlohmann::json::parse(read_whole(path), nullptr, false);
    if (!report_words_[lang].is_object()) throw ConfigError(path + ": is not a JSON object of words");
  }
  mirror_.on_change([this](const MirrorChange&) { hall_changed(); });
  routes();
  remote_routes();
  console_routes();
}

Gateway::~Gateway() {
  stop();
  mirror_.stop();
}

void Gateway::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  public_->stop();
  staff_->stop();
}

std::string Gateway::resolve(const std::string& token, std::string& error) {
  if (!looks_like_token(token)) {
    error = "not_a_link";
    return "";
  }
  {
    std::lock_guard lock(mutex_);
    if (auto it = tokens_.find(token); it != tokens_.end()) return it->second;
    if (refused_.count(token)) {
      error = "unknown";
      return "";
    }
  }
  Reply r = client_.call("ticket_by_token", {{"token", token}});
  std::lock_guard lock(mutex_);
  if (r.ok) return tokens_[token] = r.result.at("ticket").get<std::string>();
  if (r.code == err::kUnknownToken) {
    if (refused_.size() >= 10000) refused_.clear();  // bounded: a flood of guesses costs a few hundred KB at most
    refused_.insert(token);
    error = "unknown";
  } else {
    error = "hall_unreachable";
  }
  return "";
}

namespace {
json page_of(const HallState& s, const QueueDigest& digest, const std::string& key, bool stale) {
  TicketProgress p = ticket_progress(s, digest, key);
  if (!p.found || p.day != s.hall.day) return nullptr;  // archived, or of another day: the link has ended
  return json{{"hall", s.hall.name},         {"number", p.number},  {"day", p.day},
              {"category", p.category_name}, {"item", p.item_name}, {"state", p.state},
              {"window", p.window},          {"ahead", p.ahead},    {"estimated_wait_ms", p.estimated_wait_ms},
              {"recalls", p.recalls},        {"rated", p.rated},    {"stale", stale}};
}
}  // namespace

// Once per change of the hall, whatever the number of phones: the queue
// digest, then the page of each ticket someone watches; the streams only
// compare strings, without the mirror's lock.
void Gateway::hall_changed() {
  std::vector<std::string> keys;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [key, n] : watched_) keys.push_back(key);
  }
  const bool stale = mirror_.stale();
  auto views = std::make_shared<Views>();
  auto digest = std::make_shared<const QueueDigest>(mirror_.read([&](const HallState& s) {
    QueueDigest d = digest_queues(s);
    for (const std::string& key : keys) {
      json page = page_of(s, d, key, stale);
      (*views)[key] = page.is_null() ? "" : page.dump();
    }
    return d;
  }));
  {
    std::lock_guard lock(mutex_);
    digest_ = std::move(digest);
    views_ = std::move(views);
    ++version_;
  }
  changed_.notify_all();
}

json Gateway::ticket_json(const std::string& key) {
  std::shared_ptr<const QueueDigest> digest;
  {
    std::lock_guard lock(mutex_);
    digest = digest_;
  }
  if (!digest) return nullptr;
  const bool stale = mirror_.stale();
  return mirror_.read([&](const HallState& s) { return page_of(s, *digest, key, stale); });
}

void Gateway::routes() {
  httplib::Server& web = *public_;
  const int threads = o_.threads;
  web.new_task_queue = [threads] { return new httplib::ThreadPool(size_t(threads)); };
  web.set_mount_point("/web", o_.assets + "/web");
  web.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.has_header("Content-Security-Policy")) guard(res);
  });
  web.Get(R"(/t/([0-9a-zA-Z]{1,64}))", [this](const httplib::Request&, httplib::Response& res) {
    guard(res);
    res.set_content(ticket_page_, "text/html; charset=utf-8");  // the page asks the API for its ticket
  });
  // One ticket, as its own link names it.
  web.Get(R"(/api/ticket/([0-9a-zA-Z]{1,64}))", [this](const httplib::Request& req, httplib::Response& res) {
    std::string error;
    const std::string key = resolve(req.matches[1], error);
    if (key.empty()) return answer(res, error == "hall_unreachable" ? 503 : 404, {{"error", error}});
    json t = ticket_json(key);
    if (t.is_null()) return answer(res, mirror_.synced() ? 410 : 503, {{"error", mirror_.synced() ? "ended" : "hall_unreachable"}});
    answer(res, 200, t);
  });
  // The same, live: an event each time it changes, a comment now and then so proxies keep the line.
  web.Get(R"(/api/ticket/([0-9a-zA-Z]{1,64})/events)", [this](const httplib::Request& req, httplib::Response& res) {
    std::string error;
    const std::string key = resolve(req.matches[1], error);
    if (key.empty()) return answer(res, error == "hall_unreachable" ? 503 : 404, {{"error", error}});
    guard(res);
    res.set_header("X-Accel-Buffering", "no");
    ++streams_;
    {
      std::lock_guard lock(mutex_);
      ++watched_[key];
    }
    auto seen = std::make_shared<uint64_t>(UINT64_MAX);
    auto last = std::make_shared<std::string>();
    res.set_chunked_content_provider(
        "text/event-stream",
        [this, key, seen, last](size_t, httplib::DataSink& sink) {
          std::unique_lock lock(mutex_);
          const bool moved =
              changed_.wait_for(lock, std::chrono::seconds(o_.keepalive_s), [&] { return stopping_ || version_ != *seen; });
          if (stopping_) return false;
          if (!moved) {
            lock.unlock();
            static const std::string ping = ": still here\n\n";
            return sink.write(ping.data(), ping.size());
          }
          *seen = version_;
          std::shared_ptr<const Views> views = views_;
          lock.unlock();
          std::string page;
          if (auto it = views ? views->find(key) : Views::const_iterator(); views && it != views->end()) {
            page = it->second;
          } else {  // watched since the last change: its page is made here once
            json t = ticket_json(key);
            page = t.is_null() ? "" : t.dump();
          }
          if (page == *last) return true;  // the hall changed, this ticket did not
          *last = page;
          const std::string event = page.empty() ? "event: ended\ndata: {\"error\":\"ended\"}\n\n" : "event: ticket\ndata: " + page + "\n\n";
          return sink.write(event.data(), event.size());
        },
        [this, key](bool) {
          --streams_;
          std::lock_guard lock(mutex_);
          if (--watched_[key] <= 0) watched_.erase(key);
        });
  });
  // A finished visit rated from the phone (channel web), once: the idempotency
  // key is the link's, so a second tap gets the first answer, and the hall
  // refuses a visit rated at the window (一次一评). JSON only: a cross-site
  // form cannot send it.
  web.Post(R"(/api/ticket/([0-9a-zA-Z]{1,64})/rate)", [this](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Content-Type").rfind("application/json", 0) != 0)
      return answer(res, 415, {{"error", "json_only"}});
    std::string error;
    const std::string token = req.matches[1];
    const std::string key = resolve(token, error);
    if (key.empty()) return answer(res, error == "hall_unreachable" ? 503 : 404, {{"error", error}});
    json body = json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("level") || !body["level"].is_number_integer() || body["level"] < 1 || body["level"] > 5)
      return answer(res, 400, {{"error", "level"}});
    json args{{"ticket", key}, {"level", body["level"]}, {"channel", "web"}};
    if (body.contains("reasons")) args["reasons"] = body["reasons"];
    Reply r = client_.call("rate", args, "web-rate-" + token);
    if (r.ok) return answer(res, 200, {{"rated", true}});
    const int status = r.code == err::kAlreadyRated || r.code == err::kNotRatable ? 409
                       : r.code == err::kInvalidArgument                         ? 400
                       : r.code == err::kTimeout                                 ? 503
                                                                                 : 422;
    answer(res, status, {{"error", r.code}});
  });
  web.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    const bool ok = mirror_.synced() && !mirror_.stale();
    answer(res, ok ? 200 : 503, {{"ok", ok}, {"seq", mirror_.seq()}, {"streams", streams_.load()}});
  });
}

void Gateway::run() {
  auto [host, port] = host_port(o_.public_listen);
  if (!public_->bind_to_port(host, port)) throw ConfigError("cannot listen on " + o_.public_listen + " (in use, or not an address of this machine)");
  std::thread staff;
  if (!o_.staff_listen.empty()) {
    auto [staff_host, staff_port] = host_port(o_.staff_listen);
    if (!staff_->bind_to_port(staff_host, staff_port))
      throw ConfigError("cannot listen on " + o_.staff_listen + " for the console (--staff; in use, or not an address of this machine)");
    staff = std::thread([this] { staff_->listen_after_bind(); });
  }
  mirror_.start();
  if (users_.list().empty() && !o_.staff_listen.empty())
    std::fprintf(stderr, "hall-gateway: the console has no users yet: hall-gateway add-user --users FILE NAME manager\n");
  std::printf("ready http://%s (phones)%s mirroring %s\n", o_.public_listen.c_str(),
              o_.staff_listen.empty() ? "" : (" http://" + o_.staff_listen + "/console (staff)").c_str(), o_.updates.c_str());
  std::fflush(stdout);
  public_->listen_after_bind();
  staff_->stop();
  if (staff.joinable()) staff.join();
}

}  // namespace hall
