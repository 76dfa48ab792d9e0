// hall-evaluator: the rating screen at one window.
#include <chrono>
#include <cstdio>
#include <string>

#include "shared/config.h"
#include "shared/sdnotify.h"

#include "evaluator/evaluator.h"

int main(int argc, char** argv) {
  hall::evaluator::Options o;
  try {  // the config file first (validated: an error stops the program), then the flags
    hall::apply_window_program_config(o, argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hall-evaluator: %s\n", e.what());
    return 2;
  }
  std::string screenshot, png, preview, preview_page = "rate";
  int png_every = 3;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) { std::fprintf(stderr, "hall-evaluator: %s needs a value\n", a.c_str()); std::exit(2); }
      return argv[++i];
    };
    if (a == "--config") value();
    else if (a == "--window") o.window = std::atoi(value().c_str());
    else if (a == "--commands") o.commands = value();
    else if (a == "--updates") o.updates = value();
    else if (a == "--outbox") o.outbox = value();
    else if (a == "--size") std::sscanf(value().c_str(), "%dx%d", &o.width, &o.height);
    else if (a == "--headless") o.headless = true;
    else if (a == "--screenshot") screenshot = value(), o.headless = true;
    else if (a == "--png") png = value();
    else if (a == "--png-every") png_every = std::max(1, std::atoi(value().c_str()));
    else if (a == "--preview-rate") preview = value();
    else if (a == "--preview-page") preview_page = value();
    else {
      std::fprintf(stderr, "usage: hall-evaluator [--config FILE] --window N [--commands EP] [--updates EP] [--outbox DIR] [--size WxH]\n"
                           "                      [--headless] [--screenshot FILE.png [--preview-rate A023 [--preview-page rate|reasons|thanks]]] [--png FILE --png-every S]\n");
      return a == "--help" ? 0 : 2;
    }
  }
  if (o.window <= 0) {
    std::fprintf(stderr, "hall-evaluator: --window N is required (the window this evaluator stands at)\n");
    return 2;
  }
  try {
    hall::evaluator::Evaluator e(o);
    if (!screenshot.empty()) {
      if (!e.mirror().wait_until([](const hall::HallState& s) { return !s.hall.id.empty(); }, 15000)) {
        std::fprintf(stderr, "hall-evaluator: no state from the hall server at %s\n", o.commands.c_str());
        return 1;
      }
      if (!preview.empty())
        e.preview(preview, preview_page == "reasons" ? hall::evaluator::Page::Reasons
                           : preview_page == "thanks" ? hall::evaluator::Page::Thanks
                                                      : hall::evaluator::Page::Rate);
      for (int i = 0; i < 3; ++i) e.frame(1);
      return e.screen().save_png(screenshot) ? 0 : 1;
    }
    hall::ui::PngRefresh refresh(png, png_every);
    hall::sd_notify_text("READY=1");
    while (e.frame(e.page() == hall::evaluator::Page::Idle ? 1000 : 250)) {
      hall::sd_watchdog_tick();
      refresh.after_frame(e.screen());
    }
  } catch (const std::exception& ex) {
    std::fprintf(stderr, "hall-evaluator: %s\n", ex.what());
    return 1;
  }
  return 0;
}
