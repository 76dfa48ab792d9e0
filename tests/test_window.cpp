// The window side end to end: a real hall server; the staff console driven
// by injected key events; the evaluator by injected touches.
#include <doctest/doctest.h>

#include <SDL.h>

#include <cstring>
#include <filesystem>

#include "counter/console.h"
#include "evaluator/evaluator.h"
#include "shared/stats.h"
#include "shared/ui/widgets.h"
#include "tests/support.h"
#include "shared/config.h"
#include "tests/ui_driver.h"

using namespace hall;
using namespace hall::test;

namespace {

struct Hall {
  std::string dir = test::temp_dir("window");
  test::ServerProcess server{dir, {"--start", "2026-11-23T10:00"}};
  HallClient client{server.commands()};
  json state() {
    Reply r = client.call("snapshot");
    json out = json::object();
    for (auto& e : r.result["entities"]) out[e["key"].get<std::string>()] = e["value"];
    return out;
  }
  std::string day() { return state()["hall"]["day"]; }
};

counter::Options console_options(const Hall& h, int window) {
  counter::Options o;
  o.commands = h.server.commands(), o.updates = h.server.updates(), o.window = window, o.headless = true;
  return o;
}

evaluator::Options evaluator_options(const Hall& h, int window) {
  evaluator::Options o;
  o.commands = h.server.commands(), o.updates = h.server.updates(), o.window = window, o.headless = true;
  o.outbox = h.dir + "/outbox";
  return o;
}

void sign_in(counter::Console& con, const char* staff, const char* pin) {
  REQUIRE(drive(con, [&] { return con.mirror().synced(); }));
  type(con, staff);
  press(con, SDL_SCANCODE_RETURN);
  type(con, pin);
  press(con, SDL_SCANCODE_RETURN);
  REQUIRE(drive(con, [&] { return con.signed_in(); }));
}

}  // namespace

TEST_CASE("the staff console signs in — calls — transfers and finishes by function keys") {
  Hall h;
  for (int i = 0; i < 3; ++i) REQUIRE(h.client.call("take_ticket", {{"category", "company"}}).ok);
  counter::Console con(console_options(h, 1));
  REQUIRE(drive(con, [&] { return con.mirror().synced(); }));
  type(con, "S1");
  press(con, SDL_SCANCODE_RETURN);
  type(con, "9999");
  press(con, SDL_SCANCODE_RETURN);
  REQUIRE(drive(con, [&] { return !con.busy() && !con.message().empty(); }));
  CHECK(con.message() == "工号或密码不正确");
  CHECK_FALSE(con.signed_in());
  type(con, "1111");
  press(con, SDL_SCANCODE_RETURN);
  REQUIRE(drive(con, [&] { return con.signed_in(); }));
  CHECK(h.state()["window/1"]["staff_id"] == "S1");
  CHECK(h.state()["window/1"]["state"] == "open");

  press(con, SDL_SCANCODE_F1);  // call next
  REQUIRE(drive(con, [&] { return h.state()["window/1"]["ticket"] == h.day() + "/A001"; }));
  REQUIRE(drive(con, [&] { return !con.busy() && con.message().find("A001") != std::string::npos; }));

  press(con, SDL_SCANCODE_F4);  // transfer: choose the category, then the reason
  REQUIRE(con.popup() == counter::Popup::Transfer);
  REQUIRE(tap(con, "to_tax"));
  REQUIRE(tap(con, "win_3"));           // one window of that category
  REQUIRE(tap(con, "why_需补充材料"));
  REQUIRE(drive(con, [&] { return h.state()["ticket/" + h.day() + "/A001"]["category"] == "tax"; }));
  CHECK(h.state()["ticket/" + h.day() + "/A001"]["state"] == "waiting");
  CHECK(h.state()["ticket/" + h.day() + "/A001"]["target_window"] == 3);
  CHECK(h.state()["window/1"]["ticket"] == "");

  REQUIRE(drive(con, [&] { return !con.busy(); }));
  press(con, SDL_SCANCODE_F1);
  REQUIRE(drive(con, [&] { return h.state()["window/1"]["ticket"] == h.day() + "/A002"; }));
  REQUIRE(drive(con, [&] { return !con.busy(); }));
  press(con, SDL_SCANCODE_F5);  // finish
  REQUIRE(drive(con, [&] { return h.state()["ticket/" + h.day() + "/A002"]["state"] == "done"; }));
  CHECK(h.state()["ticket/" + h.day() + "/A002"]["staff_id"] == "S1");
}

TEST_CASE("a second press while a command is in flight is not sent twice") {
  Hall h;
  for (int i = 0; i < 3; ++i) REQUIRE(h.client.call("take_ticket", {{"category", "company"}}).ok);
  counter::Console con(console_options(h, 1));
  sign_in(con, "S1", "1111");
  REQUIRE(drive(con, [&] { return !con.busy(); }));
  int before = con.sent();
  // Two presses within one frame: the first is in flight when the second comes.
  con.screen().inject(key_event(SDL_KEYDOWN, SDL_SCANCODE_F1));
  con.frame(5);
  con.screen().inject(key_event(SDL_KEYUP, SDL_SCANCODE_F1));
  con.screen().inject(key_event(SDL_KEYDOWN, SDL_SCANCODE_F1));
  con.frame(5);
  con.screen().inject(key_event(SDL_KEYUP, SDL_SCANCODE_F1));
  REQUIRE(drive(con, [&] { return !con.busy(); }));
  CHECK(con.sent() - before == 1);
  json s = h.state();
  CHECK(s["ticket/" + h.day() + "/A001"]["state"] == "called");
  CHECK(s["ticket/" + h.day() + "/A002"]["state"] == "waiting");
}

TEST_CASE("with the bus down the console refuses actions with a message and queues nothing") {
  Hall h;
  REQUIRE(h.client.call("take_ticket", {{"category", "company"}}).ok);
  counter::Console con(console_options(h, 1));
  sign_in(con, "S1", "1111");
  REQUIRE(drive(con, [&] { return !con.busy(); }));
  h.server.kill9();
  REQUIRE(drive(con, [&] { return con.mirror().stale(); }, 10000));
  int before = con.sent();
  press(con, SDL_SCANCODE_F1);
  CHECK(con.sent() == before);
  CHECK(con.message().find("连接中断") != std::string::npos);
  h.server.start();
  REQUIRE(drive(con, [&] { return !con.mirror().stale(); }, 15000));
  CHECK(h.state()["ticket/" + h.day() + "/A001"]["state"] == "waiting");  // nothing was sent behind our back
}

TEST_CASE("finishing a ticket turns the evaluator to that ticket's rating — counted once for window — staff and department") {
  Hall h;
  REQUIRE(h.client.call("open_window", {{"window", 3}, {"staff", "S3"}}).ok);
  REQUIRE(h.client.call("take_ticket", {{"category", "tax"}}).ok);
  evaluator::Options eo = evaluator_options(h, 3);
  evaluator::Evaluator ev(eo);
  REQUIRE(drive(ev, [&] { return ev.mirror().synced(); }));
  CHECK(ev.page() == evaluator::Page::Idle);
  REQUIRE(h.client.call("call_next", {{"window", 3}}).ok);
  REQUIRE(drive(ev, [&] { return ev.mirror().read([](const HallState& s) { return !s.windows.at(3).ticket.empty(); }); }));
  ev.frame(5);
  CHECK(ev.page() == evaluator::Page::Idle);  // being served: not yet
  REQUIRE(h.client.call("finish", {{"window", 3}}).ok);
  REQUIRE(drive(ev, [&] { return ev.page() == evaluator::Page::Rate; }));
  CHECK(ev.rating_ticket() == h.day() + "/C001");
  REQUIRE(tap(ev, "level2"));           // 不满意 → reasons
  REQUIRE(ev.page() == evaluator::Page::Reasons);
  REQUIRE(tap(ev, "reason0"));          // 等候时间长
  REQUIRE(tap(ev, "submit"));
  CHECK(ev.page() == evaluator::Page::Thanks);
  REQUIRE(drive(ev, [&] { return ev.outbox().pending() == 0; }));
  json s = h.state();
  json rating = s["rating/T/" + h.day() + "/C001"];
  CHECK(rating["level"] == 2);
  CHECK(rating["window"] == 3);
  CHECK(rating["staff_id"] == "S3");
  CHECK(rating["department"] == "税务局");
  CHECK(rating["channel"] == "evaluator");
  CHECK(rating["reasons"] == json::array({"等候时间长"}));
  CHECK(s.contains("followup/T/" + h.day() + "/C001"));
  // The statistics the displays read count it once.
  Reply stats = h.client.call("stats");
  CHECK(stats.result["ratings"]["window_today"]["3"]["total"] == 1);
  CHECK(stats.result["ratings"]["staff_today"]["S3"]["bad"] == 1);
  CHECK(stats.result["ratings"]["department_today"]["税务局"]["total"] == 1);
}

TEST_CASE("a rating given while the bus is down is delivered later exactly once") {
  Hall h;
  REQUIRE(h.client.call("open_window", {{"window", 2}, {"staff", "S2"}}).ok);
  REQUIRE(h.client.call("take_ticket", {{"category", "realestate"}}).ok);
  REQUIRE(h.client.call("call_next", {{"window", 2}}).ok);
  evaluator::Options eo = evaluator_options(h, 2);
  {
    evaluator::Evaluator ev(eo);
    REQUIRE(drive(ev, [&] { return ev.mirror().synced() && ev.mirror().read([](const HallState& s) { return !s.windows.at(2).ticket.empty(); }); }));
    ev.frame(5);
    REQUIRE(h.client.call("finish", {{"window", 2}}).ok);
    REQUIRE(drive(ev, [&] { return ev.page() == evaluator::Page::Rate; }));
    h.server.kill9();
    REQUIRE(tap(ev, "level5"));
    CHECK(ev.page() == evaluator::Page::Thanks);
    CHECK(ev.outbox().pending() == 1);   // on disk, not lost
  }                                      // the evaluator is switched off too
  h.server.start();
  evaluator::Evaluator again(eo);        // switched on again: it delivers what it kept
  REQUIRE(drive(again, [&] { return again.outbox().pending() == 0; }, 15000));
  json s = h.state();
  CHECK(s["rating/T/" + h.day() + "/B001"]["level"] == 5);
  Reply stats = h.client.call("stats");
  CHECK(stats.result["ratings"]["hall_today"]["total"] == 1);
}

TEST_CASE("the evaluator never shows another citizen's name — only the ticket number") {
  Hall h;
  REQUIRE(h.client.call("open_window", {{"window", 4}, {"staff", "S4"}}).ok);  // 欧阳文静
  evaluator::Options eo = evaluator_options(h, 4);
  evaluator::Evaluator ev(eo);
  REQUIRE(drive(ev, [&] { return ev.mirror().synced(); }));
  ev.frame(5);
  bool masked = false;
  for (const auto& t : ev.screen().draw_log()) {
    CHECK(t.text.find("欧阳文静") == std::string::npos);
    masked |= t.text == "欧**静";
  }
  CHECK(masked);
}

TEST_CASE("the counter and evaluator config files are checked key by key and the shipped ones are valid") {
  std::string dir = test::temp_dir("window-config");
  auto error = [&](const std::string& body, bool outbox) {
    try {
      load_window_program_config(test::write_file(dir + "/c.json", body), outbox);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK(error(R"({"window": 0})", false).find("c.json: window: must be a window number") != std::string::npos);
  CHECK(error(R"({"outbox": "/tmp/x"})", false).find("outbox: is not a known setting") != std::string::npos);
  CHECK(error(R"({"outbox": "/tmp/x"})", true) == "accepted");
  CHECK(error(R"({"size": "big"})", false).find("size: must be WIDTHxHEIGHT") != std::string::npos);
  CHECK(error(R"({"commands": "localhost:5555"})", false).find("commands: must be a tcp://") != std::string::npos);
  CHECK(error(R"({"key_file": "/nonexistent.key"})", false).find("server_key_file: is needed") != std::string::npos);
  std::string deploy = std::string(HALL_ASSETS_DIR) + "/../deploy/etc/hall/";
  CHECK(load_window_program_config(deploy + "counter.json", false).width == 1280);
  CHECK(load_window_program_config(deploy + "evaluator.json", true).outbox == "/var/lib/hall-evaluator/outbox");
}

TEST_CASE("an evaluator whose outbox disk is full stays up, delivers the rating directly, reports the fault and says plainly when it cannot keep it") {
  Hall h;
  REQUIRE(h.client.call("open_window", {{"window", 3}, {"staff", "S3"}}).ok);
  for (int i = 0; i < 3; ++i) REQUIRE(h.client.call("take_ticket", {{"category", "tax"}}).ok);
  evaluator::Options eo = evaluator_options(h, 3);
  test::FullDisk full(eo.outbox);  // a real filesystem with no byte left
  evaluator::Evaluator ev(eo);
  REQUIRE(drive(ev, [&] { return ev.mirror().synced(); }));
  auto finish_next = [&] {
    REQUIRE(h.client.call("call_next", {{"window", 3}}).ok);
    REQUIRE(drive(ev, [&] { return ev.mirror().read([](const HallState& s) { return !s.windows.at(3).ticket.empty(); }); }));
    ev.frame(5);
    REQUIRE(h.client.call("finish", {{"window", 3}}).ok);
    REQUIRE(drive(ev, [&] { return ev.page() == evaluator::Page::Rate; }));
  };
  auto shows = [&](const std::string& text) {
    ev.frame(5);
    for (const auto& t : ev.screen().draw_log())
      if (t.text.find(text) != std::string::npos) return true;
    return false;
  };
  // Server up: the rating goes straight to it.
  finish_next();
  REQUIRE(tap(ev, "level5"));
  CHECK(ev.page() == evaluator::Page::Thanks);
  CHECK_FALSE(ev.outbox().storage_ok());
  REQUIRE(drive(ev, [&] { return ev.outbox().pending() == 0; }, 10000));
  CHECK(h.state()["rating/T/" + h.day() + "/C001"]["level"] == 5);
  CHECK(shows("感谢您的评价"));
  // Managers see the fault on the bus.
  REQUIRE(drive(ev, [&] { return ev.mirror().read([](const HallState& s) { return s.devices.count("evaluator-3") > 0; }); }));
  json device = h.state()["device/evaluator-3"];
  CHECK(device["storage"] == "full");
  CHECK(device["window"] == 3);
  CHECK(device["detail"].get<std::string>().find("No space left") != std::string::npos);
  // Server away too: nothing can keep it, and the page says so.
  finish_next();
  h.server.kill9();
  REQUIRE(drive(ev, [&] { return ev.mirror().stale(); }, 10000));
  REQUIRE(tap(ev, "level4"));
  CHECK(ev.page() == evaluator::Page::Thanks);
  CHECK(shows("评价暂时无法保存"));
  CHECK_FALSE(shows("感谢您的评价"));
  CHECK(ev.outbox().pending() == 1);  // in memory, still being tried
  // The server returns while the evaluator is still up: delivered, once.
  h.server.start();
  REQUIRE(drive(ev, [&] { return ev.outbox().pending() == 0; }, 15000));
  CHECK(h.state()["rating/T/" + h.day() + "/C002"]["level"] == 4);
  CHECK(h.client.call("stats").result["ratings"]["hall_today"]["total"] == 2);
  // Room again: the fault clears on the bus.
  full.make_room();
  finish_next();
  REQUIRE(tap(ev, "level5"));
  CHECK(ev.outbox().storage_ok());
  REQUIRE(drive(ev, [&] { return ev.mirror().read([](const HallState& s) {
    auto d = s.devices.find("evaluator-3");
    return d != s.devices.end() && d->second.storage == "ok";
  }); }, 10000));
  REQUIRE(drive(ev, [&] { return ev.outbox().pending() == 0; }, 10000));  // the report goes first, the rating after it
  CHECK(h.state()["rating/T/" + h.day() + "/C003"]["level"] == 5);
}

TEST_CASE("every text of the staff console and the evaluator is at least 4.5:1 against what is behind it") {
  Hall h;
  for (int i = 0; i < 2; ++i) REQUIRE(h.client.call("take_ticket", {{"category", "company"}}).ok);
  int measured = 0;
  counter::Console con(console_options(h, 1));
  REQUIRE(drive(con, [&] { return con.mirror().synced(); }));
  for (int i = 0; i < 3; ++i) con.frame(5);
  measured += check_contrast(con.screen(), "console: sign-in");
  type(con, "S1");
  press(con, SDL_SCANCODE_RETURN);
  type(con, "1111");
  press(con, SDL_SCANCODE_RETURN);
  REQUIRE(drive(con, [&] { return con.signed_in() && !con.busy(); }));
  measured += check_contrast(con.screen(), "console: desk, nobody called");
  press(con, SDL_SCANCODE_F1);
  REQUIRE(drive(con, [&] { return !con.busy() && con.message().find("A001") != std::string::npos; }));
  for (int i = 0; i < 3; ++i) con.frame(5);
  measured += check_contrast(con.screen(), "console: desk, a ticket in hand");
  press(con, SDL_SCANCODE_F4);
  REQUIRE(con.popup() == counter::Popup::Transfer);
  for (int i = 0; i < 3; ++i) con.frame(5);
  measured += check_contrast(con.screen(), "console: transfer");

  evaluator::Evaluator ev(evaluator_options(h, 2));
  REQUIRE(drive(ev, [&] { return ev.mirror().synced(); }));
  for (auto [page, name] : {std::pair{evaluator::Page::Idle, "idle"}, std::pair{evaluator::Page::Rate, "rate"},
                            std::pair{evaluator::Page::Reasons, "reasons"}, std::pair{evaluator::Page::Thanks, "thanks"}}) {
    if (page != evaluator::Page::Idle) ev.preview("A023", page);
    for (int i = 0; i < 3; ++i) ev.frame(5);
    measured += check_contrast(ev.screen(), std::string("evaluator: ") + name);
  }
  CHECK(measured > 40);
}

TEST_CASE("适老化 of the evaluator measured from what is drawn, landscape and portrait: text ≥ 18 dp, headings ≥ 30 dp, targets ≥ 60 dp, contrast ≥ 4.5:1, and a chosen level is never dropped by its timer") {
  Hall h;
  int measured = 0;
  for (auto [w, hgt] : {std::pair{1280, 800}, std::pair{800, 1280}}) {
    evaluator::Options o = evaluator_options(h, 2);
    o.width = w, o.height = hgt;
    evaluator::Evaluator ev(o);
    REQUIRE(drive(ev, [&] { return ev.mirror().synced(); }));
    const float u = ev.screen().unit();
    const std::string size = " " + std::to_string(w) + "x" + std::to_string(hgt);
    for (auto [page, name] : {std::pair{evaluator::Page::Idle, "idle"}, std::pair{evaluator::Page::Rate, "rate"},
                              std::pair{evaluator::Page::Reasons, "reasons"}, std::pair{evaluator::Page::Thanks, "thanks"}}) {
      if (page != evaluator::Page::Idle) ev.preview("A023", page);
      for (int i = 0; i < 3; ++i) ev.frame(5);
      // The rating pages ask their question on the top line; idle and thanks are one message each.
      const bool titled = page == evaluator::Page::Rate || page == evaluator::Page::Reasons;
      measured += check_age_friendly(ev.screen(), std::string("evaluator: ") + name + size, true,
                                     titled ? ui::Rect{0, 20 * u, float(w), 90 * u} : ui::Rect{});
    }
  }
  CHECK(measured > 20);
  // 不满意 chosen, reasons not sent: the timer sends the level (it was the citizen's), it does not drop it.
  REQUIRE(h.client.call("open_window", {{"window", 4}, {"staff", "S4"}}).ok);
  std::string number = h.client.call("take_ticket", {{"category", "company"}}).result["ticket"]["number"];
  REQUIRE(h.client.call("call_next", {{"window", 4}}).ok);
  evaluator::Options o = evaluator_options(h, 4);
  o.rating_seconds = 1;
  evaluator::Evaluator ev(o);
  REQUIRE(drive(ev, [&] { return ev.mirror().synced(); }));
  REQUIRE(h.client.call("finish", {{"window", 4}}).ok);
  REQUIRE(drive(ev, [&] { return ev.page() == evaluator::Page::Rate; }));
  REQUIRE(tap(ev, "level2"));
  REQUIRE(ev.page() == evaluator::Page::Reasons);
  REQUIRE(drive(ev, [&] { return !h.client.call("get", {{"key", "rating/T/" + ev.mirror().copy().hall.day + "/" + number}}).result["value"].is_null(); }, 8000));
  json r = h.client.call("get", {{"key", "rating/T/" + ev.mirror().copy().hall.day + "/" + number}}).result["value"];
  CHECK(r["level"] == 2);
}
