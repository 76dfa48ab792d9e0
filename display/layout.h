// A display's layout file: which pages, their rotation and hours, the
// screen, the hall server, and the window a window screen belongs to.
// Validated with errors naming the file, the key and what is wrong.
#pragma once

#include <string>
#include <vector>

#include "shared/config.h"
#include "shared/curve.h"

namespace hall::display {

struct PageSlot {
  std::string page;        // hall_board, window, ratings, approval, leader
  int seconds = 30;        // shown this long before the next page in the rotation
  std::string from, to;    // optional "HH:MM" hours when the page is in the rotation
};

struct Layout {
  std::string file;
  BusEndpoints bus;
  int width = 1920, height = 1080;
  bool fullscreen = false;
  std::string renderer = "auto";  // screen.renderer: auto, software or gl (ui::ScreenOptions)
  CurveKeys curve;         // CURVE keys, read once by main (flags or the environment); none = plain TCP
  int window = 0;          // for the window page
  int last_calls = 8;      // recent calls listed on the hall board
  bool voice = true;       // Mandarin announcements; the chime sounds even when off
  bool help_on_board = true;  // 呼叫帮办 requests in the hall board's footer, for the staff on the floor
  std::string voice_name = "cmn";
  std::vector<PageSlot> pages;
  // A county leader screen (county_* pages) mirrors the county server's bus instead of a hall's.
  bool county = false;
  BusEndpoints county_bus{"tcp://127.0.0.1:5570", "tcp://127.0.0.1:5571"};
  std::string scope_township, scope_hall;  // drill-down: one township (with its villages), or one hall
  std::string period = "month";            // the rankings' period: today, week, month, year
};

Layout load_layout(const std::string& path);            // throws ConfigError

}  // namespace hall::display
