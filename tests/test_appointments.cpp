// 预约 through the real hall server: booked on one kiosk, checked in on
// another, called at a window; many clients racing for a slot's last place
// (exactly its capacity succeeds); a SIGKILL between booking and check-in
// loses nothing.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "shared/client.h"
#include "tests/support.h"

using namespace hall;

TEST_CASE("预约 on the real server: sixteen clients race for a slot's last place and exactly one gets it, a kill -9 loses no booking, checked in on another kiosk it is called first") {
  std::string dir = test::temp_dir("appointments-real");
  json config = test::test_hall_config(dir + "/hall.db", 1, 2);
  config["appointments"] = {{"early_minutes", 60}, {"release_before_minutes", 10}};
  // 09:50 hall time: the 10:30 slot of company (3 places) is open for booking and for check-in.
  test::ServerProcess server(dir, {"--start", "2026-11-23T09:50"}, config);
  HallClient kiosk_a(server.commands());
  auto book = [&](HallClient& c, const std::string& phone) {
    return c.call("book", {{"category", "company"}, {"day", "2026-11-23"}, {"slot", "10:30"}, {"phone", phone}}, "book-" + phone);
  };
  Reply first = book(kiosk_a, "13900000001");
  REQUIRE_MESSAGE(first.ok, first.message);
  REQUIRE(book(kiosk_a, "13900000002").ok);
  // The last place: sixteen kiosks at once, each its own connection and person.
  std::atomic<int> won{0}, full{0}, other{0};
  std::vector<std::thread> racers;
  for (int i = 0; i < 16; ++i)
    racers.emplace_back([&, i] {
      HallClient c(server.commands());
      char phone[16];
      std::snprintf(phone, sizeof phone, "137000000%02d", i);
      Reply r = book(c, phone);
      (r.ok ? won : r.code == err::kSlotFull ? full : other)++;
    });
  for (auto& t : racers) t.join();
  CHECK(won == 1);
  CHECK(full == 15);
  CHECK(other == 0);
  json slots = kiosk_a.call("slots", {{"category", "company"}, {"day", "2026-11-23"}}).result;
  int booked = -1;
  for (const auto& s : slots["slots"])
    if (s["slot"] == "10:30") booked = s["booked"];
  CHECK(booked == 3);
  // A retry of the first booking after a lost answer is the same booking, not a second.
  Reply again = book(kiosk_a, "13900000001");
  CHECK(again.ok);
  CHECK(again.result["booking"]["code"] == first.result["booking"]["code"]);

  server.kill9();
  server.start();
  HallClient kiosk_b(server.commands());
  const std::string code = first.result["booking"]["code"];
  Reply looked = kiosk_b.call("booking", {{"code", code}});
  REQUIRE_MESSAGE(looked.ok, looked.message);
  CHECK(looked.result["booking"]["state"] == "booked");
  CHECK(looked.result["arrival"] == "on_time");
  // Checked in on another kiosk; a walk-in who came first is called after it.
  REQUIRE(kiosk_b.call("take_ticket", {{"category", "company"}}, "walk-in").ok);
  Reply in = kiosk_b.call("check_in", {{"code", code}}, "check-in-" + code);
  REQUIRE_MESSAGE(in.ok, in.message);
  CHECK(in.result["ticket"]["lane"] == "appointment");
  HallClient window(server.commands());
  REQUIRE(window.call("open_window", {{"window", 1}, {"staff", "S1"}}, "open-1").ok);
  Reply called = window.call("call_next", {{"window", 1}}, "call-1");
  REQUIRE(called.ok);
  CHECK(called.result["ticket"]["booking"] == code);
  // Nothing of the person on the bus.
  Reply snapshot = kiosk_b.call("snapshot");
  CHECK(snapshot.result.dump().find("13900000001") == std::string::npos);
}
