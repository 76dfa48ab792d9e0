// hall-counter: the staff console of one window. Sign in with staff number
// and PIN; then every action is one function key and one button: F1 call
// next, F2 recall, F3 no-show, F4 transfer, F5 finish, F6 pause/resume,
// F12 sign out. A command runs on a worker thread; while it is in flight a
// second press does nothing. When the bus is down every action is refused
// with a message: nothing is queued behind the staff member's back.
#pragma once

#include <chrono>
#include <future>
#include <memory>
#include <string>

#include "shared/client.h"
#include "shared/clock.h"
#include "shared/mirror.h"
#include "shared/ui/runner.h"

#include <SDL_events.h>

namespace hall::counter {

struct Options {
  std::string commands = "tcp://127.0.0.1:5555", updates = "tcp://127.0.0.1:5556";
  int window = 0;
  int width = 1280, height = 800;
  bool headless = false;
  bool fullscreen = false;
  std::string renderer = "auto";
  CurveKeys curve;             // CURVE keys, read once by main (config, flags, or the environment)
  ui::RunFlags run;
};

enum class Popup { None, Transfer, Pause };

class Console : public ui::Program {
 public:
  explicit Console(Options o);
  ~Console() override;
  bool frame(int max_wait_ms) { return runner_.frame(*this, max_wait_ms); }  // one turn of the loop; false when closed
  int run() { return runner_.run(*this); }
  bool signed_in() const { return !staff_.empty(); }
  bool busy() const { return worker_.busy(); }
  const std::string& message() const { return message_; }
  Popup popup() const { return popup_; }
  ui::Screen& screen() { return runner_.screen(); }
  HallMirror& mirror() { return mirror_; }
  int sent() const { return sent_; }       // commands sent (tests: a double press sends one)
  std::string sign_in_now(const std::string& staff, const std::string& pin);  // blocking; "" or why it was refused

 private:
  void draw(ui::Canvas& c) override;
  int page_id() const override { return (staff_.empty() ? 0 : 1) + 2 * int(popup_); }
  void send(const std::string& cmd, json args, const std::string& done_text);
  void answered(const std::string& cmd, const std::string& done_text, const Reply& r);  // on the UI thread
  void draw_sign_in(ui::Canvas& c);        // sign_in.cpp
  void draw_desk(ui::Canvas& c, const HallState& s);  // desk.cpp
  void draw_popup(ui::Canvas& c, const HallState& s); // desk.cpp
  bool online() const { return mirror_.synced() && !mirror_.stale(); }
  int64_t mirror_now(const HallState& s) const;  // hall time: the server's clock as the mirror last heard it

  Options o_;
  ui::Runner runner_;
  HallMirror mirror_;
  HallClient client_;
  std::string staff_;                      // signed-in staff id
  std::string message_;
  bool message_bad_ = false;
  Popup popup_ = Popup::None;
  std::string transfer_to_;                // category chosen in the transfer popup
  int transfer_window_ = -1;               // then: 0 any window of it, N one window; -1 not chosen yet
  std::string staff_input_, pin_input_;     // the sign-in fields, typed on the keyboard
  int field_ = 0;                          // 0 staff number, 1 PIN
  bool submit_ = false;                    // Enter on the PIN field
  static void on_key(const SDL_Event& e, void* self);
  int sent_ = 0;
  HallClock hall_clock_;
  ui::Worker worker_{runner_.queue()};     // last: stopped first, before what its jobs use
};

}  // namespace hall::counter
