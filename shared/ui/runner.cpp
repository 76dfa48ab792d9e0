#include "shared/ui/runner.h"

#include <cstdio>
#include <filesystem>

#include "imgui.h"
#include "imgui_internal.h"
#include "shared/clock.h"
#include "shared/sdnotify.h"
#include "shared/ui/widgets.h"

namespace hall::ui {

const char* const kScreenFlagsUsage =
    "  --commands EP --updates EP   the hall server (or a relay)\n"
    "  --size WxH                   window size in pixels\n"
    "  --fullscreen | --windowed    \n"
    "  --renderer auto|software|gl  auto: software where the only OpenGL is a software one\n"
    "  --key-file F --server-key F  CURVE: this program's key pair and the server's public key\n"
    "  --headless                   no window: draw into memory (with --png or --screenshot)\n"
    "  --screenshot FILE.png        draw once the hall is synced, write the PNG, exit\n"
    "  --png FILE --png-every S     keep a PNG of the screen fresh\n"
    "  --drawlog FILE.json          the texts drawn, rewritten after each frame that changed them\n"
    "  --trace FILE                 a line per frame: bus sequence, wall clock µs, page\n"
    "  --device ID                  the id it reports to the hall under (report_device)\n";

std::string flag_value(int argc, char** argv, int& i) {
  if (i + 1 >= argc) throw ConfigError(std::string("option ") + argv[i] + " needs a value");
  return argv[++i];
}

void parse_size_flag(const std::string& text, int& width, int& height) {
  int w = 0, h = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%dx%d%c", &w, &h, &tail) != 2 || w < 320 || h < 240 || w > 7680 || h > 7680)
    throw ConfigError("--size: want WIDTHxHEIGHT such as 1920x1080, got '" + text + "'");
  width = w, height = h;
}

void parse_run_flag_value(RunFlags& run, const std::string& flag, const std::string& value) {
  if (flag == "--screenshot") run.screenshot = value;
  else if (flag == "--drawlog") run.drawlog = value;
  else if (flag == "--png") run.png = value;
  else if (flag == "--trace") run.trace = value;
  else if (flag == "--device") {
    if (value.empty() || value.size() > 64) throw ConfigError("--device: an id of 1..64 bytes, got '" + value + "'");
    run.device = value;
  }
  else if (flag == "--png-every") {
    try {
      run.png_every_s = std::stoi(value);
    } catch (const std::exception&) {
      run.png_every_s = 0;
    }
    if (run.png_every_s < 1 || run.png_every_s > 3600) throw ConfigError("--png-every: want seconds from 1 to 3600, got '" + value + "'");
  }
}

CurveKeys keys_from_flags(const std::string& key_file, const std::string& server_key, const CurveKeys& otherwise) {
  if (key_file.empty() && server_key.empty()) return otherwise;
  if (key_file.empty() || server_key.empty()) throw ConfigError("--key-file and --server-key go together (CURVE needs both)");
  return load_client_keys(key_file, server_key);
}

// [SECTION] RunQueue, Worker

void RunQueue::attach(Screen* screen) {
  std::lock_guard lock(mutex_);
  screen_ = screen;
}

void RunQueue::post(std::function<void()> fn) {
  std::lock_guard lock(mutex_);
  jobs_.push_back(std::move(fn));
  if (screen_) screen_->wake();
}

size_t RunQueue::run_pending() {
  std::deque<std::function<void()>> jobs;
  {
    std::lock_guard lock(mutex_);
    jobs.swap(jobs_);
  }
  for (auto& job : jobs) job();
  return jobs.size();
}

Worker::~Worker() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
    jobs_.clear();
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Worker::post(std::function<std::function<void()>()> job) {
  ++open_;
  std::lock_guard lock(mutex_);
  jobs_.push_back(std::move(job));
  if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
  cv_.notify_all();
}

void Worker::wait_idle() {
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [&] { return jobs_.empty() && !running_; });
}

void Worker::run() {
  while (true) {
    std::function<std::function<void()>()> job;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
      if (stop_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
      running_ = true;
    }
    std::function<void()> then;
    try {
      then = job();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "background job failed: %s\n", e.what());
    }
    ui_.post([this, then = std::move(then)] {
      --open_;
      if (then) then();
    });
    {
      std::lock_guard lock(mutex_);
      running_ = false;
    }
    cv_.notify_all();
  }
}

// [SECTION] Runner

Runner::Runner(std::string program, RunFlags flags) : program_(std::move(program)), flags_(std::move(flags)) {
  if (!flags_.trace.empty()) {
    trace_.open(flags_.trace);
    if (!trace_) throw ConfigError("--trace: cannot write " + flags_.trace);
  }
}

Runner::~Runner() { queue_.attach(nullptr); }

void Runner::open(ScreenOptions options) {
  if (options.title.empty() || options.title == "hall") options.title = program_;
  screen_ = std::make_unique<Screen>(options);
  queue_.attach(screen_.get());
}

void Runner::watch(HallMirror& mirror, std::function<void(const MirrorChange&)> also) {
  mirror_ = &mirror;
  mirror.on_change([this, also = std::move(also)](const MirrorChange& change) {
    changed_ = true;
    if (also) also(change);
    if (screen_) screen_->wake();
  });
}

const HallState& Runner::state() {
  // A busy hall's state is large: copied only after it changed, and never
  // inside a frame, where a page may hold references into it (a newer copy
  // over a map being walked crashed the kiosk's warm-up).
  if (!in_frame_ && mirror_ && changed_.exchange(false)) state_ = mirror_->copy();
  return state_;
}

bool Runner::draw(Program& p) {
  // A frame whose drawing changed the page (a tap's release) is thrown away
  // and the new page drawn at once; so is the press of a quick tap whose
  // release already came (ImGui must see the press for a frame, nobody must
  // wait for it); likewise a frame that wanted glyphs the atlas lacked.
  constexpr int kPasses = 4;
  for (int pass = 0; pass < kPasses; ++pass) {
    const int before = p.page_id();
    try {
      Canvas c = screen_->begin_frame(pass == 0 ? p.region() : nullptr);
      last_region_ = c.region() != nullptr;
      begin_root();
      p.draw(c);
      end_root();
    } catch (const std::exception& e) {
      ImGui::ErrorCheckEndFrameRecover(nullptr);
      screen_->discard_frame();
      ++failures_;
      std::string what = e.what();
      repeats_ = what == last_failure_ ? repeats_ + 1 : 1;
      last_failure_ = what;
      std::fprintf(stderr, "%s: a frame failed and was dropped: %s\n", program_.c_str(), what.c_str());
      if (repeats_ >= 20) throw std::runtime_error("the same frame failure 20 times in a row: " + what);
      return false;
    }
    if ((p.page_id() != before || screen_->release_owed()) && pass < kPasses - 1) {
      screen_->discard_frame();
      continue;
    }
    screen_->end_frame();
    if (screen_->frame_needs_redraw() && pass < kPasses - 1) continue;
    repeats_ = 0;
    ++frames_;
    return true;
  }
  return true;
}

void Runner::after_frame(Program& p) {
  if (trace_) trace_ << state_.seq << ' ' << wall_us() << ' ' << p.page_id() << (last_region_ ? " region" : "") << '\n' << std::flush;
  // What the screen shows, as text, after each whole frame that changed it
  // (not only with the PNG), so a test or a technician reads what a viewer
  // sees within the frame it appeared in.
  if (!flags_.drawlog.empty() && !last_region_) {
    std::string log = draw_log_json(screen_->draw_log()).dump(1);
    if (log != last_drawlog_) {
      std::string tmp = flags_.drawlog + ".tmp";
      std::ofstream(tmp) << log;
      std::error_code ec;
      std::filesystem::rename(tmp, flags_.drawlog, ec);
      last_drawlog_ = std::move(log);
    }
  }
  if (flags_.png.empty() || std::chrono::steady_clock::now() < next_png_) return;
  if (!screen_->save_png_atomic(flags_.png) && ++png_failures_ == 1)
    std::fprintf(stderr, "%s: could not write %s\n", program_.c_str(), flags_.png.c_str());
  next_png_ = std::chrono::steady_clock::now() + std::chrono::seconds(flags_.png_every_s);
}

void Runner::warm_up(Program& p) {
  warmed_ = true;
  const int views = p.warm_views();
  if (views <= 0) return;
  const int64_t t0 = wall_us();
  const size_t glyphs = screen_->fonts().glyph_count();
  int failed = 0;
  for (int i = 0; i < views; ++i) {
    try {
      Canvas c = screen_->begin_warm_frame();
      begin_root();
      p.draw_warm(i, c);
      end_root();
    } catch (const std::exception& e) {
      ImGui::ErrorCheckEndFrameRecover(nullptr);
      if (++failed == 1) std::fprintf(stderr, "%s: warm-up view %d failed: %s\n", program_.c_str(), i, e.what());
    }
    screen_->discard_frame();
  }
  screen_->prepare_fonts();
  auto [w, h] = screen_->fonts().atlas_size();
  std::fprintf(stderr, "%s: warm-up: %d views, %zu → %zu glyphs, atlas %d×%d, %.0f ms\n", program_.c_str(), views, glyphs,
               screen_->fonts().glyph_count(), w, h, double(wall_us() - t0) / 1000.0);
}

void Runner::report_as(DeviceIdentity who, const std::string& commands, const CurveKeys& curve) {
  if (!flags_.screenshot.empty()) return;  // a one-shot picture is no screen of the hall
  if (!flags_.device.empty()) who.id = flags_.device;
  reporter_ = std::make_unique<DeviceReporter>(commands, curve, std::move(who), program_, true);
  reporter_->start();
}

void Runner::report(Program& p, bool input) {
  if (!reporter_) return;
  reporter_->set_page(p.page_name());
  reporter_->set_paper(p.paper());
  if (input) reporter_->touched(wall_ms());
  const HallState& s = state();
  if (s.hall.device_silent_after_s > 0) reporter_->set_interval_ms(s.hall.device_silent_after_s * 1000 / 3);
  auto it = s.devices.find(reporter_->who().id);
  if (it == s.devices.end() || it->second.screenshot_asked_ms <= picture_answered_ms_ || frames_ == 0) return;
  picture_answered_ms_ = it->second.screenshot_asked_ms;
  reporter_->send_picture(picture_answered_ms_, screen_->png_bytes(960));  // what a viewer sees now, small enough for the bus
}

bool Runner::frame(Program& p, int max_wait_ms) {
  if (const int ticker = screen_->ticker_due_in_ms(); ticker >= 0) max_wait_ms = std::min(max_wait_ms, ticker);
  if (!screen_->wait(max_wait_ms)) return false;
  state();  // the state this frame sees, from its posted work to its last pass
  struct InFrame {
    bool& on;
    explicit InFrame(bool& b) : on(b) { on = true; }
    ~InFrame() { on = false; }
  } in_frame(in_frame_);
  const bool owed = screen_->input_owed();
  const bool posted = queue_.run_pending() > 0;
  report(p, owed);
  if (!warmed_ && p.warm_views() > 0 && p.ready(state())) {
    warm_up(p);
    if (draw(p)) after_frame(p);  // the warm frames were thrown away: show the page again, whole
    return true;
  }
  p.before_frame();
  const bool png = png_due();
  if (!p.due() && !owed && !posted && !png) {
    // Nothing to draw: a ticker may still move a step, as a copy (no frame).
    if (screen_->step_tickers() > 0 && trace_) trace_ << state_.seq << ' ' << wall_us() << ' ' << p.page_id() << " step\n" << std::flush;
    return true;
  }
  if (draw(p)) after_frame(p);
  return true;
}

int Runner::run(Program& p) {
  if (!flags_.screenshot.empty()) {
    if (mirror_ && !mirror_->wait_until([&](const HallState& s) { return p.ready(s); }, flags_.sync_timeout_ms)) {
      std::fprintf(stderr, "%s: no state from the hall server within %d ms\n", program_.c_str(), flags_.sync_timeout_ms);
      return 1;
    }
    queue_.run_pending();
    for (int i = 0; i < 3; ++i) {  // the first frames settle layout and glyphs
      p.before_frame();
      draw(p);
      queue_.run_pending();
    }
    bool ok = screen_->save_png(flags_.screenshot);
    if (!ok) std::fprintf(stderr, "%s: could not write %s\n", program_.c_str(), flags_.screenshot.c_str());
    if (ok && !flags_.drawlog.empty()) std::ofstream(flags_.drawlog) << draw_log_json(screen_->draw_log()).dump(1);
    return ok ? 0 : 1;
  }
  p.before_frame();
  if (draw(p)) after_frame(p);
  sd_notify_text("READY=1");
  while (frame(p, p.idle_ms())) sd_watchdog_tick();
  return 0;
}

}  // namespace hall::ui
