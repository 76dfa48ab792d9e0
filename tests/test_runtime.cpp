// The one screen runtime (shared/ui/runner.h) on its own: a program whose
// frame throws keeps running, the same failure repeated stops it, work posted
// from another thread runs on the UI thread and wakes the loop at once, a
// tap that changes the page shows the new page in the same turn, and the
// renderer is chosen as the config and the machine say.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "shared/ui/contrast.h"
#include "shared/ui/driver.h"
#include "shared/ui/runner.h"
#include "shared/ui/widgets.h"

using namespace hall;

namespace {

ui::ScreenOptions headless() {
  ui::ScreenOptions so;
  so.width = 800, so.height = 600, so.headless = true;
  return so;
}

// Two pages: a button on the first opens the second; draw() throws while `fail` says so.
struct TwoPages : ui::Program {
  ui::Runner runner{"test", {}};
  int page = 0, draws = 0;
  std::string fail;
  TwoPages() { runner.open(headless()); }
  ui::Screen& screen() { return runner.screen(); }
  bool frame(int wait_ms) { return runner.frame(*this, wait_ms); }
  int page_id() const override { return page; }
  void draw(ui::Canvas& c) override {
    ++draws;
    if (!fail.empty()) throw std::runtime_error(fail);
    if (page == 0 && ui::touch_button(c, "open", {100, 100, 300, 200}, "打开")) page = 1;
    c.text_in(ui::Size::Title, {0, 400, 800, 100}, ui::color::kText, page == 0 ? "第一页" : "第二页");
  }
};

bool drew(const ui::Screen& s, const std::string& text) {
  for (const auto& t : s.draw_log())
    if (t.text == text) return true;
  return false;
}

}  // namespace

TEST_CASE("a frame that throws is dropped and logged, the program keeps running, and the same failure repeated gives up") {
  TwoPages p;
  p.frame(1);
  CHECK(drew(p.screen(), "第一页"));
  p.fail = "the state had no such window";
  for (int i = 0; i < 5; ++i) CHECK(p.frame(1));
  CHECK(p.runner.failures() == 5);
  p.fail.clear();
  p.frame(1);  // recovered: ImGui's frame state was repaired, the page draws again
  CHECK(drew(p.screen(), "第一页"));
  p.fail = "always";
  bool gave_up = false;
  try {
    for (int i = 0; i < 25; ++i) p.frame(1);
  } catch (const std::runtime_error& e) {
    gave_up = std::string(e.what()).find("always") != std::string::npos;
  }
  CHECK(gave_up);
}

TEST_CASE("a tap that opens a page shows the new page in the same turn, not a frame later") {
  TwoPages p;
  p.frame(1);
  SDL_Event down{};
  down.type = SDL_MOUSEBUTTONDOWN, down.button.button = SDL_BUTTON_LEFT, down.button.x = 250, down.button.y = 200;
  SDL_Event up = down;
  up.type = SDL_MOUSEBUTTONUP;
  p.screen().inject(down);
  p.frame(1);
  const int frames_before = p.runner.frames();
  p.screen().inject(up);
  p.frame(1);  // the release: the old page's frame is thrown away, the new one rendered
  CHECK(p.page == 1);
  CHECK(drew(p.screen(), "第二页"));
  CHECK(p.runner.frames() == frames_before + 1);  // one frame rendered for it
}

TEST_CASE("work posted from another thread runs on the UI thread and wakes a sleeping loop at once") {
  TwoPages p;
  p.frame(1);
  std::thread::id ran_on;
  auto t0 = std::chrono::steady_clock::now();
  std::thread other([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the loop is asleep by then
    p.runner.queue().post([&] { ran_on = std::this_thread::get_id(); });
  });
  p.frame(5000);
  auto waited = std::chrono::steady_clock::now() - t0;
  other.join();
  CHECK(ran_on == std::this_thread::get_id());
  CHECK(waited < std::chrono::milliseconds(2000));  // woken by the post, not by the 5 s timeout

  ui::Worker worker(p.runner.queue());
  bool answered = false;
  worker.post([&]() -> std::function<void()> { return [&] { answered = true; }; });
  CHECK(worker.busy());  // until its answer has run on the UI thread
  worker.wait_idle();
  CHECK(worker.busy());
  CHECK_FALSE(answered);
  p.frame(1000);
  CHECK(answered);
  CHECK_FALSE(worker.busy());
}

TEST_CASE("the renderer: software where the only OpenGL would be a software one, either when asked, and a bad choice refused") {
  CHECK(ui::choose_renderer("auto", false, false).software);
  CHECK(ui::choose_renderer("auto", false, false).why.find("render node") != std::string::npos);
  CHECK_FALSE(ui::choose_renderer("auto", false, true).software);
  CHECK(ui::choose_renderer("software", false, true).software);
  CHECK_FALSE(ui::choose_renderer("gl", false, false).software);
  CHECK(ui::choose_renderer("gl", true, true).software);  // headless draws into memory whatever was asked
  CHECK(ui::software_gl_name("llvmpipe (LLVM 15.0.6, 256 bits)"));
  CHECK(ui::software_gl_name("softpipe"));
  CHECK_FALSE(ui::software_gl_name("Mesa Intel(R) UHD Graphics 620 (KBL GT2)"));
  ui::ScreenOptions so = headless();
  so.renderer = "vulkan";
  CHECK_THROWS_WITH_AS(ui::Screen{so}, doctest::Contains("renderer"), std::runtime_error);
  struct O { std::string commands, updates, renderer; int width = 0, height = 0; bool headless = false, fullscreen = false; CurveKeys curve; } o;
  ui::RunFlags run;
  const char* bad_size[] = {"prog", "--size", "big"};
  int i = 1;
  std::string kf, sk;
  CHECK_THROWS_WITH_AS(ui::parse_screen_flag(o, run, kf, sk, 3, const_cast<char**>(bad_size), i), doctest::Contains("--size"), ConfigError);
  const char* bad_renderer[] = {"prog", "--renderer", "vulkan"};
  i = 1;
  CHECK_THROWS_WITH_AS(ui::parse_screen_flag(o, run, kf, sk, 3, const_cast<char**>(bad_renderer), i), doctest::Contains("--renderer"), ConfigError);
  const char* lone_key[] = {"prog", "--key-file", "/nonexistent/k.key"};
  CHECK_THROWS_AS(ui::parse_command_line(o, run, 3, const_cast<char**>(lone_key), [](const std::string&, int&) { return false; }), ConfigError);
}

TEST_CASE("contrast is measured on the rendered pixels: white on the old tile blue fails, on the new one passes") {
  CHECK(ui::contrast_ratio(IM_COL32(255, 255, 255, 255), IM_COL32(0, 0, 0, 255)) == doctest::Approx(21.0));
  CHECK(ui::contrast_ratio(IM_COL32(255, 255, 255, 255), IM_COL32(64, 156, 255, 255)) < 3.0);  // the old tile blue: 2.8:1
  CHECK(ui::contrast_ratio(IM_COL32(255, 255, 255, 255), ui::color::kTile) >= ui::kMinContrast);
  ui::Screen screen(headless());
  for (int frame = 0; frame < 3; ++frame) {
    ui::Canvas c = screen.begin_frame();
    c.fill({0, 0, 400, 200}, IM_COL32(64, 156, 255, 255));
    c.text_in(ui::Size::Title, {20, 50, 360, 100}, ui::color::kText, "旧的蓝色");
    c.fill({400, 0, 400, 200}, ui::color::kTile);
    c.text_in(ui::Size::Title, {420, 50, 360, 100}, ui::color::kText, "新的蓝色");
    screen.end_frame();
  }
  int pitch = 0;
  const unsigned char* px = screen.pixels(&pitch);
  REQUIRE(px);
  auto found = ui::measure_text_contrast(screen.draw_log(), px, screen.width(), screen.height(), pitch);
  REQUIRE(found.size() == 2);
  CHECK(found[0].ratio < 3.0);
  CHECK(found[1].ratio >= ui::kMinContrast);
}

TEST_CASE("wrapped lines fit their width: a closing mark takes the character before it down, never hangs past the edge") {
  ui::Screen screen(headless());
  const std::string rules = "请在预约时段开始前 15 分钟内到自助机签到取号，按时签到优先叫号；开始后 15 分钟内仍可优先，再晚按普通排队。"
                            "不能来请至少提前 60 分钟取消。30 天内 3 次预约未到，14 天内不能再预约。";
  // Many widths, so some line ends just before a 。 or ，: each line fits and none starts with a mark.
  for (int frame = 0; frame < 2; ++frame) {  // the second frame has every glyph in the atlas
    ui::Canvas c = screen.begin_frame();
    if (frame == 1) {
      for (float width = 200; width <= 900; width += 7) {
        auto lines = c.wrap(ui::Size::Title, width, rules);
        std::string joined;
        for (const auto& line : lines) {
          CHECK_MESSAGE(c.measure(ui::Size::Title, line).x <= width, width, ": ", line);
          CHECK(line.rfind("，", 0) != 0);
          CHECK(line.rfind("。", 0) != 0);
          joined += line;
        }
        CHECK(joined.size() <= rules.size());  // nothing added (a space at a break may go)
        CHECK(joined.size() + 8 >= rules.size());
      }
      auto latin = c.wrap(ui::Size::Body, 300, "Come 15 minutes before your slot. Late arrivals join the normal queue.");
      for (const auto& line : latin) CHECK(line.back() != ' ');
      CHECK(latin.size() >= 2);
    }
    screen.end_frame();
  }
}
