// Speaker: the kiosk's 语音引导. One sentence at a time, and the newest
// wins: a new tap cuts what is being said and drops what was waiting, so the
// voice never runs behind the finger. Every sentence is logged as it starts
// and as it ends or is cut (tests read the log; HALL_TRACE_SPEECH prints it).
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace hall::kiosk {

struct SpeechOptions {
  bool enabled = true;        // off: nothing is said (and no audio device is opened)
  bool normal_mode = false;   // speak in the normal mode too, not only in 长辈模式
  int volume = 80;            // 0..100
  int rate = 150;             // words a minute, 80..450: slower than espeak's 175 for older ears
};

class Speaker {
 public:
  explicit Speaker(const SpeechOptions& o);
  ~Speaker();
  void say(const std::string& text, const std::string& lang);  // lang "zh-CN" or "en"; returns at once
  std::vector<std::string> log() const;  // "say: …", then "done: …" or "cut: …"; "drop: …" for one never started
  bool idle() const;                     // nothing waiting or playing

 private:
  void run();
  struct Line {
    std::string text, lang;
  };
  SpeechOptions o_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::optional<Line> next_;
  std::vector<std::string> log_;
  bool busy_ = false, stop_ = false;
  std::thread worker_;
};

}  // namespace hall::kiosk
