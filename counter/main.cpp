// hall-counter: the staff console of one window.
#include <chrono>
#include <cstdio>
#include <string>

#include "shared/config.h"
#include "shared/sdnotify.h"

#include "counter/console.h"

int main(int argc, char** argv) {
  hall::counter::Options o;
  try {  // the config file first (validated: an error stops the program), then the flags
    hall::apply_window_program_config(o, argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hall-counter: %s\n", e.what());
    return 2;
  }
  std::string screenshot, staff, pin, png;
  int png_every = 3;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) { std::fprintf(stderr, "hall-counter: %s needs a value\n", a.c_str()); std::exit(2); }
      return argv[++i];
    };
    if (a == "--config") value();
    else if (a == "--window") o.window = std::atoi(value().c_str());
    else if (a == "--commands") o.commands = value();
    else if (a == "--updates") o.updates = value();
    else if (a == "--size") std::sscanf(value().c_str(), "%dx%d", &o.width, &o.height);
    else if (a == "--headless") o.headless = true;
    else if (a == "--screenshot") screenshot = value(), o.headless = true;
    else if (a == "--png") png = value();
    else if (a == "--png-every") png_every = std::max(1, std::atoi(value().c_str()));
    else if (a == "--staff") staff = value();
    else if (a == "--pin") pin = value();
    else {
      std::fprintf(stderr, "usage: hall-counter [--config FILE] --window N [--commands EP] [--updates EP] [--size WxH] [--headless]\n"
                           "                    [--staff ID --pin PIN] [--screenshot FILE.png] [--png FILE --png-every S]\n");
      return a == "--help" ? 0 : 2;
    }
  }
  if (o.window <= 0) {
    std::fprintf(stderr, "hall-counter: --window N is required (the window this console belongs to)\n");
    return 2;
  }
  try {
    hall::counter::Console console(o);
    if (!staff.empty()) {  // a dedicated staff PC or the demo: sign in from the command line
      if (!console.mirror().wait_until([](const hall::HallState& s) { return !s.hall.id.empty(); }, 15000)) {
        std::fprintf(stderr, "hall-counter: no state from the hall server at %s\n", o.commands.c_str());
        return 1;
      }
      std::string error = console.sign_in_now(staff, pin);
      if (!error.empty()) {
        std::fprintf(stderr, "hall-counter: sign-in as %s refused: %s\n", staff.c_str(), error.c_str());
        return 2;
      }
    }
    if (!screenshot.empty()) {
      if (!console.mirror().wait_until([](const hall::HallState& s) { return !s.hall.id.empty(); }, 15000)) {
        std::fprintf(stderr, "hall-counter: no state from the hall server at %s\n", o.commands.c_str());
        return 1;
      }
      for (int i = 0; i < 3; ++i) console.frame(1);
      return console.screen().save_png(screenshot) ? 0 : 1;
    }
    hall::ui::PngRefresh refresh(png, png_every);
    hall::sd_notify_text("READY=1");
    while (console.frame(1000)) {
      hall::sd_watchdog_tick();
      refresh.after_frame(console.screen());
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hall-counter: %s\n", e.what());
    return 1;
  }
  return 0;
}
