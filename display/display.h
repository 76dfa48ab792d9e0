// HallDisplay: one physical screen. Mirrors the hall, rotates the layout's
// pages, announces new calls, and draws only when something changed.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "display/announcer.h"
#include "display/layout.h"
#include "display/page.h"
#include "shared/clock.h"
#include "shared/mirror.h"
#include "shared/ui/screen.h"

namespace hall::display {

struct RunOptions {
  bool headless = false;
  std::string screenshot;      // render after the first full sync, write PNG, exit
  std::string drawlog;         // with screenshot: the drawn texts as JSON
  std::string png;             // headless demo: keep this PNG fresh…
  int png_every_s = 5;         // …this often
  std::string trace;           // one line per frame: "seq wall_us" (event-to-frame bench)
  int sync_timeout_ms = 15000;
};

class HallDisplay {
 public:
  HallDisplay(Layout layout, RunOptions options);
  int run();                   // until closed; exit status

 private:
  void draw_frame();
  bool frame_due();            // something a viewer would see changed since the last frame
  int wait_ms() const;         // how long the loop may sleep
  void note_calls(const HallState& s);

  Layout layout_;
  RunOptions options_;
  HallMirror mirror_;
  HallClock clock_;
  std::unique_ptr<ui::Screen> screen_;
  std::vector<std::unique_ptr<Page>> pages_;
  size_t slot_ = 0;
  std::chrono::steady_clock::time_point slot_started_ = std::chrono::steady_clock::now();
  HallState state_;
  HallStats stats_;
  uint64_t drawn_seq_ = UINT64_MAX;
  int drawn_minute_ = -1;
  bool drawn_stale_ = false;
  std::chrono::steady_clock::time_point next_motion_{};  // when a moving page next changes its picture
  bool moving_ = false;
  size_t prewarmed_ = 0;       // size of the vocabulary last given to the font book
  std::string last_call_;      // ticket + time of the newest call seen
  std::chrono::steady_clock::time_point flash_until_{};
  std::unique_ptr<Announcer> announcer_;
};

}  // namespace hall::display
