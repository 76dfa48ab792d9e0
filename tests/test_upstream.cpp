// The hall server and the province: ratings and follow-ups pushed to a
// 好差评 platform, case status pulled from an approval system, /healthz and
// /metrics. The platforms are stood in for by a real HTTP server on
// 127.0.0.1 (cpp-httplib) that is down, slow, failing and garbled in turn.
#include <doctest/doctest.h>

#include <httplib.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "hall/health.h"
#include "shared/client.h"
#include "tests/support.h"

using namespace hall;

namespace {

enum class Mode { Fail500, Slow, Garbage, Ok };

// The provincial platform, as our docs/UPSTREAM.md says it behaves.
struct Platform {
  int port = test::free_port();
  std::atomic<Mode> mode{Mode::Fail500};
  int slow_ms = 0;
  std::mutex mutex;
  struct Request {
    std::string key, body, auth;
    Mode mode;
  };
  std::vector<Request> requests;
  std::map<std::string, json> stored;  // idempotency key → the record, as the platform keeps it (duplicates dropped)
  json cases_pages = json::array();    // what GET /cases answers, page by page (by cursor)
  std::atomic<int> garbled_polls{0};   // the first polls answered with garbage
  std::vector<std::string> case_queries;
  httplib::Server http;
  std::thread thread;

  void start() {
    http.Post("/ratings", [this](const httplib::Request& req, httplib::Response& res) {
      Mode m = mode;
      json body = json::parse(req.body, nullptr, false);
      {
        std::lock_guard lock(mutex);
        requests.push_back({req.get_header_value("Idempotency-Key"), req.body, req.get_header_value("Authorization"), m});
        if (m != Mode::Fail500 && body.is_object() && body["record"].value("comment", "") == "reject-me") {
          res.status = 422;  // a record the platform will never take as it is
          res.set_content(R"({"ok":false,"error":"comment rejected"})", "application/json");
          return;
        }
        if (m != Mode::Fail500) stored.emplace(req.get_header_value("Idempotency-Key"), body);  // a slow answer was still taken
      }
      if (m == Mode::Fail500) res.status = 500, res.set_content("internal error", "text/plain");
      else if (m == Mode::Garbage) res.set_content("<html>gateway</html>", "text/html");
      else {
        if (m == Mode::Slow) std::this_thread::sleep_for(std::chrono::milliseconds(slow_ms));  // the platform being slow is the test
        res.set_content(R"({"ok":true})", "application/json");
      }
    });
    http.Get("/cases", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex);
      std::string since = req.get_param_value("since");
      case_queries.push_back(since);
      if (req.get_header_value("Authorization") != "Bearer t0ken") return void(res.status = 401);
      if (garbled_polls > 0) return --garbled_polls, res.set_content("{\"cases\": [tru", "application/json");
      for (const auto& page : cases_pages)
        if (page.value("after", "") == since) return res.set_content(page["body"].dump(), "application/json");
      res.set_content(json{{"cursor", since}, {"cases", json::array()}}.dump(), "application/json");
    });
    REQUIRE(http.bind_to_port("127.0.0.1", port));
    thread = std::thread([this] { http.listen_after_bind(); });
  }
  ~Platform() {
    http.stop();
    if (thread.joinable()) thread.join();
  }
  size_t count(Mode m) {
    std::lock_guard lock(mutex);
    size_t n = 0;
    for (const auto& r : requests) n += r.mode == m;
    return n;
  }
};

json upstream_config(int platform_port, int http_port) {
  json c = test::test_hall_config("", 0, 0);
  c["upstream"] = {{"ratings_url", "http://127.0.0.1:" + std::to_string(platform_port) + "/ratings"},
                   {"cases_url", "http://127.0.0.1:" + std::to_string(platform_port) + "/cases"},
                   {"token", "t0ken"}, {"timeout_ms", 300}, {"retry_min_ms", 20}, {"retry_max_ms", 200}, {"poll_seconds", 1}};
  c["http"] = "127.0.0.1:" + std::to_string(http_port);
  return c;
}

json healthz(httplib::Client& ops) {
  auto r = ops.Get("/healthz");
  return r ? json::parse(r->body, nullptr, false) : json();
}

}  // namespace

TEST_CASE("ratings and follow-ups reach the platform through down slow failing and garbled answers: none lost none stored twice") {
  Platform platform;
  int ops_port = test::free_port();
  std::string dir = test::temp_dir("upstream");
  test::ServerProcess server(dir, {"--start", "2026-11-23T10:00"}, upstream_config(platform.port, ops_port));
  HallClient client(server.commands());
  httplib::Client ops("127.0.0.1", ops_port);
  REQUIRE(client.call("open_window", {{"window", 1}, {"staff", "S1"}}).ok);
  // The platform is down (nothing listens on its port): the hall goes on.
  std::set<std::string> expected;
  std::string bad;  // the 差评's rating key
  for (int i = 0; i < 4; ++i) {
    REQUIRE(client.call("take_ticket", {{"category", "company"}}).ok);
    json t = client.call("call_next", {{"window", 1}}).result["ticket"];
    REQUIRE(client.call("finish", {{"window", 1}}).ok);
    json args{{"ticket", t["key"]}, {"level", i == 0 ? 1 : 5}};
    if (i == 3) args["comment"] = "reject-me";
    REQUIRE(client.call("rate", args).ok);
    if (i != 3) expected.insert("rating:T/" + t["key"].get<std::string>());
    if (i == 0) bad = "T/" + t["key"].get<std::string>();
  }
  expected.insert("followup:" + bad + ":1");                         // opened
  REQUIRE(client.call("advance_followup", {{"rating", bad}, {"note", "已回访"}}).ok);
  expected.insert("followup:" + bad + ":2");                         // called back
  REQUIRE(test::eventually([&] { return healthz(ops).value("upstream_pending", 0) == 6; }, 5000));
  CHECK(healthz(ops)["status"] == "ok");                             // the hall is healthy; the province is away
  // Up but failing, then slow past the timeout, then garbled: nothing is acknowledged.
  platform.start();
  REQUIRE(test::eventually([&] { return platform.count(Mode::Fail500) >= 6; }, 10000));
  platform.slow_ms = 600;
  platform.mode = Mode::Slow;
  REQUIRE(test::eventually([&] { return platform.count(Mode::Slow) >= 3; }, 10000));
  CHECK(client.call("take_ticket", {{"category", "tax"}}).ok);      // the hall keeps working meanwhile
  platform.mode = Mode::Garbage;
  REQUIRE(test::eventually([&] { return platform.count(Mode::Garbage) >= 3; }, 10000));
  CHECK(healthz(ops).value("upstream_pending", 0) + healthz(ops).value("upstream_failed", 0) >= 6);
  // Recovered: everything arrives; the one the platform refuses (422) is kept as failed.
  platform.mode = Mode::Ok;
  REQUIRE(test::eventually([&] { return healthz(ops).value("upstream_pending", -1) == 0; }, 15000));
  CHECK(healthz(ops)["upstream_failed"] == 1);
  std::lock_guard lock(platform.mutex);
  std::set<std::string> stored;
  for (const auto& [key, body] : platform.stored) stored.insert(key);
  CHECK(stored == expected);
  std::map<std::string, std::string> body_of;
  std::map<std::string, int> ok_sends;
  for (const auto& r : platform.requests) {
    CHECK(r.auth == "Bearer t0ken");
    auto [it, fresh] = body_of.emplace(r.key, r.body);
    CHECK(it->second == r.body);                                     // a key always carries the same record
    if (r.mode == Mode::Ok) ++ok_sends[r.key];
  }
  for (const auto& [key, n] : ok_sends) {
    INFO(key);
    CHECK(n == 1);                                                   // acknowledged once, never sent again
  }
  auto metrics = ops.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->body.find("hall_upstream_records{state=\"failed\"} 1") != std::string::npos);
  CHECK(metrics->body.find("hall_upstream_records{state=\"pending\"} 0") != std::string::npos);
  CHECK(metrics->body.find("hall_upstream_last_success_timestamp_seconds 0\n") == std::string::npos);
}

TEST_CASE("the records survive a hall server crash before the platform is reached") {
  Platform platform;
  std::string dir = test::temp_dir("upstream-crash");
  int ops_port = test::free_port();
  test::ServerProcess server(dir, {"--start", "2026-11-23T10:00"}, upstream_config(platform.port, ops_port));
  HallClient client(server.commands());
  REQUIRE(client.call("open_window", {{"window", 1}}).ok);
  REQUIRE(client.call("take_ticket", {{"category", "company"}}).ok);
  json t = client.call("call_next", {{"window", 1}}).result["ticket"];
  REQUIRE(client.call("finish", {{"window", 1}}).ok);
  REQUIRE(client.call("rate", {{"ticket", t["key"]}, {"level", 4}}).ok);  // acknowledged: durable, with its record
  server.kill9();
  platform.mode = Mode::Ok;
  platform.start();
  server.start();
  REQUIRE(test::eventually([&] {
    std::lock_guard lock(platform.mutex);
    return platform.stored.count("rating:T/" + t["key"].get<std::string>()) == 1;
  }, 10000));
}

TEST_CASE("case status pulled from the approval system updates cases and the approval figures") {
  Platform platform;
  platform.cases_pages = json::array({
      {{"after", ""}, {"body", {{"cursor", "c1"}, {"cases", json::array({
          {{"number", "202611200901"}, {"item", "BDC002"}, {"applicant", "李小四"}, {"accepted_day", "2026-11-20"},
           {"steps", json::array({{{"name", "受理"}, {"day", "2026-11-20"}}, {{"name", "审查"}, {"day", "2026-11-21"}}})}},
          {{"not", "a case"}}})}}}},
      {{"after", "c1"}, {"body", {{"cursor", "c2"}, {"cases", json::array({
          {{"number", "202611200901"}, {"item", "BDC002"}, {"accepted_day", "2026-11-20"}, {"finished_day", "2026-11-23"},
           {"steps", json::array({{{"name", "受理"}}, {{"name", "审查"}}, {{"name", "决定"}}, {{"name", "办结"}}})}}})}}}}});
  platform.mode = Mode::Ok;
  platform.garbled_polls = 2;  // the approval system starts garbled: nothing applied, the cursor stays
  platform.start();
  std::string dir = test::temp_dir("cases");
  int ops_port = test::free_port();
  test::ServerProcess server(dir, {"--start", "2026-11-23T10:00"}, upstream_config(platform.port, ops_port));
  HallClient client(server.commands());
  json c;
  REQUIRE(test::eventually([&] {
    c = client.call("lookup_case", {{"number", "202611200901"}}).result;
    return c.is_object() && c["case"].value("state", "") == "finished";
  }, 10000));
  CHECK(c["case"]["applicant"] == "李*四");
  CHECK(c["case"]["accepted_day"] == "2026-11-20");
  std::vector<std::string> steps;
  for (const auto& s : c["case"]["steps"]) steps.push_back(s["name"]);
  CHECK(steps == std::vector<std::string>{"受理", "审查", "决定", "办结"});
  json stats = client.call("stats", json::object()).result;
  CHECK(stats["approval"]["items"]["BDC002"]["finished"] == 1);
  httplib::Client ops("127.0.0.1", ops_port);
  auto metrics = ops.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->body.find("hall_case_polls_total{outcome=\"error\"} 2") != std::string::npos);
  {
    std::lock_guard lock(platform.mutex);
    CHECK(platform.case_queries.size() >= 4);
    CHECK(platform.case_queries[0] == "");
    CHECK(platform.case_queries[1] == "");  // a garbled page did not move the cursor
  }
  // Polling goes on from the cursor; repeated polls change nothing.
  REQUIRE(test::eventually([&] {
    std::lock_guard lock(platform.mutex);
    return std::count(platform.case_queries.begin(), platform.case_queries.end(), "c2") >= 2;
  }, 10000));
  uint64_t seq = client.call("ping", json::object()).result["seq"];
  REQUIRE(test::eventually([&] {
    std::lock_guard lock(platform.mutex);
    return std::count(platform.case_queries.begin(), platform.case_queries.end(), "c2") >= 3;
  }, 10000));
  CHECK(client.call("ping", json::object()).result["seq"] == seq);
}

TEST_CASE("metrics are in the Prometheus text format with waiting per category and command latencies") {
  std::string dir = test::temp_dir("metrics");
  int ops_port = test::free_port();
  json config = test::test_hall_config("", 0, 0);
  config["http"] = "127.0.0.1:" + std::to_string(ops_port);
  test::ServerProcess server(dir, {"--start", "2026-11-23T10:00"}, config);
  HallClient client(server.commands());
  for (int i = 0; i < 3; ++i) REQUIRE(client.call("take_ticket", {{"category", "tax"}}).ok);
  CHECK(client.call("call_next", {{"window", 99}}).code == err::kUnknownWindow);
  httplib::Client ops("127.0.0.1", ops_port);
  std::string body;
  REQUIRE(test::eventually([&] {
    auto r = ops.Get("/metrics");
    body = r ? r->body : "";
    return body.find("hall_waiting_tickets{category=\"tax\"} 3") != std::string::npos;
  }, 5000));
  CHECK(body.find("# TYPE hall_command_seconds histogram") != std::string::npos);
  CHECK(body.find("hall_command_seconds_bucket{le=\"+Inf\"}") != std::string::npos);
  CHECK(body.find("hall_commands_total{outcome=\"refused\"} 1") != std::string::npos);
  CHECK(body.find("hall_upstream_enabled 0") != std::string::npos);
  CHECK(body.find("hall_up{hall=\"test-hall\"} 1") != std::string::npos);
  auto health = ops.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  // Every sample line is NAME{labels} VALUE or NAME VALUE.
  std::istringstream lines(body);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    INFO(line);
    auto space = line.rfind(' ');
    REQUIRE(space != std::string::npos);
    CHECK(line.compare(0, 5, "hall_") == 0);
    CHECK(line.find_first_not_of("0123456789.e+-", space + 1) == std::string::npos);
  }
}

TEST_CASE("a wrong upstream or http setting is refused naming the key") {
  std::string dir = test::temp_dir("upstream-config");
  auto check = [&](json patch, const std::string& expect) {
    json c = test::test_hall_config(dir + "/hall.db", 1, 2);
    c.merge_patch(patch);
    std::string path = test::write_file(dir + "/hall.json", c.dump());
    try {
      load_hall_config(path);
      FAIL("accepted: " << patch.dump());
    } catch (const ConfigError& e) {
      CHECK(std::string(e.what()).find(expect) != std::string::npos);
    }
  };
  check({{"upstream", {{"ratings_url", "http://example.org/r"}, {"token", "x"}}}}, "upstream.ratings_url: must be an https://");
  check({{"upstream", {{"ratings_url", "https://example.org/r"}}}}, "upstream.token: is missing");
  check({{"upstream", {{"ratings_url", "https://example.org/r"}, {"token", "x"}, {"ca_file", "/nonexistent/ca.pem"}}}}, "upstream.ca_file");
  check({{"upstream", {{"ratings_url", "https://example.org/r"}, {"token", "x"}, {"timeout_ms", 5}}}}, "upstream.timeout_ms");
  check({{"upstream", {{"rating_url", "https://example.org/r"}}}}, "upstream.rating_url: is not a known setting");
  check({{"http", "9464"}}, "http: must be HOST:PORT");
}
