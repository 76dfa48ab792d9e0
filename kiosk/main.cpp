// hall-kiosk: the self-service terminal.
#include <cstdio>
#include <fstream>
#include <string>

#include "kiosk/options.h"
#include "kiosk/tour.h"
#include "shared/clock.h"
#include "shared/config.h"
#include "shared/sdnotify.h"

namespace {

void usage(FILE* to) {
  std::fprintf(to,
               "usage: hall-kiosk [--config kiosk.json] [--commands EP] [--updates EP] [--size WxH | --landscape]\n"
               "                  [--printer PATH|tcp:HOST:9100] [--state-dir DIR] [--fullscreen | --windowed] [--unlocked]\n"
               "                  [--headless] [--png FILE --png-every S] [--screenshot FILE.png] [--tour DIR [--elderly] [--half]] [--trace FILE]\n");
}

}  // namespace

int main(int argc, char** argv) {
  hall::kiosk::Options o;
  std::string screenshot, tour, png, trace_path;
  int png_every = 3;
  bool elderly = false, half = false;
  try {
    // The config file first, so flags given after it win.
    for (int i = 1; i + 1 < argc; ++i)
      if (std::string(argv[i]) == "--config") o = hall::kiosk::load_kiosk_config(argv[i + 1]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hall-kiosk: %s\n", e.what());
    return 2;
  }
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) { std::fprintf(stderr, "hall-kiosk: %s needs a value\n", a.c_str()); std::exit(2); }
      return argv[++i];
    };
    if (a == "--config") value();
    else if (a == "--commands") o.commands = value();
    else if (a == "--updates") o.updates = value();
    else if (a == "--size") {
      if (std::sscanf(value().c_str(), "%dx%d", &o.width, &o.height) != 2) { std::fprintf(stderr, "hall-kiosk: --size wants WIDTHxHEIGHT\n"); return 2; }
    }
    else if (a == "--landscape") o.width = 1920, o.height = 1080;
    else if (a == "--printer") o.printer = value();
    else if (a == "--state-dir") o.state_dir = value();
    else if (a == "--fullscreen") o.fullscreen = true;
    else if (a == "--windowed") o.fullscreen = false;
    else if (a == "--unlocked") o.locked = false;
    else if (a == "--headless") o.headless = true;
    else if (a == "--png") png = value(), o.headless = true;
    else if (a == "--png-every") png_every = std::max(1, std::atoi(value().c_str()));
    else if (a == "--screenshot") screenshot = value(), o.headless = true;
    else if (a == "--tour") tour = value(), o.headless = true;
    else if (a == "--elderly") elderly = true;
    else if (a == "--half") half = true;
    else if (a == "--trace") trace_path = value();
    else {
      usage(a == "--help" ? stdout : stderr);
      return a == "--help" ? 0 : 2;
    }
  }
  if (!o.key_file.empty()) {  // every socket of this program takes its keys from here
    setenv("HALL_KEY_FILE", o.key_file.c_str(), 1);
    setenv("HALL_SERVER_KEY_FILE", o.server_key_file.c_str(), 1);
  }
  try {
    hall::kiosk::Kiosk kiosk(o);
    kiosk.set_elderly(elderly);
    hall::sd_notify_text("READY=1");
    if (!tour.empty()) return hall::kiosk::run_tour(kiosk, tour, std::string(elderly ? "-elderly" : "") + (o.width > o.height ? "-landscape" : ""), half);
    if (!screenshot.empty()) {
      kiosk.mirror().wait_until([](const hall::HallState& s) { return !s.hall.id.empty(); }, 15000);
      for (int i = 0; i < 3 || kiosk.screen().frame_needs_redraw(); ++i) kiosk.frame(1);
      return kiosk.screen().save_png(screenshot) ? 0 : 1;
    }
    hall::ui::PngRefresh refresh(png, png_every);
    std::ofstream trace;  // one line per frame: the bus sequence it showed, wall clock µs, the page (benchmarks)
    if (!trace_path.empty()) trace.open(trace_path);
    while (kiosk.frame(1000)) {
      hall::sd_watchdog_tick();
      if (trace) trace << kiosk.mirror().seq() << ' ' << hall::wall_us() << ' ' << int(kiosk.page()) << '\n' << std::flush;
      refresh.after_frame(kiosk.screen());
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hall-kiosk: %s\n", e.what());
    return 1;
  }
  return 0;
}
