// hall-counter: the staff console of one window.
#include <cstdio>
#include <string>

#include "counter/console.h"

int main(int argc, char** argv) {
  using namespace hall;
  counter::Options o;
  std::string staff, pin;
  try {
    o.curve = apply_window_program_config(o, argc, argv);  // the config file first; the flags after it win
    std::string unknown = ui::parse_command_line(o, o.run, argc, argv, [&](const std::string& a, int& i) {
      if (a == "--window") o.window = std::atoi(ui::flag_value(argc, argv, i).c_str());
      else if (a == "--staff") staff = ui::flag_value(argc, argv, i);
      else if (a == "--pin") pin = ui::flag_value(argc, argv, i);
      else return false;
      return true;
    });
    if (!unknown.empty()) {
      std::fprintf(unknown == "--help" ? stdout : stderr, "usage: hall-counter [--config FILE] --window N [--staff ID --pin PIN]\n%s",
                   ui::kScreenFlagsUsage);
      return unknown == "--help" ? 0 : 2;
    }
    if (o.window <= 0) throw ConfigError("--window N is required (the window this console belongs to)");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hall-counter: %s\n", e.what());
    return 2;
  }
  try {
    counter::Console console(o);
    if (!staff.empty()) {  // a dedicated staff PC or the demo: sign in from the command line
      if (!console.mirror().wait_until([](const HallState& s) { return !s.hall.id.empty(); }, 15000)) {
        std::fprintf(stderr, "hall-counter: no state from the hall server at %s\n", o.commands.c_str());
        return 1;
      }
      std::string error = console.sign_in_now(staff, pin);
      if (!error.empty()) {
        std::fprintf(stderr, "hall-counter: sign-in as %s refused: %s\n", staff.c_str(), error.c_str());
        return 2;
      }
    }
    return console.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hall-counter: %s\n", e.what());
    return 1;
  }
}
