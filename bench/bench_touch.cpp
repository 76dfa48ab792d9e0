// bench_touch: touch → page complete on the real kiosk, through its real
// loop. The kiosk runs as itself on Xvfb (production idle timeout, 1 s),
// gets real XTest taps on each home tile and on 首页, and writes a trace line
// per frame (--trace: wall clock µs and the page it left on). A tap's
// latency is measured from the tap to the frames the kiosk drew for it: the
// first one; "page complete", the first frame that reports the new page (the
// runner drops a frame that switched pages half way through its drawing and
// draws the new page whole in the same turn); and the end of the burst (the frames owed to the input: after it nothing
// changes). The pixels are read back to check that each tap did open its page
// and that 首页 restores the home page exactly.
#include <cstdio>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "shared/clock.h"
#include "tests/support.h"
#include "tests/xsession.h"

using namespace hall;

int main() {
  auto dir = test::temp_dir("bench-touch");
  test::ServerProcess server{dir};
  test::XSession x(1080, 1920);
  const std::string trace = dir + "/trace.txt";
  test::Child kiosk({HALL_KIOSK_BIN, "--size", "1080x1920", "--windowed", "--unlocked", "--state-dir", dir + "/kiosk", "--trace", trace,
                     "--commands", server.commands(), "--updates", server.updates()},
                    {"DISPLAY=" + x.display()}, dir + "/kiosk.log");
  if (!bench::first_synced_frame_us(trace) || !x.wait_for([&] { return x.ms_until_settled([] {}, 600, 3000) == -1; }, 20000)) {
    std::fprintf(stderr, "bench_touch: the kiosk did not come up\n");
    return 1;
  }
  const auto home = x.grab();
  // The six home tiles (portrait 1080×1920), and 首页 at the top left of every page.
  const std::vector<std::pair<int, int>> tiles{{276, 374}, {800, 374}, {276, 824}, {800, 824}, {276, 1274}, {800, 1274}};
  const std::pair<int, int> home_button{144, 66};
  std::vector<double> first_ms, complete_ms, burst_ms;
  int wrong = 0;
  auto tap = [&](std::pair<int, int> at) {
    const auto known = test::read_trace_frames(trace);
    const int page_before = known.empty() ? -1 : known.back().page;
    const int64_t t0 = wall_us();
    x.click(at.first, at.second, 0);
    // Wait on the trace, not on the screen: grabbing a 1080×1920 screen over
    // and over while the kiosk draws would take the CPU and the X server
    // from it (on two cores it doubled the page times measured). The pixels
    // are read once, after the burst.
    if (!bench::trace_quiet_after(trace, known.size(), 400, 5000)) return false;
    auto got = test::tap_frames(test::read_trace_frames(trace), known.size(), page_before, t0);
    if (!got) return false;
    first_ms.push_back(got->first_ms);
    complete_ms.push_back(got->complete_ms);
    burst_ms.push_back(got->burst_ms);
    return true;
  };
  const int rounds = 5;
  for (int r = 0; r < rounds; ++r)
    for (auto tile : tiles) {
      auto before = x.grab();
      if (!tap(tile) || x.grab() == before) ++wrong;
      if (!tap(home_button) || x.grab() != home) ++wrong;
    }
  const double frame_ms = 1000.0 / 60.0;
  std::printf("bench_touch: kiosk 1080×1920, software renderer on Xvfb, real XTest taps, %zu taps (home → each of 6 tiles → 首页, %d rounds)\n",
              complete_ms.size(), rounds);
  std::printf("  tap → first frame:      p50 %6.1f ms  p99 %6.1f ms\n", bench::percentile_ms(first_ms, 0.5), bench::percentile_ms(first_ms, 0.99));
  std::printf("  tap → page complete:    p50 %6.1f ms  p99 %6.1f ms   target p99 ≤ %.1f ms (one 60 Hz frame + 2 ms)  %s\n",
              bench::percentile_ms(complete_ms, 0.5), bench::percentile_ms(complete_ms, 0.99), frame_ms + 2,
              bench::percentile_ms(complete_ms, 0.99) <= frame_ms + 2 ? "met" : "NOT met");
  // The first visit of a page builds its glyphs into the atlas (tens of ms, once per program run).
  const size_t first_round = tiles.size() * 2;
  std::vector<double> warm(complete_ms.begin() + long(std::min(first_round, complete_ms.size())), complete_ms.end());
  std::printf("  page complete, rounds 2–%d (glyphs already built): p50 %6.1f ms  p99 %6.1f ms   target p99 ≤ %.1f ms  %s\n", rounds,
              bench::percentile_ms(warm, 0.5), bench::percentile_ms(warm, 0.99), frame_ms + 2,
              bench::percentile_ms(warm, 0.99) <= frame_ms + 2 ? "met" : "NOT met");
  std::printf("  tap → end of the burst: p50 %6.1f ms  p99 %6.1f ms   (the frames owed to the input, then nothing)\n",
              bench::percentile_ms(burst_ms, 0.5), bench::percentile_ms(burst_ms, 0.99));
  std::printf("  idle timeout a late page would wait for: 1000 ms; taps that did not open their page: %d\n", wrong);
  return wrong ? 1 : 0;
}
