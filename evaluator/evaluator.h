// hall-evaluator: the small touch screen facing the citizen at one window
// (服务评价器). Idle it shows the window and who serves there; when the staff
// finishes a ticket it turns by itself to the rating of exactly that ticket
// (一次一评), then thanks and returns. Ratings go through an on-disk outbox,
// so one given while the bus is down is delivered later, exactly once.
//
// Its own program rather than a kiosk mode: it is bound to one window, runs
// on a small screen with no printer, keyboard or guide catalogue, and on a
// secured bus its key may rate only its own window's visits.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "shared/mirror.h"
#include "shared/outbox.h"
#include "shared/ui/runner.h"

namespace hall::evaluator {

struct Options {
  std::string commands = "tcp://127.0.0.1:5555", updates = "tcp://127.0.0.1:5556";
  int window = 0;
  std::string outbox = "/tmp/hall-evaluator-outbox";
  int width = 1280, height = 800;
  bool headless = false;
  bool fullscreen = false;
  int thanks_seconds = 5;      // the thank-you stays this long
  int rating_seconds = 90;     // an untouched rating screen goes back to idle
  std::string renderer = "auto";
  CurveKeys curve;             // CURVE keys, read once by main (config, flags, or the environment)
  ui::RunFlags run;
};

enum class Page { Idle, Rate, Reasons, Thanks };

class Evaluator : public ui::Program {
 public:
  explicit Evaluator(Options o);
  ~Evaluator() override;
  bool frame(int max_wait_ms) { return runner_.frame(*this, max_wait_ms); }  // one turn of the loop; false when closed
  int run() { return runner_.run(*this); }
  Page page() const { return page_; }
  const std::string& rating_ticket() const { return ticket_; }
  void preview(const std::string& number, Page page = Page::Rate);  // a sample of a page (screenshots)
  ui::Screen& screen() { return runner_.screen(); }
  Outbox& outbox() { return *outbox_; }
  HallMirror& mirror() { return mirror_; }

 private:
  void before_frame() override;
  void draw(ui::Canvas& c) override;
  int page_id() const override { return int(page_); }
  int idle_ms() const override { return page_ == Page::Idle ? 1000 : 250; }
  void watch_window(const HallState& s);  // turns to the rating page when this window finishes a ticket
  void submit();
  void draw_idle(ui::Canvas& c, const HallState& s);        // idle.cpp
  void draw_rate(ui::Canvas& c, const HallState& s);        // rating.cpp
  void draw_reasons(ui::Canvas& c);                         // rating.cpp
  void draw_thanks(ui::Canvas& c);                          // rating.cpp
  void go(Page p);

  Options o_;
  ui::Runner runner_;
  HallMirror mirror_;
  std::unique_ptr<Outbox> outbox_;
  std::string waiting_key_;  // a rating the disk refused, until the server has it
  Page page_ = Page::Idle;
  std::chrono::steady_clock::time_point page_since_ = std::chrono::steady_clock::now();
  std::string held_;                      // the ticket the window held when last seen
  std::string ticket_;                    // the ticket being rated (key)
  std::string number_;                    // its number, the only thing shown of it
  int level_ = 0;
  std::set<std::string> reasons_;
};

}  // namespace hall::evaluator
