// hall-gateway as a process on loopback, spoken to over real HTTP
// (cpp-httplib's client): each link answers with its own ticket only; a hall
// that goes away is said, never shown as current; bad set-up is refused
// with what is wrong. The browser side is tests/web/test_ticket_page.py.
#include <doctest/doctest.h>

#include <httplib.h>

#include <fstream>

#include "gateway/console_auth.h"
#include "shared/client.h"
#include "shared/config.h"
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
  test::Program gateway({HALL_GATEWAY_BIN, "--commands", hall.commands(), "--updates", hall.updates(), "--public", "127.0.0.1:" + std::to_string(port), "--staff", "off"},
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
  auto staff = test::run_program({HALL_GATEWAY_BIN, "--public", "127.0.0.1:" + std::to_string(test::free_port()), "--staff", "8081"});
  CHECK(staff.status == 1);
  CHECK(staff.output.find("listen address must be HOST:PORT") != std::string::npos);
  const std::string dir = test::temp_dir("web-users");
  std::ofstream(dir + "/users.json") << R"({"users": [{"name": "wang", "role": "boss", "hash": "$argon2id$x"}]})";
  auto users = test::run_program({HALL_GATEWAY_BIN, "--users", dir + "/users.json", "--public", "127.0.0.1:" + std::to_string(test::free_port())});
  CHECK(users.status == 1);
  CHECK(users.output.find(dir + "/users.json: users: role must be manager or leader, not 'boss'") != std::string::npos);
}

TEST_CASE("console passwords are Argon2id hashes, and a wrong one never matches") {
  const std::string h = hash_password("correct horse");
  CHECK(h.rfind("$argon2id$", 0) == 0);
  CHECK(h.find("correct horse") == std::string::npos);
  CHECK(check_password(h, "correct horse"));
  CHECK_FALSE(check_password(h, "correct hors"));
  CHECK_FALSE(check_password("$argon2i$v=19$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaA", "x"));  // only Argon2id is accepted
  CHECK(hash_password("correct horse") != h);  // salted
  CHECK(password_problem("short") != "");
  CHECK(password_problem("long enough") == "");
}

TEST_CASE("console lock-out: five wrong passwords lock a name for 15 minutes, twenty lock an address") {
  LockOut lock;
  int64_t t = 1'000'000;
  for (int i = 0; i < 4; ++i) lock.failed("wang", "10.0.0.1", t + i * 1000);
  CHECK(lock.locked_for_s("wang", "10.0.0.1", t + 5000) == 0);  // four: still may try
  lock.failed("wang", "10.0.0.1", t + 5000);
  CHECK(lock.locked_for_s("wang", "10.0.0.1", t + 5000) == 900);
  CHECK(lock.locked_for_s("wang", "10.0.0.9", t + 5000) == 900);  // the name, from anywhere
  CHECK(lock.locked_for_s("li", "10.0.0.1", t + 5000) == 0);      // another name from the same address: not yet
  CHECK(lock.locked_for_s("wang", "10.0.0.1", t + 5000 + LockOut::kLockMs) == 0);  // after a quarter of an hour
  // Failures spread over more than the window do not add up.
  LockOut slow;
  for (int i = 0; i < 10; ++i) slow.failed("li", "10.0.0.2", t + i * (LockOut::kWindowMs / 4 + 1));
  CHECK(slow.locked_for_s("li", "10.0.0.2", t + 10 * (LockOut::kWindowMs / 4 + 1)) == 0);
  // Many names from one address: the address is locked after twenty.
  LockOut spray;
  for (int i = 0; i < 20; ++i) spray.failed("user" + std::to_string(i), "10.0.0.3", t + i);
  CHECK(spray.locked_for_s("fresh", "10.0.0.3", t + 20) > 0);
  CHECK(spray.locked_for_s("fresh", "10.0.0.4", t + 20) == 0);
  // A success clears the name's count.
  LockOut ok;
  for (int i = 0; i < 4; ++i) ok.failed("wang", "10.0.0.5", t);
  ok.succeeded("wang");
  ok.failed("wang", "10.0.0.5", t);
  CHECK(ok.locked_for_s("wang", "10.0.0.5", t) == 0);
}

TEST_CASE("console sessions end after 30 idle minutes, 12 hours, sign-out, or the user's removal") {
  ConsoleSessions sessions;
  ConsoleUser wang{"wang", "王经理", "manager", ""};
  const int64_t t = 5'000'000;
  ConsoleSession s = sessions.open(wang, t);
  CHECK(s.id.size() == 64);
  CHECK(s.csrf.size() == 32);
  CHECK(s.csrf != s.id);
  CHECK(sessions.touch(s.id, t + ConsoleSessions::kIdleMs - 1));
  CHECK_FALSE(sessions.touch(std::string(1, s.id[0] == '0' ? '1' : '0') + s.id.substr(1), t));  // a forged id
  CHECK_FALSE(sessions.touch(s.id, t + 2 * ConsoleSessions::kIdleMs));  // idle too long
  ConsoleSession busy = sessions.open(wang, t);
  int64_t now = t;
  while (now < t + ConsoleSessions::kLongestMs - 60'000) CHECK(sessions.touch(busy.id, now += 20 * 60'000));
  CHECK_FALSE(sessions.touch(busy.id, t + ConsoleSessions::kLongestMs + 1));  // never longer than 12 h
  ConsoleSession a = sessions.open(wang, t), b = sessions.open(wang, t);
  sessions.close(a.id);
  CHECK_FALSE(sessions.touch(a.id, t));
  CHECK(sessions.touch(b.id, t));
  sessions.close_user("wang");
  CHECK_FALSE(sessions.touch(b.id, t));
}

TEST_CASE("the console's users file: written whole, read back, a write that fails changes nothing") {
  const std::string dir = test::temp_dir("web-users-file");
  {
    ConsoleUsers users(dir + "/users.json");  // no file yet: nobody
    CHECK(users.list().empty());
    users.put({"wang", "王经理", "manager", hash_password("manager-pass")});
    users.put({"li", "李局长", "leader", hash_password("leader-pass")});
  }
  ConsoleUsers again(dir + "/users.json");
  REQUIRE(again.find("wang"));
  CHECK(again.find("wang")->display == "王经理");
  CHECK(check_password(again.find("li")->hash, "leader-pass"));
  CHECK(again.managers() == 1);
  ConsoleUsers nowhere("/nonexistent/dir/users.json");
  CHECK_THROWS_WITH_AS(nowhere.put({"zhao", "", "manager", hash_password("whatever-1")}),
                       doctest::Contains("cannot be written"), ConfigError);
  CHECK_FALSE(nowhere.find("zhao"));
  CHECK(user_problem({"Wang Li", "", "manager", ""}).find("a-z, 0-9") != std::string::npos);
}
