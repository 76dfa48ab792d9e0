// hall-gateway as a process on loopback, spoken to over real HTTP
// (cpp-httplib's client): each link answers with its own ticket only; a hall
// that goes away is said, never shown as current; bad set-up is refused
// with what is wrong. The browser side is tests/web/test_ticket_page.py.
#include <doctest/doctest.h>

#include <httplib.h>

#include "shared/client.h"
#include "tests/support.h"

using namespace hall;
using nlohmann::json;

namespace {
struct Answer {
  int status = 0;
  json body;
};
Answer get(int port, const std::string& path) {
  httplib::Client web("127.0.0.1", port);
  web.set_read_timeout(10, 0);
  auto res = web.Get(path.c_str());
  if (!res) return {};
  return {res->status, json::parse(res->body, nullptr, false)};
}
}  // namespace

TEST_CASE("the gateway answers each phone link with its own ticket only, and says so when the hall is gone") {
  const std::string dir = test::temp_dir("web");
  test::ServerProcess hall(dir, {"--start", "2026-11-23T10:00"});
  const int port = test::free_port();
  test::Program gateway({HALL_GATEWAY_BIN, "--commands", hall.commands(), "--updates", hall.updates(), "--public", "127.0.0.1:" + std::to_string(port)},
                        dir + "/gateway.log");
  HallClient client(hall.commands());
  Reply a = client.call("take_ticket", {{"category", "company"}});
  Reply b = client.call("take_ticket", {{"category", "tax"}});
  REQUIRE(a.ok);
  REQUIRE(b.ok);
  REQUIRE(test::eventually([&] { return get(port, "/healthz").status == 200; }, 10000));
  Answer mine = get(port, "/api/ticket/" + a.result["token"].get<std::string>());
  REQUIRE(mine.status == 200);
  CHECK(mine.body["number"] == a.result["ticket"]["number"]);
  CHECK(mine.body["state"] == "waiting");
  CHECK(mine.body.dump().find(b.result["ticket"]["number"].get<std::string>()) == std::string::npos);  // nothing of anyone else
  CHECK(mine.body.dump().find(a.result["ticket"]["key"].get<std::string>()) == std::string::npos);     // not even its own key
  CHECK(get(port, "/api/ticket/" + b.result["token"].get<std::string>()).body["number"] == b.result["ticket"]["number"]);
  Answer short_one = get(port, "/api/ticket/abc");
  CHECK(short_one.status == 404);
  CHECK(short_one.body["error"] == "not_a_link");
  CHECK(get(port, "/api/ticket/" + std::string(32, 'f')).status == 404);
  CHECK(get(port, "/web/../hall.json").status == 404);
  // The hall server gone: the page says its figures may not be current; a new link cannot be checked.
  hall.stop();
  CHECK(test::eventually([&] { return get(port, "/healthz").status == 503; }, 10000));
  Answer stale = get(port, "/api/ticket/" + a.result["token"].get<std::string>());
  CHECK(stale.status == 200);
  CHECK(stale.body["stale"] == true);
  CHECK(get(port, "/api/ticket/" + std::string(31, 'e') + "1").status == 503);
}

TEST_CASE("hall-gateway refuses a wrong set-up naming what is wrong") {
  auto bad_listen = test::run_program({HALL_GATEWAY_BIN, "--public", "8080"});
  CHECK(bad_listen.status == 1);
  CHECK(bad_listen.output.find("listen address must be HOST:PORT") != std::string::npos);
  auto no_pages = test::run_program({HALL_GATEWAY_BIN, "--assets", "/nonexistent", "--public", "127.0.0.1:" + std::to_string(test::free_port())});
  CHECK(no_pages.status == 1);
  CHECK(no_pages.output.find("/nonexistent/web/ticket.html: cannot be read") != std::string::npos);
  auto threads = test::run_program({HALL_GATEWAY_BIN, "--threads", "1"});
  CHECK(threads.status == 2);
  CHECK(threads.output.find("--threads must be 4..20000") != std::string::npos);
}
