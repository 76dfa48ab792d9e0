// hall-display: one wall screen, window screen or dashboard of a hall.
#include <cstdio>
#include <cstring>
#include <string>

#include "display/display.h"

using namespace hall;

static void usage(FILE* to) {
  std::fprintf(to, "usage: hall-display [--layout FILE] [--page NAME] [--window N] [--portrait]\n%s  pages:\n", ui::kScreenFlagsUsage);
  for (const auto& p : display::page_registry()) std::fprintf(to, "    %-11s %s\n", p.name, p.what);
}

int main(int argc, char** argv) {
  display::Layout layout;
  layout.pages = {{"hall_board", 30, "", ""}};
  ui::RunFlags run;
  std::string page;
  int window = -1;
  bool portrait = false;
  try {
    layout.curve = curve_from_environment();  // a service's environment file, read once; flags win
    for (int i = 1; i < argc; ++i)  // the layout first, so the flags after it win
      if (std::string(argv[i]) == "--layout" && i + 1 < argc) {
        CurveKeys keys = layout.curve;
        layout = display::load_layout(argv[i + 1]);
        layout.curve = keys;
      }
    struct Flags {  // what parse_screen_flag fills, before it goes into the layout
      std::string commands, updates, renderer;
      int width = 0, height = 0;
      bool headless = false, fullscreen = false;
      CurveKeys curve;
    } f{layout.bus.commands, layout.bus.updates, layout.renderer, layout.width, layout.height, false, layout.fullscreen, {}};
    f.curve = layout.curve;
    std::string unknown = ui::parse_command_line(f, run, argc, argv, [&](const std::string& a, int& i) {
      if (a == "--page") page = ui::flag_value(argc, argv, i);
      else if (a == "--window") window = std::atoi(ui::flag_value(argc, argv, i).c_str());
      else if (a == "--portrait") portrait = true;
      else return false;
      return true;
    });
    if (unknown == "-h" || unknown == "--help") { usage(stdout); return 0; }
    if (!unknown.empty()) { usage(stderr); throw ConfigError("unknown option '" + unknown + "'"); }
    layout.bus.commands = f.commands, layout.bus.updates = f.updates, layout.renderer = f.renderer;
    layout.width = f.width, layout.height = f.height, layout.fullscreen = f.fullscreen;
    layout.curve = f.curve;
    if (!page.empty()) {
      if (!display::make_page(page)) throw ConfigError("--page: unknown page '" + page + "' (" + display::page_names() + ")");
      layout.pages = {{page, 30, "", ""}};
    }
    if (window >= 0) layout.window = window;
    if (portrait && layout.width > layout.height) std::swap(layout.width, layout.height);
    for (const auto& slot : layout.pages)
      if (slot.page == "window" && layout.window <= 0) throw ConfigError("the window page needs --window N or \"window\" in the layout");
    return display::HallDisplay(layout, run, f.headless).run();
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "hall-display: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hall-display: %s\n", e.what());
    return 1;
  }
}
