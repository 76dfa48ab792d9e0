// hall-display end to end: a real hall server, commands through the bus,
// the real program rendering headless (SDL offscreen, software renderer),
// then checks on what was drawn where (its draw log) and on the pixels.
#include <doctest/doctest.h>

#include <signal.h>
#include <stb/stb_image.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "display/announcer.h"
#include "display/page.h"
#include "shared/mirror.h"
#include "shared/stats.h"
#include "shared/ui/screen.h"
#include "shared/client.h"
#include "tests/support.h"

using namespace hall;

namespace {

struct Shot {
  int status = -1;
  std::string output;
  json texts;                        // the draw log
  int w = 0, h = 0;
  std::vector<unsigned char> rgba;

  // The first drawn text containing `needle`.
  const json* find(const std::string& needle) const {
    for (const auto& t : texts)
      if (t["text"].get<std::string>().find(needle) != std::string::npos) return &t;
    return nullptr;
  }
  bool has(const std::string& needle) const { return find(needle) != nullptr; }
  std::array<int, 3> pixel(int x, int y) const {
    size_t i = (size_t(y) * size_t(w) + size_t(x)) * 4;
    return {rgba[i], rgba[i + 1], rgba[i + 2]};
  }
  // How many pixels inside a text's box are bright: the glyphs were really drawn.
  int bright_pixels(const json& t) const {
    int n = 0;
    for (int y = int(t["y"].get<double>()); y < int(t["y"].get<double>() + t["h"].get<double>()) && y < h; ++y)
      for (int x = int(t["x"].get<double>()); x < int(t["x"].get<double>() + t["w"].get<double>()) && x < w; ++x) {
        auto p = pixel(x, y);
        if (p[0] + p[1] + p[2] > 450) ++n;
      }
    return n;
  }
};

Shot screenshot(const test::ServerProcess& server, const std::string& dir, std::vector<std::string> args) {
  static int n = 0;
  std::string png = dir + "/shot" + std::to_string(++n) + ".png", log = dir + "/shot" + std::to_string(n) + ".json";
  std::vector<std::string> argv{HALL_DISPLAY_BIN, "--commands", server.commands(), "--updates", server.updates(),
                                "--screenshot", png, "--drawlog", log};
  argv.insert(argv.end(), args.begin(), args.end());
  Shot s;
  auto r = test::run_program(argv, 60000);
  s.status = r.status;
  s.output = r.output;
  if (r.status != 0) return s;
  std::ifstream in(log);
  s.texts = json::parse(in);
  int channels = 0;
  unsigned char* data = stbi_load(png.c_str(), &s.w, &s.h, &channels, 4);
  REQUIRE(data);
  s.rgba.assign(data, data + size_t(s.w) * size_t(s.h) * 4);
  stbi_image_free(data);
  return s;
}

// A hall at 10:00 on a Monday, with a few tickets called.
struct Hall {
  std::string dir = test::temp_dir("display");
  test::ServerProcess server{dir, {"--start", "2026-11-23T10:00", "--speed", "1"}};
  HallClient client{server.commands()};
  Reply must(const std::string& cmd, const json& args) {
    Reply r = client.call(cmd, args);
    INFO(cmd << ": " << r.message);
    REQUIRE(r.ok);
    return r;
  }
};

}  // namespace

TEST_CASE("the hall board shows the current call in large type — the recent calls and the queues") {
  Hall h;
  h.must("open_window", {{"window", 1}, {"staff", "S1"}});
  h.must("open_window", {{"window", 3}, {"staff", "S3"}});
  for (int i = 0; i < 3; ++i) h.must("take_ticket", {{"category", "company"}});
  h.must("take_ticket", {{"category", "tax"}});
  h.must("call_next", {{"window", 3}});   // C001 → 3
  h.must("call_next", {{"window", 1}});   // A001 → 1
  Shot s = screenshot(h.server, h.dir, {"--page", "hall_board"});
  REQUIRE_MESSAGE(s.status == 0, s.output);
  CHECK(s.w == 1920);
  CHECK(s.h == 1080);
  const json* call = s.find("请 A001 号");
  const json* where = s.find("到 1 号窗口");
  REQUIRE(call);
  REQUIRE(where);
  CHECK((*call)["size"] == 4);                       // the huge size
  CHECK((*call)["x"].get<double>() < 960);           // left half, the call panel
  CHECK((*where)["y"].get<double>() > (*call)["y"].get<double>());
  CHECK(s.bright_pixels(*call) > 500);               // really drawn, white on blue
  CHECK(s.has("C001"));                              // in the recent calls
  // Queue rows: company has 2 waiting, on the same line as its name.
  const json* company = s.find("A  企业开办");
  REQUIRE(company);
  bool two_on_row = false;
  for (const auto& t : s.texts)
    if (t["text"] == "2" && std::abs(t["y"].get<double>() + t["h"].get<double>() / 2 - (*company)["y"].get<double>() -
                                     (*company)["h"].get<double>() / 2) < 20)
      two_on_row = true;
  CHECK(two_on_row);
  CHECK(s.has("示范县") == false);                   // the test hall's own name instead
  CHECK(s.has("测试政务服务中心"));
}

TEST_CASE("the window screen shows the ticket in hand and the masked staff name — 暂停服务 when paused") {
  Hall h;
  h.must("open_window", {{"window", 4}, {"staff", "S4"}});  // 欧阳文静
  h.must("take_ticket", {{"category", "company"}});
  h.must("take_ticket", {{"category", "tax"}});
  h.must("call_next", {{"window", 4}});
  Shot open = screenshot(h.server, h.dir, {"--page", "window", "--window", "4"});
  REQUIRE_MESSAGE(open.status == 0, open.output);
  CHECK(open.has("4 号窗口"));
  CHECK(open.has("A001"));                           // in hand
  CHECK(open.has("C001"));                           // next: window 4 serves tax too
  CHECK(open.has("欧**静"));
  CHECK(open.has("工号 S4"));
  for (const auto& t : open.texts) CHECK(t["text"].get<std::string>().find("欧阳文静") == std::string::npos);

  h.must("finish", {{"window", 4}});
  h.must("pause_window", {{"window", 4}, {"reason", "午休"}});
  Shot paused = screenshot(h.server, h.dir, {"--page", "window", "--window", "4"});
  REQUIRE(paused.status == 0);
  const json* banner = paused.find("暂停服务");
  REQUIRE(banner);
  CHECK((*banner)["color"] == 0xFF26A7FF);           // amber (IM_COL32 is ABGR)
  CHECK(paused.has("午休，请稍候"));
  auto bg = paused.pixel(paused.w / 2, paused.h - 60);  // the paused panel's dark amber ground
  CHECK(bg[0] == 90);
  CHECK(bg[1] == 60);
  CHECK(bg[2] == 10);
}

TEST_CASE("the ratings board ranks departments and marks overdue follow-ups") {
  std::string dir = test::temp_dir("display-ratings");
  // Monday 11-09: a 差评 at window 1; its follow-up is due 5 working days later (11-16).
  {
    test::ServerProcess monday(dir, {"--start", "2026-11-09T10:00"});
    HallClient c(monday.commands());
    REQUIRE(c.call("open_window", {{"window", 1}, {"staff", "S1"}}).ok);
    REQUIRE(c.call("open_window", {{"window", 2}, {"staff", "S2"}}).ok);
    for (int i = 0; i < 2; ++i) {
      REQUIRE(c.call("take_ticket", {{"category", "company"}}).ok);
      REQUIRE(c.call("take_ticket", {{"category", "realestate"}}).ok);
    }
    for (int i = 0; i < 2; ++i) {
      REQUIRE(c.call("call_next", {{"window", 1}}).ok);
      REQUIRE(c.call("finish", {{"window", 1}}).ok);
      REQUIRE(c.call("call_next", {{"window", 2}}).ok);
      REQUIRE(c.call("finish", {{"window", 2}}).ok);
    }
    REQUIRE(c.call("rate", {{"ticket", "A001"}, {"level", 1}, {"reasons", {"服务态度差"}}}).ok);
    REQUIRE(c.call("rate", {{"ticket", "A002"}, {"level", 5}}).ok);
    REQUIRE(c.call("rate", {{"ticket", "B001"}, {"level", 5}}).ok);
  }
  // Wednesday 11-18, same database: the follow-up is overdue, the month the same.
  test::ServerProcess later(dir, {"--start", "2026-11-18T11:00"});
  CHECK(later.database() == dir + "/hall.db");  // the same database, new ports
  Shot s = screenshot(later, dir, {"--page", "ratings"});
  REQUIRE_MESSAGE(s.status == 0, s.output);
  CHECK(s.has("部门好评率排名"));
  const json* first = s.find("不动产登记中心");
  const json* second = s.find("市场监管局");
  REQUIRE(first);
  REQUIRE(second);
  CHECK((*first)["y"].get<double>() < (*second)["y"].get<double>());  // 100% ranks above 50%
  CHECK(s.has("50.0%"));
  const json* overdue = s.find("已超期");
  REQUIRE(overdue);
  CHECK((*overdue)["color"] == 0xFF5C5CFF);         // red
}

TEST_CASE("the approval board and the leader dashboard show the catalogue's figures") {
  Hall h;
  h.must("accept_case", {{"item", "BDC002"}, {"accepted_day", "2026-11-16"}});  // due 11-19: overdue
  Shot a = screenshot(h.server, h.dir, {"--page", "approval"});
  REQUIRE_MESSAGE(a.status == 0, a.output);
  CHECK(a.has("部门审批时限压缩排行"));
  CHECK(a.has("125 / 9"));                          // 不动产登记中心: Σ法定 / Σ承诺
  CHECK(a.has("92.8%"));                            // its 压缩率
  h.must("take_ticket", {{"category", "tax"}});
  h.must("submit_complaint", {{"kind", "unresolved"}, {"text", "跑了三次"}});
  h.must("submit_complaint", {{"kind", "suggestion"}, {"text", "多放椅子"}});  // a suggestion is not an alert
  Shot l = screenshot(h.server, h.dir, {"--page", "leader"});
  REQUIRE_MESSAGE(l.status == 0, l.output);
  CHECK(l.has("今日取号"));
  CHECK(l.has("超期办件 1 件：不动产登记中心 1"));
  CHECK(l.has("“办不成事”待处理 1 件"));
  CHECK_FALSE(l.has("投诉待处理"));
  CHECK(l.has("今日分时取号"));
}

TEST_CASE("outside opening hours the closed page is shown") {
  std::string dir = test::temp_dir("display-closed");
  test::ServerProcess evening(dir, {"--start", "2026-11-23T19:30"});
  Shot s = screenshot(evening, dir, {"--page", "hall_board"});
  REQUIRE_MESSAGE(s.status == 0, s.output);
  CHECK(s.has("今日服务已结束"));
  CHECK(s.has("办公时间 08:30 — 17:30"));
  CHECK_FALSE(s.has("最近叫号"));
}

TEST_CASE("4K and portrait screens are laid out from the same page") {
  Hall h;
  h.must("open_window", {{"window", 1}, {"staff", "S1"}});
  h.must("take_ticket", {{"category", "company"}});
  h.must("call_next", {{"window", 1}});
  Shot big = screenshot(h.server, h.dir, {"--page", "hall_board", "--size", "3840x2160"});
  REQUIRE_MESSAGE(big.status == 0, big.output);
  CHECK(big.w == 3840);
  const json* call = big.find("请 A001 号");
  REQUIRE(call);
  CHECK((*call)["h"].get<double>() > 200);          // twice the 1080p type
  Shot tall = screenshot(h.server, h.dir, {"--page", "hall_board", "--portrait"});
  REQUIRE(tall.status == 0);
  CHECK(tall.w == 1080);
  CHECK(tall.h == 1920);
  for (const auto& t : tall.texts) {                 // nothing drawn past the right edge
    INFO(t["text"]);
    CHECK(t["x"].get<double>() + t["w"].get<double>() <= 1080 + 1);
  }
}

TEST_CASE("a bad layout is refused naming the file and the key") {
  std::string dir = test::temp_dir("layout");
  test::write_file(dir + "/l.json", R"({"pages": [{"page": "weather"}]})");
  auto r = test::run_program({HALL_DISPLAY_BIN, "--layout", dir + "/l.json", "--screenshot", dir + "/x.png"});
  CHECK(r.status == 2);
  CHECK(r.output.find("l.json: pages[0].page: unknown page 'weather'") != std::string::npos);
  test::write_file(dir + "/w.json", R"({"pages": ["window"]})");
  r = test::run_program({HALL_DISPLAY_BIN, "--layout", dir + "/w.json", "--screenshot", dir + "/x.png"});
  CHECK(r.status == 2);
  CHECK(r.output.find("w.json: window:") != std::string::npos);
  // County layouts: the pages of one server only, a scope of one kind, a period the rankings know.
  struct Bad {
    const char* text;
    const char* says;
  };
  for (const Bad& b : {Bad{R"({"pages": ["county_overview", "hall_board"]})", "c.json: pages: county pages (county_*) and a hall's pages"},
                       Bad{R"({"pages": ["county_rankings"], "period": "decade"})", "c.json: period: must be"},
                       Bad{R"({"pages": ["county_overview"], "scope": {"township": "a", "hall": "b"}})", "c.json: scope: must be"},
                       Bad{R"({"pages": ["county_overview"], "county_server": {"updates": "10.0.0.1:5571"}})", "c.json: county_server.updates: must be a tcp://"},
                       Bad{R"({"pages": ["hall_board"], "scope": {"hall": "x"}})", "c.json: scope: is for county pages"}}) {
    test::write_file(dir + "/c.json", b.text);
    r = test::run_program({HALL_DISPLAY_BIN, "--layout", dir + "/c.json", "--screenshot", dir + "/x.png"});
    INFO(b.text << " → " << r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find(b.says) != std::string::npos);
  }
}

TEST_CASE("a county screen with no county server says so and exits non-zero") {
  std::string dir = test::temp_dir("nocounty");
  test::write_file(dir + "/c.json", R"({"pages": ["county_overview"], "county_server": {"commands": "tcp://127.0.0.1:)" +
                                        std::to_string(test::free_port()) + R"(", "updates": "tcp://127.0.0.1:)" + std::to_string(test::free_port()) + R"("}})");
  auto r = test::run_program({HALL_DISPLAY_BIN, "--layout", dir + "/c.json", "--screenshot", dir + "/x.png"}, 40000);  // it waits 15 s for a state
  CHECK(r.status == 1);
  CHECK(r.output.find("no state from the county server") != std::string::npos);
}

TEST_CASE("a display with no hall server says so and exits non-zero") {
  std::string dir = test::temp_dir("noserver");
  int port = test::free_port();
  auto r = test::run_program({HALL_DISPLAY_BIN, "--commands", "tcp://127.0.0.1:" + std::to_string(port), "--updates",
                              "tcp://127.0.0.1:" + std::to_string(test::free_port()), "--screenshot", dir + "/x.png"},
                             60000);
  CHECK(r.status == 1);
  CHECK(r.output.find("no state from the hall server") != std::string::npos);
}

TEST_CASE("announcements speak the ticket digit by digit and queue without overlapping") {
  CHECK(display::Announcer::words("A023", 5, false) == "请 A 零二三 号，到 五 号窗口办理");
  CHECK(display::Announcer::words("B101", 12, true) == "再次呼叫，请 B 一零一 号，到 十二 号窗口办理");
  CHECK(display::Announcer::words("C009", 105, false) == "请 C 零零九 号，到 一百零五 号窗口办理");
  setenv("SDL_AUDIODRIVER", "dummy", 1);
  display::Announcer announcer(true, "cmn");
  announcer.announce("A001", 1, false);
  announcer.announce("A002", 2, false);
  announcer.announce("A001", 1, true);
  REQUIRE(test::eventually([&] { return announcer.idle() && announcer.spoken().size() == 3; }, 30000));
  auto spoken = announcer.spoken();
  CHECK(spoken[0].find("零零一") != std::string::npos);
  CHECK(spoken[1].find("零零二") != std::string::npos);
  CHECK(spoken[2].rfind("再次呼叫", 0) == 0);
}

TEST_CASE("a display stopping while it announces a call stops at once, not after the announcement (or never)") {
  setenv("SDL_AUDIODRIVER", "dummy", 1);
  auto announcer = std::make_unique<display::Announcer>(true, "cmn");
  for (int i = 0; i < 3; ++i) announcer->announce("A00" + std::to_string(i + 1), 1, false);  // about 10 s of chime and speech
  REQUIRE(test::eventually([&] { return !announcer->idle(); }, 5000));
  const auto t0 = std::chrono::steady_clock::now();
  announcer.reset();
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(800));  // the chime alone is 0.9 s
}

namespace {

// A running hall-display (headless, PNG and draw log refreshed every second).
struct LiveDisplay {
  std::string log;
  pid_t pid = -1;
  // png: refresh a PNG and draw log every second (that costs a frame a second); else only what changes draws.
  LiveDisplay(const test::ServerProcess& server, const std::string& dir, std::vector<std::string> args, bool png = true) {
    log = dir + "/live.json";
    std::vector<std::string> argv{HALL_DISPLAY_BIN, "--headless", "--commands", server.commands(), "--updates", server.updates()};
    if (png) argv.insert(argv.end(), {"--png", dir + "/live.png", "--png-every", "1", "--drawlog", log});
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> raw;
    for (auto& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    pid = fork();
    if (pid == 0) {
      execv(raw[0], raw.data());
      _exit(127);
    }
  }
  ~LiveDisplay() {
    kill(pid, SIGTERM);
    int status;
    waitpid(pid, &status, 0);
  }
  json texts() const {
    std::ifstream in(log);
    json j = json::parse(in, nullptr, false);
    return j.is_discarded() ? json::array() : j;
  }
  const json find(const std::string& needle) const {
    for (const auto& t : texts())
      if (t["text"].get<std::string>().find(needle) != std::string::npos) return t;
    return nullptr;
  }
  bool shows(const std::string& needle) const { return !find(needle).is_null(); }
};

}  // namespace

TEST_CASE("a silent bus shows the last state marked stale — and the screen recovers by itself") {
  Hall h;
  h.must("open_window", {{"window", 1}, {"staff", "S1"}});
  h.must("take_ticket", {{"category", "company"}});
  h.must("call_next", {{"window", 1}});
  LiveDisplay d(h.server, h.dir, {"--page", "hall_board"});
  REQUIRE(test::eventually([&] { return d.shows("请 A001 号"); }, 20000));
  CHECK_FALSE(d.shows("连接中断"));
  h.server.kill9();
  REQUIRE(test::eventually([&] { return d.shows("连接中断"); }, 15000));
  CHECK(d.shows("请 A001 号"));                         // the last known state stays
  json banner = d.find("连接中断");
  CHECK(banner["text"].get<std::string>().find("的数据") != std::string::npos);  // with the time of the last update
  h.server.start();
  REQUIRE(test::eventually([&] { return !d.shows("连接中断"); }, 20000));
  CHECK(d.shows("请 A001 号"));
}

TEST_CASE("a layout rotates its pages") {
  Hall h;
  test::write_file(h.dir + "/rotate.json", R"({"pages": [{"page": "hall_board", "seconds": 3}, {"page": "ratings", "seconds": 3}]})");
  LiveDisplay d(h.server, h.dir, {"--layout", h.dir + "/rotate.json", "--commands", h.server.commands(), "--updates", h.server.updates()});
  REQUIRE(test::eventually([&] { return d.shows("大厅综合屏"); }, 20000));
  REQUIRE(test::eventually([&] { return d.shows("好差评公示"); }, 10000));
  REQUIRE(test::eventually([&] { return d.shows("大厅综合屏"); }, 10000));
  // Without a PNG to refresh (a real wall screen), the next page is drawn when it is due, not a second or more later.
  const std::string trace = h.dir + "/rotate-trace.txt";
  LiveDisplay quiet(h.server, h.dir, {"--layout", h.dir + "/rotate.json", "--trace", trace}, false);
  std::vector<test::TraceFrame> frames;
  REQUIRE(test::eventually([&] {
    frames = test::read_trace_frames(trace);
    int turns = 0;
    for (size_t i = 1; i < frames.size(); ++i) turns += frames[i].page != frames[i - 1].page;
    return turns >= 2;
  }, 15000));
  std::vector<int64_t> at;  // when each page was first drawn
  for (size_t i = 1; i < frames.size(); ++i)
    if (frames[i].page != frames[i - 1].page) at.push_back(frames[i].us);
  REQUIRE(at.size() >= 2);
  CHECK(double(at[1] - at[0]) / 1000.0 == doctest::Approx(3000).epsilon(0.1));  // 3 s a page, ±300 ms
}

// The frames the display drew, from its --trace file: wall clock µs each.
static std::vector<int64_t> trace_frames(const std::string& path) {
  std::vector<int64_t> out;
  for (const auto& f : test::read_trace_frames(path)) out.push_back(f.us);
  return out;
}

TEST_CASE("a new call blinks with a frame at each edge of the blink, not thirty a second, and an idle board draws nothing") {
  Hall h;
  h.must("open_window", {{"window", 1}, {"staff", "S1"}});
  h.must("post_announcement", {{"text", "欢迎办事"}});  // short: the ticker stands still
  for (int i = 0; i < 2; ++i) h.must("take_ticket", {{"category", "company"}});
  h.must("call_next", {{"window", 1}});
  const std::string trace = h.dir + "/trace.txt";
  LiveDisplay d(h.server, h.dir, {"--page", "hall_board", "--trace", trace}, false);
  REQUIRE(test::eventually([&] { return !trace_frames(trace).empty(); }, 20000));
  // Idle: the call shown at start is not news. (The waits below are measurement windows, not settling.)
  size_t at_rest = trace_frames(trace).size();
  auto quiet_until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  REQUIRE(test::eventually([&] { return std::chrono::steady_clock::now() >= quiet_until; }, 3000));
  const size_t idle_frames = trace_frames(trace).size() - at_rest;
  CHECK(idle_frames <= 2);  // a minute turning over at most
  // A new call: it flashes for 4 s, 500 ms on and 500 ms off.
  h.must("finish", {{"window", 1}});
  h.must("call_next", {{"window", 1}});
  size_t before = trace_frames(trace).size();
  auto flash_over = std::chrono::steady_clock::now() + std::chrono::milliseconds(4600);
  REQUIRE(test::eventually([&] { return std::chrono::steady_clock::now() >= flash_over; }, 6000));
  const size_t flash_frames = trace_frames(trace).size() - before;
  MESSAGE("hall board: " << idle_frames << " frames in 2 s at rest, " << flash_frames << " frames for a 4 s flash");
  CHECK(flash_frames >= 8);   // every edge drawn: it does blink
  CHECK(flash_frames <= 16);  // and only the edges (30 a second would be ~120)
}

namespace {

// The text drawn in the same row as `label` (their boxes overlap vertically)
// and to its right: a row's figure.
const json* beside(const Shot& s, const json& label) {
  const json* best = nullptr;
  double ly = label["y"].get<double>() + label["h"].get<double>() / 2, lx = label["x"].get<double>() + label["w"].get<double>();
  for (const auto& t : s.texts) {
    double y = t["y"].get<double>(), h = t["h"].get<double>(), x = t["x"].get<double>();
    if (&t == &label || ly < y || ly > y + h || x < lx) continue;
    if (!best || x < (*best)["x"].get<double>()) best = &t;
  }
  return best;
}

// The text centred under `label` (a KPI tile: the label, then its value).
const json* under(const Shot& s, const json& label) {
  const json* best = nullptr;
  double cx = label["x"].get<double>() + label["w"].get<double>() / 2, ly = label["y"].get<double>();
  for (const auto& t : s.texts) {
    double x = t["x"].get<double>(), w = t["w"].get<double>(), y = t["y"].get<double>();
    if (&t == &label || y <= ly + 1 || y > ly + 260 || std::abs(x + w / 2 - cx) > 3) continue;
    if (!best || y < (*best)["y"].get<double>()) best = &t;
  }
  return best;
}

std::string text_of(const json* t) { return t ? t->at("text").get<std::string>() : "(nothing)"; }

std::string rate_text(const json& score) {
  int total = score.value("total", 0);
  return total ? percent_text(double(score.value("good", 0)) / total) : "—";
}

}  // namespace

TEST_CASE("after a simulated day every page shows the figures the server's stats command gives") {
  std::string dir = test::temp_dir("display-figures");
  {  // a morning of a busy hall, at 600× (hall-sim follows the server's clock)
    test::ServerProcess morning(dir, {"--start", "2026-11-23T08:40", "--speed", "600"});
    auto sim = test::run_program({HALL_SIM_BIN, "--commands", morning.commands(), "--updates", morning.updates(), "--minutes", "0.2",
                                  "--visitors", "520", "--quiet"}, 60000);
    REQUIRE_MESSAGE(sim.status == 0, sim.output);
  }
  // The same database in the afternoon, at real speed: the figures hold still while the pages are drawn.
  test::ServerProcess later(dir, {"--start", "2026-11-23T14:30", "--speed", "1"});
  HallClient client(later.commands());
  Reply stats = client.call("stats", json::object());
  REQUIRE(stats.ok);
  const json& st = stats.result;
  REQUIRE(st["today"]["issued"].get<int>() > 50);  // a real morning happened
  REQUIRE(st["today"]["mean_wait_ms"].get<int64_t>() > 0);

  Shot leader = screenshot(later, dir, {"--page", "leader"});
  REQUIRE_MESSAGE(leader.status == 0, leader.output);
  auto tile = [&](const Shot& s, const std::string& label) {
    const json* l = s.find(label);
    REQUIRE_MESSAGE(l, label);
    return text_of(under(s, *l));
  };
  const json& hall = st["approval"]["hall"];
  CHECK(tile(leader, "今日取号") == std::to_string(st["today"]["issued"].get<int>()));
  CHECK(tile(leader, "已办结") == std::to_string(st["today"]["served"].get<int>()));
  CHECK(tile(leader, "正在等候") == std::to_string(st["today"]["waiting"].get<int>()));
  CHECK(tile(leader, "平均等候") == display::minutes_text(st["today"]["mean_wait_ms"].get<int64_t>()));
  CHECK(tile(leader, "时限压缩率") == percent_text(hall["compression"].get<double>()));
  CHECK(tile(leader, "提前办结率") == (hall["finished"].get<int>() ? percent_text(hall["early_rate"].get<double>()) : "—"));
  CHECK(tile(leader, "超期件") == std::to_string(hall["overdue"].get<int>()));
  CHECK(leader.has(rate_text(st["ratings"]["hall_today"])));  // the 今日好评率 gauge

  Shot ratings = screenshot(later, dir, {"--page", "ratings"});
  REQUIRE_MESSAGE(ratings.status == 0, ratings.output);
  CHECK(tile(ratings, "今日好评率") == rate_text(st["ratings"]["hall_today"]));
  CHECK(tile(ratings, "本月好评率") == rate_text(st["ratings"]["hall_month"]));
  CHECK(tile(ratings, "本月评价") == std::to_string(st["ratings"]["hall_month"]["total"].get<int>()));
  CHECK(tile(ratings, "本月差评") == std::to_string(st["ratings"]["hall_month"]["bad"].get<int>()));
  for (auto& [window, score] : st["ratings"]["window_month"].items()) {
    const json* row = ratings.find(window + " 号窗口");
    REQUIRE_MESSAGE(row, "window " << window << " is on the ratings board");
    CHECK(text_of(beside(ratings, *row)) == rate_text(score));
  }

  Shot board = screenshot(later, dir, {"--page", "hall_board"});
  REQUIRE_MESSAGE(board.status == 0, board.output);
  for (const auto& q : st["queues"]) {
    INFO("queue " << q["name"].get<std::string>());
    const json* row = board.find(q["name"].get<std::string>());
    REQUIRE(row);
    CHECK(text_of(beside(board, *row)) == std::to_string(q["waiting"].get<int>()));
  }
  CHECK(board.has("今日取号 " + std::to_string(st["today"]["issued"].get<int>()) + " · 好评率 " + rate_text(st["ratings"]["hall_today"])));

  Shot approval = screenshot(later, dir, {"--page", "approval"});
  REQUIRE_MESSAGE(approval.status == 0, approval.output);
  for (auto& [name, d] : st["approval"]["departments"].items()) {
    if (!d["items"].get<int>()) continue;
    INFO("department " << name);
    const json* row = approval.find(name);
    REQUIRE(row);
    CHECK(text_of(beside(approval, *row)) == std::to_string(d["legal_days"].get<int>()) + " / " + std::to_string(d["promised_days"].get<int>()));
  }
}

TEST_CASE("the ratings board shows every window, the lowest-rated too, turning pages when they do not fit") {
  std::string dir = test::temp_dir("display-every-window");
  test::ServerProcess server(dir, {"--start", "2026-11-23T10:00", "--speed", "1"}, test::busy_hall_config(24));
  HallClient c(server.commands());
  const char* categories[] = {"company", "realestate", "tax", "social", "police", "civil", "construction", "health", "medical", "consult"};
  for (int n = 1; n <= 24; ++n) {
    REQUIRE(c.call("open_window", {{"window", n}, {"staff", "S" + std::to_string(n)}}).ok);
    std::string key = c.call("take_ticket", {{"category", categories[(n - 1) % 10]}}).result["ticket"]["key"];
    REQUIRE(c.call("call_next", {{"window", n}}).ok);
    REQUIRE(c.call("finish", {{"window", n}}).ok);
    REQUIRE(c.call("rate", {{"ticket", key}, {"level", n == 17 ? 1 : 5}, {"reasons", n == 17 ? json{"等候时间长"} : json::array()}}).ok);
  }
  HallMirror mirror(server.commands(), server.updates());
  mirror.start();
  REQUIRE(mirror.wait_until([](const HallState& s) { return s.ratings.size() == 24; }, 10000));
  HallState state = mirror.copy();
  const int64_t now = c.call("ping").result["now_ms"];
  HallStats stats = compute_stats(state, now);
  ui::ScreenOptions so;
  so.headless = true;
  ui::Screen screen(so);
  display::Layout layout;
  auto page = display::make_page("ratings");
  std::map<int, int> seen;  // window → the board page it was on
  bool turned = false;
  for (int turn = 0; turn < 4; ++turn) {
    for (int frame = 0; frame < 3; ++frame) {  // glyphs first, then the frame counted
      ui::Canvas canvas = screen.begin_frame();
      display::PageContext ctx{state, stats, layout, canvas, ui::Rect{0, 0, 1920, 1080}, now};
      ctx.real_ms = int64_t(turn) * 8000;
      page->draw(ctx);
      screen.end_frame();
      turned |= ctx.redraw_in_ms > 0 && ctx.redraw_in_ms <= 8000;
    }
    for (const auto& t : screen.draw_log()) {
      int n = 0;
      char tail[32] = "";
      if (std::sscanf(t.text.c_str(), "%d %31s", &n, tail) == 2 && std::string(tail) == "号窗口") seen.emplace(n, turn);
    }
  }
  CHECK(seen.size() == 24);                    // every window, over the board's pages
  CHECK(seen.count(17) == 1);                  // the lowest-rated one is on it
  CHECK(turned);                               // 24 do not fit one page: it turns, and says when
}

TEST_CASE("呼叫帮办 on the hall board's footer and the leader's alerts while nobody has taken it, and a layout may keep it off the board") {
  Hall h;
  Reply asked = h.must("ask_help", {{"device", "kiosk-east"}, {"place", "东门自助区 1 号机"}, {"page", "categories"}});
  h.must("ask_help", {{"device", "kiosk-west"}});
  Shot board = screenshot(h.server, h.dir, {"--page", "hall_board"});
  REQUIRE_MESSAGE(board.status == 0, board.output);
  const json* footer = board.find("呼叫帮办：东门自助区 1 号机 · 0 分钟（另 1 处）");
  REQUIRE(footer);
  CHECK((*footer)["y"].get<double>() > 900);  // the footer strip
  CHECK_FALSE(board.has("今日取号"));         // the figures give way while a citizen waits
  Shot leader = screenshot(h.server, h.dir, {"--page", "leader"});
  REQUIRE_MESSAGE(leader.status == 0, leader.output);
  CHECK(leader.has("呼叫帮办：东门自助区 1 号机，已等 0 分钟"));
  test::write_file(h.dir + "/quiet.json", R"({"pages": ["hall_board"], "help_on_board": false})");
  Shot quiet = screenshot(h.server, h.dir, {"--layout", h.dir + "/quiet.json"});
  REQUIRE_MESSAGE(quiet.status == 0, quiet.output);
  CHECK_FALSE(quiet.has("呼叫帮办"));
  CHECK(quiet.has("今日取号"));
  // Taken by staff: off the board (someone is on the way), still in the leader's alerts with who.
  h.must("take_help", {{"id", asked.result["help"]["id"]}, {"by", "小李"}});
  Shot after = screenshot(h.server, h.dir, {"--page", "hall_board"});
  CHECK(after.has("呼叫帮办：自助终端") == false);
  CHECK(after.has("呼叫帮办：kiosk-west · 0 分钟"));
  Shot leader_after = screenshot(h.server, h.dir, {"--page", "leader"});
  CHECK(leader_after.has("帮办：东门自助区 1 号机，小李 已前往"));
}
