// hall-evaluator: the rating screen at one window.
#include <cstdio>
#include <string>

#include "evaluator/evaluator.h"

int main(int argc, char** argv) {
  using namespace hall;
  evaluator::Options o;
  std::string preview, preview_page = "rate";
  try {
    o.curve = apply_window_program_config(o, argc, argv);  // the config file first; the flags after it win
    std::string unknown = ui::parse_command_line(o, o.run, argc, argv, [&](const std::string& a, int& i) {
      if (a == "--window") o.window = std::atoi(ui::flag_value(argc, argv, i).c_str());
      else if (a == "--outbox") o.outbox = ui::flag_value(argc, argv, i);
      else if (a == "--preview-rate") preview = ui::flag_value(argc, argv, i);
      else if (a == "--preview-page") preview_page = ui::flag_value(argc, argv, i);
      else return false;
      return true;
    });
    if (!unknown.empty()) {
      std::fprintf(unknown == "--help" ? stdout : stderr,
                   "usage: hall-evaluator [--config FILE] --window N [--outbox DIR] [--preview-rate A023 [--preview-page rate|reasons|thanks]]\n%s",
                   ui::kScreenFlagsUsage);
      return unknown == "--help" ? 0 : 2;
    }
    if (o.window <= 0) throw ConfigError("--window N is required (the window this evaluator stands at)");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hall-evaluator: %s\n", e.what());
    return 2;
  }
  try {
    evaluator::Evaluator e(o);
    if (!preview.empty())
      e.preview(preview, preview_page == "reasons" ? evaluator::Page::Reasons : preview_page == "thanks" ? evaluator::Page::Thanks : evaluator::Page::Rate);
    return e.run();
  } catch (const std::exception& ex) {
    std::fprintf(stderr, "hall-evaluator: %s\n", ex.what());
    return 1;
  }
}
