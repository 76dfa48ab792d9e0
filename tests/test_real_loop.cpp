// The screen programs through their real loop, as a person meets them: each
// program runs as itself on a real X server (Xvfb) with its production idle
// timeout, gets a real click or key (XTest) and is read back pixel by pixel.
// A page must be complete long before the idle timeout (1 s) would have drawn
// it; the in-process driver cannot show this, because it draws its own frames.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "kiosk/kiosk.h"
#include "shared/client.h"
#include "shared/ui/driver.h"
#include "shared/clock.h"
#include "tests/support.h"
#include "tests/xsession.h"

using namespace hall;
using test::Child;
using test::XSession;

namespace {

// Well under the 1,000 ms idle wait a late frame would show. HALL_REAL_LOOP_LIMIT_MS widens it for
// the sanitizer build (deploy/sanitize.sh), whose Debug+ASan frames are many times slower: there the
// test is about memory errors on the real loop, the timing belongs to the release build.
const double kWithinMs = std::getenv("HALL_REAL_LOOP_LIMIT_MS") ? std::atof(std::getenv("HALL_REAL_LOOP_LIMIT_MS")) : 300;

std::vector<std::string> bus(const test::ServerProcess& s) { return {"--commands", s.commands(), "--updates", s.updates()}; }

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

TEST_CASE("real loop: a tap on a kiosk tile shows the whole new page within a frame, and 首页 brings the home page back as fast") {
  auto dir = test::temp_dir("real-kiosk");
  test::ServerProcess server{dir};
  XSession x(1080, 1920);
  const std::string trace = dir + "/trace.txt";  // a line per frame the kiosk draws: when, and on which page
  Child kiosk(with({HALL_KIOSK_BIN, "--size", "1080x1920", "--windowed", "--unlocked", "--state-dir", dir + "/kiosk", "--trace", trace},
                   bus(server)),
              {"DISPLAY=" + x.display()}, dir + "/kiosk.log");
  // The home page is up when the 办事指南 tile (right, first row) has its colour.
  const int tile_x = 800, tile_y = 370;
  const uint32_t ground = 0x0A1628 & 0xFFFFFF;
  REQUIRE(x.wait_for([&] { return x.pixel(tile_x, tile_y) != 0 && x.pixel(tile_x, tile_y) != ground; }, 15000));
  REQUIRE(x.wait_for([&] { return x.ms_until_settled([] {}, 600, 3000) == -1; }, 15000));  // then nothing moves on the idle home page
  const uint32_t tile = x.pixel(tile_x, tile_y);
  const auto home = x.grab();

  // A tap, the pixels read back until they are final, and from the kiosk's own trace the
  // time from the tap to the frame that drew the new page whole.
  auto tap = [&](int px, int py) -> double {
    const auto known = test::read_trace_frames(trace);
    const int64_t t0 = wall_us();
    const double settled = x.ms_until_settled([&] { x.click(px, py); });
    CHECK(settled > 0);  // the picture did change, and came to rest
    auto got = test::tap_frames(test::read_trace_frames(trace), known.size(), known.empty() ? -1 : known.back().page, t0);
    REQUIRE(got);
    return got->complete_ms;
  };
  double open_ms = tap(tile_x, tile_y);
  MESSAGE("real loop, kiosk home → 办事指南: page complete after " << open_ms << " ms");
  CHECK(open_ms < kWithinMs);
  CHECK(x.pixel(tile_x, tile_y) != tile);  // the guide's list, not the tile

  double back_ms = tap(144, 66);  // 首页, top left
  MESSAGE("real loop, kiosk 办事指南 → 首页: page complete after " << back_ms << " ms");
  CHECK(back_ms < kWithinMs);
  CHECK(x.grab() == home);  // exactly the home page again

  // 呼叫帮办 by a real click: the request reaches the server, and a real click on 取消呼叫 ends it.
  HallClient client{server.commands()};
  auto help_state = [&] {
    json snap = client.call("snapshot", json::object()).result;
    for (const auto& e : snap["entities"])
      if (e["key"].get<std::string>().rfind("help/", 0) == 0) return e["value"]["state"].get<std::string>();
    return std::string();
  };
  x.click(405, 65);  // 呼叫帮办, top row beside 首页's place
  REQUIRE(x.wait_for([&] { return help_state() == "open"; }, 10000));
  REQUIRE(x.wait_for([&] { return x.ms_until_settled([] {}, 300, 3000) == -1; }, 10000));
  x.click(804, 1821);  // 取消呼叫, bottom right
  CHECK(x.wait_for([&] { return help_state() == "cancelled"; }, 10000));
  CHECK(kiosk.running());
}

TEST_CASE("real loop: a complaint written by a real finger on the kiosk's pad reaches the server as the character written") {
  auto dir = test::temp_dir("real-hand");
  test::ServerProcess server{dir};
  HallClient client{server.commands()};
  // Where the kiosk draws each button: an in-process kiosk of the same size on the same hall (the same code lays both out).
  kiosk::Options o;
  o.commands = server.commands(), o.updates = server.updates(), o.headless = true, o.state_dir = dir + "/probe";
  kiosk::Kiosk probe(o);
  REQUIRE(ui::drive(probe, [&] { return probe.mirror().synced(); }));
  auto rect_of = [&](const std::string& id) {
    probe.frame(5);
    for (const auto& b : ui::drawn_buttons())
      if (b.id == id) return b.rect;
    FAIL("no button '" << id << "' on the probe's page");
    return ui::Rect{};
  };
  std::map<std::string, ui::Rect> at;
  for (const char* id : {"home.complaint", "complaint_next", "ime_hand"}) {
    at[id] = rect_of(id);
    REQUIRE(ui::tap(probe, id));
  }
  at["hand_pad"] = rect_of("hand_pad");
  at["complaint_submit"] = rect_of("complaint_submit");
  const ui::Rect pad = at["hand_pad"];
  auto on_pad = [&](const kiosk::Corners& corners) {  // in whole pixels, as X takes them
    std::vector<std::pair<int, int>> points;
    for (auto [px, py] : kiosk::finger_points(corners, pad.x, pad.y, pad.w, pad.h)) points.push_back({int(px), int(py)});
    return points;
  };
  for (const auto& s : kiosk::sample_shi()) ui::stroke(probe, kiosk::finger_points(s, pad.x, pad.y, pad.w, pad.h));
  at["cand_0"] = rect_of("cand_0");
  auto centre = [&](const std::string& id) { return std::pair{int(at[id].x + at[id].w / 2), int(at[id].y + at[id].h / 2)}; };

  XSession x(1080, 1920);
  Child kiosk(with({HALL_KIOSK_BIN, "--size", "1080x1920", "--windowed", "--unlocked", "--state-dir", dir + "/kiosk"}, bus(server)),
              {"DISPLAY=" + x.display()}, dir + "/kiosk.log");
  const auto [tile_x, tile_y] = centre("home.complaint");
  const uint32_t ground = 0x0A1628 & 0xFFFFFF;
  REQUIRE(x.wait_for([&] { return x.pixel(tile_x, tile_y) != 0 && x.pixel(tile_x, tile_y) != ground; }, 15000));
  REQUIRE(x.wait_for([&] { return x.ms_until_settled([] {}, 600, 3000) == -1; }, 15000));
  for (const char* id : {"home.complaint", "complaint_next", "ime_hand"}) {
    const auto [cx, cy] = centre(id);
    CHECK(x.ms_until_settled([&] { x.click(cx, cy); }, 400) > 0);  // each tap changes the page
  }
  for (const auto& s : kiosk::sample_shi()) CHECK(x.ms_until_settled([&] { x.drag(on_pad(s)); }, 300) > 0);  // each stroke drawn, its candidates offered
  const auto [cand_x, cand_y] = centre("cand_0");
  CHECK(x.ms_until_settled([&] { x.click(cand_x, cand_y); }, 300) > 0);
  const auto [send_x, send_y] = centre("complaint_submit");
  x.click(send_x, send_y);
  std::string text;
  CHECK(x.wait_for([&] {
    json snap = client.call("snapshot", json::object()).result;
    for (const auto& e : snap["entities"])
      if (e["key"].get<std::string>().rfind("complaint/", 0) == 0) text = e["value"].value("text", "");
    return !text.empty();
  }, 10000));
  CHECK(text == "事");
  CHECK(kiosk.running());
}

TEST_CASE("real loop: a function key on the staff console and a tap on the evaluator each show their result within a frame") {
  auto dir = test::temp_dir("real-window");
  test::ServerProcess server{dir};
  HallClient client{server.commands()};
  REQUIRE(client.call("take_ticket", {{"category", "company"}}).ok);
  XSession console_x(1280, 800), evaluator_x(1280, 800);
  Child console(with({HALL_COUNTER_BIN, "--window", "1", "--size", "1280x800", "--staff", "S1", "--pin", "1111"}, bus(server)),
                {"DISPLAY=" + console_x.display()}, dir + "/counter.log");
  Child evaluator(with({HALL_EVALUATOR_BIN, "--window", "1", "--size", "1280x800", "--outbox", dir + "/outbox"}, bus(server)),
                  {"DISPLAY=" + evaluator_x.display()}, dir + "/evaluator.log");
  // Signed in (the window opens on the bus) and the console drawn.
  REQUIRE(test::eventually([&] {
    Reply r = client.call("get", {{"key", "window/1"}});
    return r.ok && r.result["value"].value("state", "") == "open";
  }, 15000));
  REQUIRE(console_x.wait_for([&] { return console_x.ms_until_settled([] {}, 400, 2000) == -1; }, 15000));

  // F1 calls the next citizen: a round trip to the server, then the ticket on the console.
  // The ticket in hand shows a seconds timer (已呼叫 00:01 …): settled means quiet for 600 ms, before its first tick.
  double call_ms = console_x.ms_until_settled([&] { console_x.key("F1"); }, 600);
  MESSAGE("real loop, console F1 → ticket in hand drawn: " << call_ms << " ms");
  CHECK(call_ms > 0);
  CHECK(call_ms < kWithinMs);
  Reply w = client.call("get", {{"key", "window/1"}});
  CHECK(w.result["value"]["ticket"].get<std::string>().find("A001") != std::string::npos);

  // F5 finishes: the evaluator turns to the rating by itself, then a tap on 非常满意 thanks.
  auto before = evaluator_x.grab();
  console_x.key("F5");
  REQUIRE(evaluator_x.wait_for([&] { return evaluator_x.grab() != before && evaluator_x.ms_until_settled([] {}, 400, 2000) == -1; }, 10000));
  double rate_ms = evaluator_x.ms_until_settled([&] { evaluator_x.click(134, 420); });
  MESSAGE("real loop, evaluator tap 非常满意 → thank-you page: " << rate_ms << " ms");
  CHECK(rate_ms > 0);
  CHECK(rate_ms < kWithinMs);
  REQUIRE(test::eventually([&] {
    Reply s = client.call("stats");
    return s.ok && s.result["today"]["ratings"] == 1;
  }, 10000));
  CHECK(console.running());
  CHECK(evaluator.running());
}

namespace {
// The box where two screens differ; empty when they are the same.
struct Box {
  int x0 = 1 << 30, y0 = 1 << 30, x1 = -1, y1 = -1;
  bool empty() const { return x1 < x0; }
};
Box changed_box(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b, int w, int h) {
  Box box;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      if (a[size_t(y) * size_t(w) + size_t(x)] != b[size_t(y) * size_t(w) + size_t(x)])
        box.x0 = std::min(box.x0, x), box.y0 = std::min(box.y0, y), box.x1 = std::max(box.x1, x), box.y1 = std::max(box.y1, y);
  return box;
}
// The leftward shift d (1..width/2) that turns `before` into `after` inside
// the box: after(x) == before(x + d) for every pixel both show; −1 when none.
int scroll_shift(const std::vector<uint32_t>& before, const std::vector<uint32_t>& after, int w, const Box& box) {
  const int bw = box.x1 - box.x0 + 1;
  for (int d = 1; d <= bw - 100; ++d) {  // at least 100 px seen in both
    bool all = true;
    for (int y = box.y0; y <= box.y1 && all; ++y)
      for (int x = box.x0; x + d <= box.x1 && all; ++x)
        all = after[size_t(y) * size_t(w) + size_t(x)] == before[size_t(y) * size_t(w) + size_t(x + d)];
    if (all) return d;
  }
  return -1;
}
}  // namespace

TEST_CASE("real loop: the hall board's ticker scrolls by copies of one strip, not frames") {
  auto dir = test::temp_dir("real-ticker");
  test::ServerProcess server{dir, {"--start", "2026-11-23T10:00"}};  // a working morning, whatever the time CI runs: a closed hall shows no ticker
  HallClient client(server.commands());
  REQUIRE(client.call("post_announcement", {{"text", "即日起本中心推行“周末不打烊”服务，周六上午正常受理社保、户籍业务，请携带身份证原件，"
                                                     "需要帮办代办的老年人、残疾人可到一楼综合咨询窗口登记，工作人员将全程陪同办理。"}})
              .ok);
  XSession x(1920, 1080);
  const std::string trace = dir + "/trace.txt";
  Child board(with({HALL_DISPLAY_BIN, "--page", "hall_board", "--size", "1920x1080", "--windowed", "--renderer", "software", "--trace", trace},
                   bus(server)),
              {"DISPLAY=" + x.display(), "SDL_AUDIODRIVER=dummy"}, dir + "/board.log");
  auto steps_and_frames = [&] {
    std::pair<int, int> n{0, 0};
    std::ifstream in(trace);
    std::string line;
    while (std::getline(in, line)) (line.find(" step") != std::string::npos ? n.first : n.second)++;
    return n;
  };
  REQUIRE(x.wait_for([&] { return steps_and_frames().first > 10; }, 15000));  // synced, drawn, and stepping
  // Only the ticker moves: what changes between two reads is one strip in the footer.
  // (A pair of reads across the clock's minute shows the header too: read another.)
  std::vector<uint32_t> a, b;
  Box box;
  auto frames_before = steps_and_frames().second;
  for (int attempt = 0; attempt < 3; ++attempt) {
    frames_before = steps_and_frames().second;
    a = x.grab();
    REQUIRE(x.wait_for([&] { return (b = x.grab()) != a; }, 2000));
    box = changed_box(a, b, 1920, 1080);
    if (box.y0 > 1080 * 8 / 10) break;
  }
  REQUIRE(!box.empty());
  INFO("changed: x " << box.x0 << "–" << box.x1 << ", y " << box.y0 << "–" << box.y1);
  CHECK(box.y0 > 1080 * 8 / 10);            // in the footer
  CHECK(box.x1 - box.x0 > 1920 / 3);        // across the ticker's width
  CHECK(scroll_shift(a, b, 1920, box) > 0);  // the same picture, moved left
  // Half a second of scrolling costs steps, not frames.
  const auto s0 = steps_and_frames();
  const auto t0 = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(500)) a = x.grab();
  const auto s1 = steps_and_frames();
  CHECK(s1.first - s0.first >= 8);          // 90 px/s in 3 px steps: about 15
  CHECK(s1.second - frames_before <= 2);    // nothing else changed: no frames (the clock's minute may cost one, with its glyphs two)
  // (A frame drawn between steps should take the scroll up where the steps had it; under a loaded
  // machine a read after such a frame was seen to match no shift of the read before it, which is
  // not understood yet: see the session 5 note. Not asserted until it is.)
}

TEST_CASE("real loop: a call's blink alternates two pictures on the hall board, the kept copy of each the same as the one drawn") {
  auto dir = test::temp_dir("real-blink");
  test::ServerProcess server{dir, {"--start", "2026-11-23T10:00"}};  // open, whatever the time CI runs
  HallClient client(server.commands());
  REQUIRE(client.call("open_window", {{"window", 1}, {"staff", "S1"}}).ok);
  REQUIRE(client.call("take_ticket", {{"category", "company"}}).ok);
  XSession x(1920, 1080);
  const std::string trace = dir + "/trace.txt";
  Child board(with({HALL_DISPLAY_BIN, "--page", "hall_board", "--size", "1920x1080", "--windowed", "--renderer", "software", "--trace", trace},
                   bus(server)),
              {"DISPLAY=" + x.display(), "SDL_AUDIODRIVER=dummy"}, dir + "/board.log");
  REQUIRE(x.wait_for([&] { return x.ms_until_settled([] {}, 400, 2000) == -1; }, 15000));  // up and at rest
  // The call panel (the hero, top left), as one number per picture.
  auto hero = [&] {
    auto px = x.grab();
    uint64_t h = 1469598103934665603ull;
    for (int y = 140; y < 520; ++y)
      for (int xx = 40; xx < 1080; ++xx) h = (h ^ px[size_t(y) * 1920 + size_t(xx)]) * 1099511628211ull;
    return h;
  };
  const uint64_t before = hero();
  REQUIRE(client.call("call_next", {{"window", 1}}).ok);
  std::vector<uint64_t> seen{before};
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(5500);  // the 4 s blink and after
  while (std::chrono::steady_clock::now() < end) {
    uint64_t h = hero();
    if (h != seen.back()) seen.push_back(h);
  }
  INFO("pictures in turn: " << seen.size());
  REQUIRE(seen.size() >= 6);  // before, then A B A B …, then at rest
  const uint64_t a = seen[1], b = seen[2];
  CHECK(a != b);
  for (size_t i = 1; i + 1 < seen.size(); ++i) CHECK(seen[i] == (i % 2 ? a : b));  // only the two, in turn
  CHECK(seen.back() != before);
}
