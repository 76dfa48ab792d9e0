#include "display/announcer.h"

#include "shared/ui/voice.h"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace hall::display {

namespace {

const char* kDigits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

// 12 → 十二, 105 → 一百零五: how a window number is said.
std::string chinese_number(int n) {
  if (n < 0 || n > 9999) return std::to_string(n);
  if (n < 10) return kDigits[n];
  if (n < 20) return std::string("十") + (n % 10 ? kDigits[n % 10] : "");
  static const char* units[] = {"", "十", "百", "千"};
  std::string out;
  int digits[4] = {n / 1000, n / 100 % 10, n / 10 % 10, n % 10};
  bool started = false, zero = false;
  for (int i = 0; i < 4; ++i) {
    int d = digits[i];
    if (d == 0) {
      if (started) zero = true;
      continue;
    }
    if (zero) out += "零", zero = false;
    out += std::string(kDigits[d]) + units[3 - i];
    started = true;
  }
  return out;
}

}  // namespace

std::string Announcer::words(const std::string& number, int window, bool recall) {
  std::string spoken_number;
  for (char ch : number) {  // ticket digits one by one: A 零 二 三
    if (ch >= '0' && ch <= '9') spoken_number += kDigits[ch - '0'];
    else spoken_number += std::string(1, ch) + " ";
  }
  return std::string(recall ? "再次呼叫，" : "") + "请 " + spoken_number + " 号，到 " + chinese_number(window) + " 号窗口办理";
}

Announcer::Announcer(bool voice, std::string voice_name) : voice_(voice), voice_name_(std::move(voice_name)) {
  worker_ = std::thread([this] { run(); });
}

Announcer::~Announcer() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

void Announcer::announce(const std::string& number, int window, bool recall) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(words(number, window, recall));
  }
  cv_.notify_all();
}

std::vector<std::string> Announcer::spoken() const {
  std::lock_guard lock(mutex_);
  return spoken_;
}

bool Announcer::idle() const {
  std::lock_guard lock(mutex_);
  return queue_.empty() && !busy_;
}

void Announcer::run() {
  // Everything audio lives on this thread.
  ui::VoiceOut out;
  out.open("hall-display", voice_ ? voice_name_ : "", 150, 100);  // slower than espeak's default: the hall is large and echoes
  const int rate = out.sample_rate();
  auto stopping = [this] {
    std::lock_guard lock(mutex_);
    return stop_;
  };

  // The chime: a two-tone ding-dong with a soft decay.
  std::vector<int16_t> chime;
  for (double freq : {659.25, 523.25})
    for (int i = 0; i < rate * 45 / 100; ++i) {
      double t = double(i) / rate;
      chime.push_back(int16_t(9000 * std::exp(-4.0 * t) * std::sin(2 * M_PI * freq * t)));
    }

  while (true) {
    std::string text;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (stop_) break;
      text = queue_.front();
      queue_.pop_front();
      busy_ = true;
    }
    out.play(chime, stopping);  // the next announcement never cuts this one: each plays to its end
    if (out.voice_ok()) out.play(out.synthesize(text), stopping);
    {
      std::lock_guard lock(mutex_);
      spoken_.push_back(out.voice_ok() ? text : "(chime)");
      busy_ = false;
    }
  }
}

}  // namespace hall::display
