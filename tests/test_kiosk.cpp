// The kiosk's 取号 flow end to end: a real hall server, touches injected,
// the ticket found in the server's state and in the decoded ESC/POS bytes.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "kiosk/kiosk.h"
#include "tests/ui_driver.h"

using namespace hall;
using namespace hall::test;

namespace {

struct Hall {
  explicit Hall(json config = nullptr) : server(dir, {"--start", "2026-11-23T10:00"}, config) {}
  std::string dir = test::temp_dir("kiosk");
  test::ServerProcess server;
  HallClient client{server.commands()};
  kiosk::Options options() {
    kiosk::Options o;
    o.commands = server.commands(), o.updates = server.updates(), o.headless = true;
    o.printer = dir + "/printer.bin";
    return o;
  }
};

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("a ticket taken by touch is in the server's state and on the printed receipt") {
  Hall h;
  REQUIRE(h.client.call("open_window", {{"window", 2}, {"staff", "S2"}}).ok);
  REQUIRE(h.client.call("take_ticket", {{"category", "realestate"}}).ok);  // one ahead
  kiosk::Kiosk k(h.options());
  REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
  REQUIRE(tap(k, "home.take_ticket"));
  CHECK(k.page() == kiosk::Page::Categories);
  REQUIRE(tap(k, "cat_realestate"));
  CHECK(k.page() == kiosk::Page::Lane);   // 不动产登记 offers an elderly lane
  REQUIRE(tap(k, "lane_elderly"));
  REQUIRE(drive(k, [&] { return k.page() == kiosk::Page::Ticket; }));
  CHECK(k.ticket()["ticket"]["number"] == "B002");
  CHECK(k.ticket()["ahead"] == 0);        // the elderly lane goes first
  json state = h.client.call("get", {{"key", "ticket/2026-11-23/B002"}}).result;
  CHECK(state["value"]["lane"] == "elderly");
  // The receipt: GB18030 text the printer prints, decoded back.
  std::string bytes = read_all(h.dir + "/printer.bin");
  REQUIRE(!bytes.empty());
  auto lines = kiosk::decode_text(bytes);
  CHECK(std::find(lines.begin(), lines.end(), "B002") != lines.end());
  CHECK(std::find(lines.begin(), lines.end(), "测试政务服务中心") != lines.end());
  CHECK(std::find(lines.begin(), lines.end(), "前面还有 0 人") != lines.end());
  CHECK(bytes.find(std::string("\x1d" "v0", 3)) != std::string::npos);  // the QR raster image
  CHECK(bytes.find(kiosk::utf8_to_gb18030("不动产登记")) != std::string::npos);
  bool drawn = false;
  for (const auto& t : k.screen().draw_log()) drawn |= t.text == "B002";
  CHECK(drawn);
}

TEST_CASE("in elderly mode every touch target is at least 60×60 and all text at least 18 px") {
  Hall h(test::busy_hall_config(20));  // ten categories
  for (int n = 1; n <= 20; ++n) REQUIRE(h.client.call("open_window", {{"window", n}}).ok);
  kiosk::Kiosk k(h.options());
  REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
  REQUIRE(tap(k, "mode"));
  REQUIRE(k.elderly());
  for (const char* step : {"", "home.take_ticket", "cat_company"}) {
    if (*step) REQUIRE(tap(k, step));
    k.frame(5);
    INFO("page after " << step);
    CHECK(!ui::drawn_buttons().empty());
    for (const auto& b : ui::drawn_buttons()) {
      INFO(b.id);
      CHECK(b.rect.w >= 60);
      CHECK(b.rect.h >= 60);
    }
    for (const auto& t : k.screen().draw_log()) {
      INFO(t.text);
      CHECK(t.box.h >= 18);
    }
  }
  // Fewer choices per page: four categories, then a next-page button.
  REQUIRE(tap(k, "home"));
  REQUIRE(tap(k, "home.take_ticket"));
  k.frame(5);
  int categories = 0;
  bool next = false;
  for (const auto& b : ui::drawn_buttons()) categories += b.id.rfind("cat_", 0) == 0, next |= b.id == "next";
  CHECK(categories == 4);
  CHECK(next);
}

TEST_CASE("with the hall server unreachable taking a ticket is refused with a pointer to the guidance desk") {
  Hall h;
  REQUIRE(h.client.call("open_window", {{"window", 3}, {"staff", "S3"}}).ok);
  kiosk::Kiosk k(h.options());
  REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
  h.server.kill9();
  REQUIRE(drive(k, [&] { return k.mirror().stale(); }, 10000));
  REQUIRE(tap(k, "home.take_ticket"));
  REQUIRE(tap(k, "cat_tax"));
  REQUIRE(tap(k, "lane_normal"));
  REQUIRE(drive(k, [&] { return k.page() == kiosk::Page::Notice; }));
  CHECK(k.notice().find("导服台") != std::string::npos);
}

TEST_CASE("English is one tap away and the text comes from the string tables") {
  Hall h;
  kiosk::Kiosk k(h.options());
  REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
  REQUIRE(tap(k, "lang"));
  k.frame(5);
  bool english = false;
  for (const auto& t : k.screen().draw_log()) english |= t.text == "Take a number";
  CHECK(english);
  auto zh = kiosk::Strings::load(std::string(HALL_ASSETS_DIR) + "/strings", "zh-CN");
  auto en = kiosk::Strings::load(std::string(HALL_ASSETS_DIR) + "/strings", "en");
  CHECK(zh("ticket.ahead", {{"n", "3"}}) == "前面还有 3 人");
  CHECK(en("ticket.ahead", {{"n", "3"}}) == "3 people ahead of you");
  CHECK(zh("no.such.key") == "no.such.key");
}
