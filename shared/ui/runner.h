// The one screen runtime: every screen program (display, kiosk, counter,
// evaluator) is a Program that draws its current page; the Runner owns the
// rest, the same way for all of them:
//   - the loop: sleep until input, a wake from the bus, or the program's next
//     deadline; after input, the frames owed to it at once (Screen::wait);
//   - a frame that changes the page is thrown away and the new page drawn in
//     the same turn, so a tap shows its page one frame after the release;
//   - work posted from other threads (bus answers, outbox deliveries) run on
//     the UI thread at the start of a frame (RunQueue, Worker);
//   - the mirror's state copied only after it changed;
//   - readiness (READY=1) and the watchdog, the screenshot-once mode, the PNG
//     kept fresh, the draw log beside it, the frame trace;
//   - a per-frame exception guard: logged, the frame dropped, the program
//     keeps running; it gives up only when the same failure repeats.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "shared/config.h"
#include "shared/curve.h"
#include "shared/device_reporter.h"
#include "shared/mirror.h"
#include "shared/ui/screen.h"

namespace hall::ui {

// Flags that concern the runner rather than the program.
struct RunFlags {
  std::string screenshot;      // draw once the hall is synced, write this PNG, exit
  std::string drawlog;         // the texts drawn, as JSON: after each frame that changed them (and with --screenshot)
  std::string png;             // keep this PNG of the screen fresh (headless demo, remote support)…
  int png_every_s = 3;         // …this often
  std::string trace;           // one line per frame: "seq wall_us page [region]"
  std::string device;          // the id it reports under (report_device); each program has a default
  int sync_timeout_ms = 15000; // screenshot: how long to wait for the hall
};

// Usage lines for the flags parse_screen_flag knows.
extern const char* const kScreenFlagsUsage;

// The flags every screen program takes, parsed in one place: --commands EP
// --updates EP --size WxH --headless --fullscreen --windowed --renderer R
// --key-file F --server-key F and the RunFlags. Options needs commands,
// updates, width, height, headless, fullscreen, renderer and curve. Returns
// true when argv[i] (and its value; i moves past it) was one of them.
// Throws ConfigError naming the flag for a missing or bad value.
std::string flag_value(int argc, char** argv, int& i);
void parse_size_flag(const std::string& text, int& width, int& height);
void parse_run_flag_value(RunFlags& run, const std::string& flag, const std::string& value);

template <class Options>
bool parse_screen_flag(Options& o, RunFlags& run, std::string& key_file, std::string& server_key, int argc, char** argv, int& i) {
  const std::string a = argv[i];
  if (a == "--commands") o.commands = flag_value(argc, argv, i);
  else if (a == "--updates") o.updates = flag_value(argc, argv, i);
  else if (a == "--size") parse_size_flag(flag_value(argc, argv, i), o.width, o.height);
  else if (a == "--headless") o.headless = true;
  else if (a == "--fullscreen") o.fullscreen = true;
  else if (a == "--windowed") o.fullscreen = false;
  else if (a == "--renderer") {
    o.renderer = flag_value(argc, argv, i);
    if (o.renderer != "auto" && o.renderer != "software" && o.renderer != "gl")
      throw ConfigError("--renderer: want auto, software or gl, got '" + o.renderer + "'");
  }
  else if (a == "--key-file") key_file = flag_value(argc, argv, i);
  else if (a == "--server-key") server_key = flag_value(argc, argv, i);
  else if (a == "--screenshot" || a == "--drawlog" || a == "--png" || a == "--png-every" || a == "--trace" || a == "--device") {
    parse_run_flag_value(run, a, flag_value(argc, argv, i));
    if (a == "--screenshot") o.headless = true;
  } else {
    return false;
  }
  return true;
}

// CURVE keys given as flags: read once, now (an unreadable file is named).
CurveKeys keys_from_flags(const std::string& key_file, const std::string& server_key, const CurveKeys& otherwise);

// A screen program's command line after its config file was read: the
// common flags, --config (already read) skipped, the program's own flags
// through own(flag, i) (false: not one of them). Returns the first flag
// nobody knew ("--help" included), or "" when all were taken; the key flags
// replace o.curve. Throws ConfigError for a bad value.
template <class Options, class Own>
std::string parse_command_line(Options& o, RunFlags& run, int argc, char** argv, Own&& own) {
  std::string key_file, server_key;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (parse_screen_flag(o, run, key_file, server_key, argc, argv, i)) continue;
    if (a == "--config" || a == "--layout") flag_value(argc, argv, i);
    else if (!own(a, i)) return a;
  }
  o.curve = keys_from_flags(key_file, server_key, o.curve);
  return "";
}

// Work for the UI thread, posted from any thread; the screen is woken.
class RunQueue {
 public:
  void attach(Screen* screen);
  void post(std::function<void()> fn);
  size_t run_pending();        // on the UI thread: runs what was posted, in order

 private:
  std::mutex mutex_;
  std::deque<std::function<void()>> jobs_;
  Screen* screen_ = nullptr;
};

// One background thread running jobs in order. A job (a bus call) returns
// what to do with its answer, which then runs on the UI thread. busy() is
// true from post() until that continuation has run, so a second tap while
// the first is on its way can be ignored.
class Worker {
 public:
  explicit Worker(RunQueue& ui) : ui_(ui) {}
  ~Worker();                   // finishes the job in hand; what was not started is dropped
  void post(std::function<std::function<void()>()> job);
  bool busy() const { return open_ > 0; }
  void wait_idle();            // blocks until nothing is queued or running (the continuations may still be queued)

 private:
  void run();
  RunQueue& ui_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<std::function<void()>()>> jobs_;
  bool stop_ = false, running_ = false;
  std::atomic<int> open_{0};
  std::thread thread_;
};

// What the runner drives: one screen program.
class Program {
 public:
  virtual ~Program() = default;
  virtual void before_frame() {}             // after posted work ran, before drawing: timeouts, page rules
  virtual void draw(Canvas& c) = 0;          // the current page, whole (inside begin_root/end_root)
  virtual int page_id() const { return 0; }  // which page shows: a change during draw() redraws at once
  virtual std::string page_name() const { return std::to_string(page_id()); }  // what report_device says it shows
  virtual std::string paper() const { return ""; }  // a printer's paper: ok, low, out; "" = no printer
  virtual int idle_ms() const { return 1000; }  // longest sleep with nothing to do
  virtual bool due() { return true; }        // after a wake: would a viewer see a change?
  virtual bool ready(const HallState& s) const { return !s.hall.id.empty(); }  // screenshot: the state to wait for
  // The next frame need only redraw this region (only motion is due: a
  // ticker's strip, a blinking panel); nullptr: the whole screen.
  virtual const Rect* region() const { return nullptr; }
  // Warm-up: views a first visit would draw (pages, modes), drawn once into
  // frames nobody sees as soon as the state is ready, so their glyphs are in
  // the atlas before the first citizen taps (building them on a tap costs
  // tens of ms). draw_warm must draw view `i` without side effects and leave
  // the program as it found it.
  virtual int warm_views() const { return 0; }
  virtual void draw_warm(int /*view*/, Canvas& /*c*/) {}
};

class Runner {
 public:
  Runner(std::string program, RunFlags flags);
  ~Runner();
  void open(ScreenOptions options);          // the screen; throws std::runtime_error naming what failed
  Screen& screen() { return *screen_; }
  const Screen& screen() const { return *screen_; }
  RunQueue& queue() { return queue_; }
  const RunFlags& flags() const { return flags_; }
  // On each change of the mirror: its state marked changed, `also` called
  // (on the mirror's thread), the screen woken.
  void watch(HallMirror& mirror, std::function<void(const MirrorChange&)> also = {});
  const HallState& state();                  // the watched mirror's state, copied only after it changed
  bool state_pending() const { return changed_; }  // a newer state waits for the next frame
  bool frame(Program& p, int max_wait_ms);   // one turn of the loop; false when the screen was closed
  int run(Program& p);                       // screenshot once, or the loop until closed: the exit status
  // Report to the hall as this screen (report_device every third of the
  // hall's device_silent_after_s, at once on a new page) and answer a
  // manager's request for a picture. The id is --device when given.
  void report_as(DeviceIdentity who, const std::string& commands, const CurveKeys& curve);
  int frames() const { return frames_; }
  bool png_due() const { return !flags_.png.empty() && std::chrono::steady_clock::now() >= next_png_; }
  int failures() const { return failures_; }  // frames dropped by the guard

 private:
  bool draw(Program& p);                     // one frame, guarded; true when rendered
  void after_frame(Program& p);              // trace, PNG, draw log
  void warm_up(Program& p);                  // once, when the state is first ready
  void report(Program& p, bool input);       // after a turn: page, input, a picture asked for
  std::string program_;
  RunFlags flags_;
  std::unique_ptr<Screen> screen_;
  RunQueue queue_;
  HallMirror* mirror_ = nullptr;
  std::atomic<bool> changed_{true};
  HallState state_;
  bool in_frame_ = false;      // state() keeps state_ as it is until the frame ends
  std::ofstream trace_;
  std::chrono::steady_clock::time_point next_png_{};
  int png_failures_ = 0, frames_ = 0, failures_ = 0, repeats_ = 0;
  bool warmed_ = false;
  bool last_region_ = false;   // the last frame redrew one region only (the trace says so)
  std::string last_failure_;
  std::string last_drawlog_;   // as last written to --drawlog
  std::unique_ptr<DeviceReporter> reporter_;
  int64_t picture_answered_ms_ = 0;  // the last screenshot_asked_ms answered
};

}  // namespace hall::ui
