#include "kiosk/speech.h"

#include <cstdio>
#include <cstdlib>

#include "shared/ui/voice.h"

namespace hall::kiosk {

Speaker::Speaker(const SpeechOptions& o) : o_(o) {
  if (o_.enabled) worker_ = std::thread([this] { run(); });
}

Speaker::~Speaker() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void Speaker::say(const std::string& text, const std::string& lang) {
  if (!o_.enabled || text.empty()) return;
  {
    std::lock_guard lock(mutex_);
    if (next_) log_.push_back("drop: " + next_->text);  // waiting, never started: dropped for the newer
    next_ = Line{text, lang};
  }
  cv_.notify_all();
}

std::vector<std::string> Speaker::log() const {
  std::lock_guard lock(mutex_);
  return log_;
}

bool Speaker::idle() const {
  std::lock_guard lock(mutex_);
  return !next_ && !busy_;
}

void Speaker::run() {
  static const bool trace = std::getenv("HALL_TRACE_SPEECH") != nullptr;
  ui::VoiceOut out;
  bool opened = false;  // the voice and the sound card only once there is something to say (most kiosks start in the normal mode)
  auto note = [&](const std::string& line) {  // under the lock
    log_.push_back(line);
    if (trace) std::fprintf(stderr, "hall-kiosk: speech: %s\n", line.c_str());
  };
  // Cut when a newer sentence waits, or the kiosk stops.
  auto newer = [this] {
    std::lock_guard lock(mutex_);
    return stop_ || next_.has_value();
  };
  while (true) {
    Line line;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [&] { return stop_ || next_.has_value(); });
      if (stop_) break;
      line = *next_;
      next_.reset();
      busy_ = true;
      note("say: " + line.text);
    }
    if (!opened) out.open("hall-kiosk", "cmn", o_.rate, o_.volume), opened = true;
    out.set_voice(line.lang == "en" ? "en" : "cmn");
    std::vector<int16_t> samples = out.synthesize(line.text);
    if (!newer()) out.play(samples, newer);
    {
      std::lock_guard lock(mutex_);
      note((next_ || stop_ ? "cut: " : "done: ") + line.text);
      busy_ = false;
    }
  }
}

}  // namespace hall::kiosk
