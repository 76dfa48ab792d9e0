// hall-kiosk: the self-service terminal.
#include <cstdio>
#include <string>

#include "kiosk/kiosk.h"

int main(int argc, char** argv) {
  hall::kiosk::Options o;
  std::string screenshot;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) { std::fprintf(stderr, "hall-kiosk: %s needs a value\n", a.c_str()); std::exit(2); }
      return argv[++i];
    };
    if (a == "--commands") o.commands = value();
    else if (a == "--updates") o.updates = value();
    else if (a == "--size") std::sscanf(value().c_str(), "%dx%d", &o.width, &o.height);
    else if (a == "--landscape") o.width = 1920, o.height = 1080;
    else if (a == "--printer") o.printer = value();
    else if (a == "--headless") o.headless = true;
    else if (a == "--screenshot") screenshot = value(), o.headless = true;
    else {
      std::fprintf(stderr, "usage: hall-kiosk [--commands EP] [--updates EP] [--size WxH | --landscape] [--printer PATH|tcp:HOST:9100]\n"
                           "                  [--headless] [--screenshot FILE.png]\n");
      return a == "--help" ? 0 : 2;
    }
  }
  try {
    hall::kiosk::Kiosk kiosk(o);
    if (!screenshot.empty()) {
      kiosk.mirror().wait_until([](const hall::HallState& s) { return !s.hall.id.empty(); }, 15000);
      for (int i = 0; i < 3; ++i) kiosk.frame(1);
      return kiosk.screen().save_png(screenshot) ? 0 : 1;
    }
    while (kiosk.frame(1000)) {}
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hall-kiosk: %s\n", e.what());
    return 1;
  }
  return 0;
}
