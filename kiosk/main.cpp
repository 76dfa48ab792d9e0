// hall-kiosk: the self-service terminal.
#include <cstdio>
#include <string>

#include "kiosk/options.h"
#include "kiosk/tour.h"
#include "shared/config.h"

int main(int argc, char** argv) {
  hall::kiosk::Options o;
  std::string tour;
  bool elderly = false, half = false;
  try {
    // The config file first, so flags given after it win.
    o.curve = hall::curve_from_environment();  // a service's environment file, read once; the config's key files win
    for (int i = 1; i + 1 < argc; ++i)
      if (std::string(argv[i]) == "--config") {
        hall::CurveKeys from_environment = o.curve;
        o = hall::kiosk::load_kiosk_config(argv[i + 1]);
        if (o.key_file.empty()) o.curve = from_environment;
      }
    std::string unknown = hall::ui::parse_command_line(o, o.run, argc, argv, [&](const std::string& a, int& i) {
      if (a == "--landscape") o.width = 1920, o.height = 1080;
      else if (a == "--printer") o.printer = hall::ui::flag_value(argc, argv, i);
      else if (a == "--state-dir") o.state_dir = hall::ui::flag_value(argc, argv, i);
      else if (a == "--unlocked") o.locked = false;
      else if (a == "--tour") tour = hall::ui::flag_value(argc, argv, i), o.headless = true;
      else if (a == "--elderly") elderly = true;
      else if (a == "--half") half = true;
      else return false;
      return true;
    });
    if (!unknown.empty()) {
      std::fprintf(unknown == "--help" ? stdout : stderr,
                   "usage: hall-kiosk [--config kiosk.json] [--landscape] [--printer PATH|tcp:HOST:9100] [--state-dir DIR] [--unlocked]\n"
                   "                  [--tour DIR [--elderly] [--half]]\n%s",
                   hall::ui::kScreenFlagsUsage);
      return unknown == "--help" ? 0 : 2;
    }
    if (!o.run.png.empty()) o.headless = true;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hall-kiosk: %s\n", e.what());
    return 2;
  }
  try {
    hall::kiosk::Kiosk kiosk(o);
    kiosk.set_elderly(elderly);
    if (!tour.empty()) return hall::kiosk::run_tour(kiosk, tour, std::string(elderly ? "-elderly" : "") + (o.width > o.height ? "-landscape" : ""), half);
    return kiosk.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hall-kiosk: %s\n", e.what());
    return 1;
  }
}
