// bench_display: hall-display on a busy hall (200 windows, 2,000 waiting).
//   frame CPU time p50/p99 per page at 1920×1080 and 3840×2160 (in process,
//   software renderer, the same code hall-display runs)
//   CPU used while idle over 60 s, resident memory, time from start to the
//   first synced frame, and event-to-frame latency (command acknowledged →
//   end of the frame that shows it) p50/p99, from the real program.
// Usage: bench_display [--quick]
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "display/page.h"
#include "shared/client.h"
#include "shared/clock.h"
#include "shared/mirror.h"
#include "shared/ui/screen.h"
#include "bench/bench_util.h"
#include "tests/support.h"

using namespace hall;
using namespace hall::bench;

namespace {

bool quick = false;

double thread_cpu_ms() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

void fill_busy_hall(HallClient& c, int windows, int waiting) {
  for (int n = 1; n <= windows; ++n) {
    c.call("open_window", {{"window", n}, {"staff", "S" + std::to_string(n)}});
    if (n % 17 == 0) c.call("pause_window", {{"window", n}, {"reason", "临时会议"}});
  }
  static const char* cats[] = {"company", "realestate", "tax", "social", "police", "civil", "construction", "health", "medical", "consult"};
  for (int i = 0; i < waiting + windows; ++i) c.call("take_ticket", {{"category", cats[i % 10]}, {"lane", i % 9 ? "normal" : "elderly"}});
  for (int n = 1; n <= windows; ++n) {
    if (n % 17 == 0) continue;
    c.call("call_next", {{"window", n}});
    if (n % 3 == 0) {
      c.call("finish", {{"window", n}});
      Reply again = c.call("call_next", {{"window", n}});
      (void)again;
    }
  }
  c.call("post_announcement", {{"text", "本中心实行“一窗受理、集成服务”，请按叫号到对应窗口办理。"}});
}


}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const int kWindows = 200, kWaiting = 2000;
  std::string dir = test::temp_dir("bench-display");
  test::ServerProcess server(dir, {"--start", "2026-11-23T10:30"}, test::busy_hall_config(kWindows));
  HallClient client(server.commands(), ClientOptions{5000, 2});
  fill_busy_hall(client, kWindows, kWaiting);
  HallMirror mirror(server.commands(), server.updates());
  mirror.start();
  uint64_t seq = client.call("ping").result["seq"];
  mirror.wait_for_seq(seq, 20000);
  HallState state = mirror.copy();
  int64_t now = parse_local_datetime("2026-11-23T10:45", 480);
  HallStats stats = compute_stats(state, now);
  std::printf("bench_display: busy hall with %zu windows, %d waiting, %zu tickets today\n\n", state.windows.size(),
              stats.today.waiting, state.tickets.size());

  std::printf("1. Frame CPU time per page (ms, software renderer, %s frames each)\n", quick ? "20" : "60");
  std::printf("   %-12s %22s %22s\n", "page", "1920×1080 p50 / p99", "3840×2160 p50 / p99");
  std::map<std::string, std::pair<std::string, std::string>> rows;
  for (auto [w, h] : {std::pair{1920, 1080}, std::pair{3840, 2160}}) {
    ui::ScreenOptions so;
    so.width = w, so.height = h, so.headless = true;
    ui::Screen screen(so);
    display::Layout layout;
    layout.window = 7;
    for (const auto& entry : display::page_registry()) {
      const std::string name = entry.name;
      auto page = entry.make();
      std::vector<double> cpu;
      int frames = quick ? 20 : 60;
      for (int f = 0; f < frames + 5; ++f) {
        double t0 = thread_cpu_ms();
        ui::Canvas canvas = screen.begin_frame();
        display::PageContext ctx{state, stats, layout, canvas, ui::Rect{0, 0, float(w), float(h)}, now};
        display::draw_header(ctx, page->title(), false, 0);
        page->draw(ctx);
        screen.end_frame();
        double t1 = thread_cpu_ms();
        if (f >= 5 && !screen.frame_needs_redraw()) cpu.push_back(t1 - t0);  // warm-up frames grow the glyph atlas
      }
      char cell[64];
      std::snprintf(cell, sizeof cell, "%6.1f / %6.1f", percentile_ms(cpu, 0.5), percentile_ms(cpu, 0.99));
      (w == 1920 ? rows[name].first : rows[name].second) = cell;
    }
    auto [aw, ah] = screen.fonts().atlas_size();
    std::printf("   (%d×%d: %zu glyphs over all sizes, atlas %d×%d = %.1f MB RGBA)\n", w, h, screen.fonts().glyph_count(), aw, ah,
                double(aw) * ah * 4 / 1048576);
  }
  for (const auto& entry : display::page_registry())
    std::printf("   %-12s %22s %22s\n", entry.name, rows[entry.name].first.c_str(), rows[entry.name].second.c_str());

  std::printf("\n2. The real program, hall board, headless\n");
  auto run_display = [&](const std::string& size, const std::string& trace) {
    return spawn({HALL_DISPLAY_BIN, "--headless", "--page", "hall_board", "--size", size, "--commands", server.commands(),
                  "--updates", server.updates(), "--trace", trace});
  };
  // Start to first synced frame, then idle CPU and memory (4K for the memory target).
  for (std::string size : {"1920x1080", "3840x2160"}) {
    std::string trace = dir + "/trace-" + size + ".txt";
    int64_t t0 = wall_us();
    pid_t pid = run_display(size, trace);
    int64_t first = first_synced_frame_us(trace);
    std::printf("   %s: start → first synced frame %.0f ms\n", size.c_str(), double(first - t0) / 1000.0);
    if (size == "3840x2160") {
      ProcStat a = proc_stat(pid);
      int seconds = quick ? 10 : 60;
      auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
      std::this_thread::sleep_until(until);  // measuring an idle period: the wait is the measurement
      ProcStat b = proc_stat(pid);
      double idle = (b.cpu_s - a.cpu_s) / seconds * 100;
      std::printf("   %s: CPU while idle over %d s: %.2f %% of one core (target < 1 %%: %s)\n", size.c_str(), seconds, idle,
                  idle < 1.0 ? "met" : "NOT met");
      std::printf("   %s: resident memory %.1f MB (target < 150 MB: %s)\n", size.c_str(), double(b.rss_kb) / 1024,
                  b.rss_kb < 150 * 1024 ? "met" : "NOT met");
    }
    stop(pid);
  }

  // Event to frame: a command acknowledged → the end of the first frame showing it.
  {
    std::string trace = dir + "/trace-latency.txt";
    pid_t pid = run_display("1920x1080", trace);
    test::eventually([&] { return !read_trace(trace).empty() && read_trace(trace).back().first > 0; }, 30000);
    std::vector<std::pair<uint64_t, int64_t>> acks;
    int n = quick ? 40 : 150;
    for (int i = 0; i < n; ++i) {
      int window = 1 + (i * 7) % kWindows;
      if (window % 17 == 0) ++window;
      client.call("finish", {{"window", window}});
      Reply r = client.call("call_next", {{"window", window}});
      int64_t at = wall_us();
      if (r.ok) acks.push_back({r.seq, at});
      std::this_thread::sleep_for(std::chrono::milliseconds(150));  // pacing: a busy hall calls a few tickets a second
    }
    test::eventually([&] { return read_trace(trace).back().first >= acks.back().first; }, 10000);
    stop(pid);
    auto frames = read_trace(trace);
    std::vector<double> lat;
    for (auto& [s, at] : acks)
      for (auto& [fs, fus] : frames)
        if (fs >= s) {
          lat.push_back(double(fus - at) / 1000.0);
          break;
        }
    double p50 = percentile_ms(lat, 0.5), p99 = percentile_ms(lat, 0.99);
    if (getenv("BENCH_VERBOSE"))
      for (size_t i = 0; i < lat.size(); ++i)
        if (lat[i] > 15) std::printf("   (call %zu: %.1f ms)\n", i, lat[i]);
    std::printf("   1920x1080: event → frame p50 %.1f ms, p99 %.1f ms over %zu calls (target p99 ≤ 21.7 ms: %s)\n", p50,
                p99, lat.size(), p99 <= 1000.0 / 60 + 5 ? "met" : "NOT met");
  }
  return 0;
}
