#include "hall/upstream.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <random>

#include "hall/http_client.h"
#include "hall/sqlite_stmt.h"
#include "shared/client.h"
#include "shared/clock.h"

namespace hall {

namespace {

// A retry answer that another try may change: no answer at all, 408, 429, 5xx.
bool worth_retrying(long status) { return status == 0 || status == 408 || status == 429 || status >= 500; }

}  // namespace

Upstream::Upstream(const UpstreamConfig& config, std::string hall_id, std::string db_path, std::string commands, CurveKeys keys)
    : config_(config), hall_id_(std::move(hall_id)), db_path_(std::move(db_path)), commands_(std::move(commands)), keys_(std::move(keys)) {
  if (sqlite3_open_v2(db_path_.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
    throw std::runtime_error("upstream: cannot open database " + db_path_);
  sqlite3_busy_timeout(db_, 5000);
  Stmt cursor(db_, "SELECT value FROM meta WHERE name = 'cases_cursor'");
  if (cursor.row()) cursor_ = cursor.col_text(0);
  count();
}

Upstream::~Upstream() {
  stop();
  sqlite3_close(db_);
}

void Upstream::start() {
  if (!config_.ratings_url.empty()) push_ = std::thread([this] { push_loop(); });
  if (!config_.cases_url.empty()) pull_ = std::thread([this] { pull_loop(); });
}

void Upstream::stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (push_.joinable()) push_.join();
  if (pull_.joinable()) pull_.join();
}

void Upstream::poke() {
  {
    std::lock_guard lock(mutex_);
    poked_ = true;
  }
  wake_.notify_all();
}

UpstreamStatus Upstream::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

void Upstream::count() {
  Stmt q(db_, "SELECT state, count(*) FROM upstream GROUP BY state");
  UpstreamStatus c;
  while (q.row()) {
    std::string state = q.col_text(0);
    (state == "pending" ? c.pending : state == "failed" ? c.failed : c.sent) = q.col_num(1);
  }
  std::lock_guard lock(mutex_);
  status_.pending = c.pending, status_.failed = c.failed, status_.sent = c.sent;
}

bool Upstream::push_due() {
  struct Due {
    std::string key, kind, body;
    int attempts;
  };
  std::vector<Due> due;
  {
    Stmt q(db_, "SELECT key, kind, body, attempts FROM upstream WHERE state = 'pending' AND next_ms <= ?1 ORDER BY created_ms LIMIT 20");
    q.num(1, wall_ms());
    while (q.row()) due.push_back({q.col_text(0), q.col_text(1), q.col_text(2), int(q.col_num(3))});
  }
  thread_local std::mt19937_64 rng{std::random_device{}()};
  for (const auto& d : due) {
    {
      std::lock_guard lock(mutex_);
      if (stop_) return false;
    }
    json body{{"v", 1}, {"key", d.key}, {"hall", hall_id_}, {"kind", d.kind}, {"record", json::parse(d.body, nullptr, false)}};
    HttpResult r = http_request("POST", config_.ratings_url, body.dump(),
                                {"Content-Type: application/json", "Authorization: Bearer " + config_.token, "Idempotency-Key: " + d.key},
                                config_.timeout_ms, config_.ca_file);
    // Acknowledged means a 2xx whose body is our JSON {"ok": true}; a proxy's
    // HTML page with 200 is not an acknowledgement.
    json ack = json::parse(r.body, nullptr, false);
    bool acked = r.ok() && ack.is_object() && ack.value("ok", false) == true;
    std::string error = acked ? "" : r.status == 0 ? r.error : "HTTP " + std::to_string(r.status) + (r.ok() ? " without {\"ok\": true}" : "");
    int64_t now = wall_ms();
    if (acked) {
      Stmt(db_, "UPDATE upstream SET state = 'sent', sent_ms = ?2, attempts = attempts + 1, last_error = '' WHERE key = ?1").text(1, d.key).num(2, now).run();
    } else if (!r.ok() && !worth_retrying(r.status)) {
      // 4xx: the platform refuses this record as it is; retrying cannot help. Kept as failed for a person to look at.
      Stmt(db_, "UPDATE upstream SET state = 'failed', attempts = attempts + 1, last_error = ?2 WHERE key = ?1").text(1, d.key).text(2, error).run();
      std::fprintf(stderr, "hall-server: upstream refused %s for good: %s\n", d.key.c_str(), error.c_str());
    } else {
      // Exponential backoff with full jitter: many halls recovering together do not knock in step.
      int64_t cap = std::min<int64_t>(config_.retry_max_ms, int64_t(config_.retry_min_ms) << std::min(d.attempts, 20));
      int64_t wait = config_.retry_min_ms / 2 + int64_t(std::uniform_int_distribution<int64_t>(0, std::max<int64_t>(cap, 1))(rng));
      Stmt(db_, "UPDATE upstream SET attempts = attempts + 1, next_ms = ?2, last_error = ?3 WHERE key = ?1")
          .text(1, d.key).num(2, now + wait).text(3, error).run();
    }
    std::lock_guard lock(mutex_);
    ++status_.attempts;
    if (acked) status_.last_success_ms = now;
    else ++status_.errors, status_.last_error = error;
  }
  if (!due.empty()) count();
  return !due.empty();
}

void Upstream::push_loop() {
  while (true) {
    bool sent = push_due();
    int64_t next = 0;
    {
      Stmt q(db_, "SELECT min(next_ms) FROM upstream WHERE state = 'pending'");
      if (q.row() && sqlite3_column_type(q.s, 0) != SQLITE_NULL) next = q.col_num(0);
    }
    std::unique_lock lock(mutex_);
    if (stop_) return;
    if (sent && next <= wall_ms()) continue;
    int64_t wait_ms = next ? std::clamp<int64_t>(next - wall_ms(), 1, 1000) : 1000;
    wake_.wait_for(lock, std::chrono::milliseconds(wait_ms), [&] { return stop_ || poked_; });
    poked_ = false;
    if (stop_) return;
  }
}

// One poll: {"cursor": "...", "cases": [{number, item, applicant, accepted_day, steps: [{name, day}], finished_day}]}.
void Upstream::pull_once() {
  std::string url = config_.cases_url + (config_.cases_url.find('?') == std::string::npos ? "?" : "&") + "hall=" + hall_id_ +
                    "&since=" + cursor_;
  HttpResult r = http_request("GET", url, "", {"Accept: application/json", "Authorization: Bearer " + config_.token},
                              config_.timeout_ms, config_.ca_file);
  json page = json::parse(r.body, nullptr, false);
  bool good = r.ok() && page.is_object() && page.contains("cases") && page["cases"].is_array();
  {
    std::lock_guard lock(mutex_);
    ++status_.polls;
    if (!good) {
      ++status_.poll_errors;
      status_.last_error = r.status == 0 ? r.error : "case poll: HTTP " + std::to_string(r.status) + (r.ok() ? " with an answer not in our format" : "");
      return;
    }
  }
  HallClient client(commands_, ClientOptions{config_.timeout_ms, 2, keys_});
  int applied = 0;
  bool all_applied = true;
  for (const auto& c : page["cases"]) {
    if (!c.is_object() || !c.contains("number") || !c["number"].is_string()) continue;  // not a case: skipped, named in the log
    std::string number = c["number"];
    auto call = [&](const std::string& cmd, json args, const std::string& key) {
      Reply rep = client.call(cmd, std::move(args), "pull:" + key);
      // Refusals that mean "already so" are fine; a timeout means try the page again.
      if (rep.code == err::kTimeout) all_applied = false;
      return rep.ok;
    };
    json accept{{"number", number}, {"item", c.value("item", "")}, {"applicant", c.value("applicant", "")}};
    if (c.contains("accepted_day")) accept["accepted_day"] = c["accepted_day"];
    applied += call("accept_case", accept, "accept:" + number);
    for (const auto& step : c.value("steps", json::array()))
      if (step.is_object() && step.value("name", "") != "办结" && step.value("name", "") != "受理")
        applied += call("advance_case", {{"number", number}, {"step", step.value("name", "")}}, "step:" + number + ":" + step.value("name", ""));
    if (!c.value("finished_day", "").empty()) applied += call("finish_case", {{"number", number}}, "finish:" + number);
  }
  if (all_applied && page.contains("cursor") && page["cursor"].is_string()) {
    cursor_ = page["cursor"];
    Stmt(db_, "INSERT INTO meta(name, value) VALUES('cases_cursor', ?1) ON CONFLICT(name) DO UPDATE SET value = excluded.value").text(1, cursor_).run();
  }
  std::lock_guard lock(mutex_);
  status_.last_poll_ok_ms = wall_ms();
  status_.cases_applied += applied;
}

void Upstream::pull_loop() {
  while (true) {
    pull_once();
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, std::chrono::seconds(config_.poll_seconds), [&] { return stop_; });
    if (stop_) return;
  }
}

}  // namespace hall
