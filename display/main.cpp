// hall-display: one wall screen, window screen or dashboard of a hall.
#include <cstdio>
#include <cstring>
#include <string>

#include "display/display.h"

using namespace hall;

static void usage() {
  std::fprintf(stderr,
               "usage: hall-display [--layout FILE] [--page NAME] [--window N] [--size WxH] [--portrait]\n"
               "                    [--commands EP] [--updates EP] [--headless]\n"
               "                    [--screenshot FILE.png [--drawlog FILE.json]] [--png FILE --png-every S] [--trace FILE]\n"
               "  pages: hall_board window ratings approval leader\n");
}

int main(int argc, char** argv) {
  display::Layout layout;
  layout.pages = {{"hall_board", 30, "", ""}};
  display::RunOptions run;
  std::string page, size, commands, updates;
  int window = -1;
  bool portrait = false;
  try {
    for (int i = 1; i < argc; ++i) {
      std::string a = argv[i];
      auto value = [&]() -> std::string {
        if (i + 1 >= argc) throw ConfigError("option " + a + " needs a value");
        return argv[++i];
      };
      if (a == "--layout") layout = display::load_layout(value());
      else if (a == "--page") page = value();
      else if (a == "--window") window = std::stoi(value());
      else if (a == "--size") size = value();
      else if (a == "--portrait") portrait = true;
      else if (a == "--commands") commands = value();
      else if (a == "--updates") updates = value();
      else if (a == "--headless") run.headless = true;
      else if (a == "--screenshot") run.screenshot = value(), run.headless = true;
      else if (a == "--drawlog") run.drawlog = value();
      else if (a == "--png") run.png = value();
      else if (a == "--png-every") run.png_every_s = std::max(1, std::stoi(value()));
      else if (a == "--trace") run.trace = value();
      else if (a == "-h" || a == "--help") { usage(); return 0; }
      else { usage(); throw ConfigError("unknown option '" + a + "'"); }
    }
    if (!page.empty()) {
      if (!display::make_page(page)) throw ConfigError("--page: unknown page '" + page + "'");
      layout.pages = {{page, 30, "", ""}};
    }
    if (window >= 0) layout.window = window;
    if (!size.empty()) {
      int w = 0, h = 0;
      if (std::sscanf(size.c_str(), "%dx%d", &w, &h) != 2 || w < 320 || h < 240)
        throw ConfigError("--size: want WIDTHxHEIGHT such as 1920x1080, got '" + size + "'");
      layout.width = w, layout.height = h;
    }
    if (portrait && layout.width > layout.height) std::swap(layout.width, layout.height);
    if (!commands.empty()) layout.bus.commands = commands;
    if (!updates.empty()) layout.bus.updates = updates;
    for (const auto& slot : layout.pages)
      if (slot.page == "window" && layout.window <= 0) throw ConfigError("the window page needs --window N or \"window\" in the layout");
    return display::HallDisplay(layout, run).run();
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "hall-display: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hall-display: %s\n", e.what());
    return 1;
  }
}
