// HallDisplay: one physical screen. Mirrors the hall, rotates the layout's
// pages, announces new calls, and draws only when something a viewer would
// see changed (the runner asks due()).
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
#include "shared/ui/runner.h"

namespace hall::display {

class HallDisplay : public ui::Program {
 public:
  HallDisplay(Layout layout, ui::RunFlags flags, bool headless);
  int run();                   // until closed (or, with a screenshot, once): the exit status

 private:
  int run_county(bool once);   // a county_* layout
  ui::ScreenOptions screen_options() const;

 private:
  void before_frame() override;
  void draw(ui::Canvas& c) override;
  int page_id() const override { return int(slot_); }
  std::string page_name() const override;
  int idle_ms() const override;  // until the next motion, minute, rotation; the stale flag once a second
  bool due() override;           // something a viewer would see changed since the last frame
  const ui::Rect* region() const override { return motion_only_ ? &moving_area_ : nullptr; }
  void note_calls(const HallState& s);

  Layout layout_;
  bool headless_;
  ui::Runner runner_;
  HallMirror mirror_;
  std::unique_ptr<CountyMirror> county_;       // county_* layouts: the county's bus instead of the hall's
  CountyState county_state_;
  uint64_t drawn_county_seq_ = UINT64_MAX;
  bool synced() const { return county_ ? county_->synced() : mirror_.synced(); }
  bool bus_stale() const { return county_ ? county_->synced() && county_->stale() : mirror_.synced() && mirror_.stale(); }
  uint64_t bus_seq() const { return county_ ? county_->seq() : mirror_.seq(); }
  HallClock clock_;
  std::vector<std::unique_ptr<Page>> pages_;
  size_t slot_ = 0, drawn_slot_ = SIZE_MAX;
  std::chrono::steady_clock::time_point slot_started_ = std::chrono::steady_clock::now();
  HallState state_;
  HallStats stats_;
  uint64_t drawn_seq_ = UINT64_MAX;
  static constexpr std::chrono::milliseconds kSettle{15};
  bool settling_ = false;                      // news came; drawn when kSettle has passed
  std::chrono::steady_clock::time_point settle_until_{};
  int drawn_minute_ = -1;
  bool drawn_stale_ = false;
  struct Motion {
    std::chrono::steady_clock::time_point due;  // when this part of the picture next changes
    ui::Rect where;            // empty: everything
  };
  std::vector<Motion> motions_;
  ui::Rect moving_area_;       // what of the motions is due now
  bool motion_only_ = false;   // the frame due now is for motion alone: only moving_area_ is redrawn
  size_t prewarmed_ = 0;       // size of the vocabulary last given to the font book
  std::string last_call_;
  bool calls_known_ = false;  // the calls as they were when the state first came are known      // ticket + time of the newest call seen
  std::chrono::steady_clock::time_point flash_until_{};
  std::unique_ptr<Announcer> announcer_;
};

}  // namespace hall::display
