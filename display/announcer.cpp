#include "display/announcer.h"

#include <SDL.h>
#include <espeak-ng/speak_lib.h>

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

int synth_callback(short* wav, int count, espeak_EVENT* events) {
  if (wav && count > 0 && events && events->user_data) {
    auto* out = static_cast<std::vector<int16_t>*>(events->user_data);
    out->insert(out->end(), wav, wav + count);
  }
  return 0;
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

std::vector<int16_t> Announcer::synthesize(const std::string& text) {
  std::vector<int16_t> out;
  if (!voice_ok_) return out;
  espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, &out);
  espeak_Synchronize();
  return out;
}

void Announcer::play(const std::vector<int16_t>& samples) {
  if (!audio_ok_ || samples.empty()) return;
  SDL_QueueAudio(audio_device_, samples.data(), Uint32(samples.size() * sizeof(int16_t)));
  // Wait for the device to finish: the next announcement must not cut this
  // one off. But not past its length and two seconds (a device that stopped
  // playing, seen with SDL's dummy driver, once kept a stopping display
  // waiting for 20 minutes), and not when the display is stopping.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(int64_t(samples.size()) * 1000 / sample_rate_ + 2000);
  while (SDL_GetQueuedAudioSize(audio_device_) > 0 && std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(mutex_);
      if (stop_) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  SDL_ClearQueuedAudio(audio_device_);
}

void Announcer::run() {
  // Everything audio lives on this thread.
  if (voice_) {
    int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, 0);
    if (rate > 0 && espeak_SetVoiceByName(voice_name_.c_str()) == EE_OK) {
      sample_rate_ = rate;
      espeak_SetSynthCallback(synth_callback);
      espeak_SetParameter(espeakRATE, 150, 0);  // slower than default: the hall is large and echoes
      voice_ok_ = true;
    } else {
      std::fprintf(stderr, "hall-display: espeak-ng voice '%s' is not available: the chime only\n", voice_name_.c_str());
    }
  }
  if (SDL_InitSubSystem(SDL_INIT_AUDIO) == 0) {
    SDL_AudioSpec want{}, have{};
    want.freq = sample_rate_;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 1024;
    audio_device_ = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
    audio_ok_ = audio_device_ != 0;
    if (audio_ok_) SDL_PauseAudioDevice(audio_device_, 0);
  }
  if (!audio_ok_) std::fprintf(stderr, "hall-display: no audio device (%s): calls are shown, not heard\n", SDL_GetError());

  // The chime: a two-tone ding-dong with a soft decay.
  std::vector<int16_t> chime;
  for (double freq : {659.25, 523.25})
    for (int i = 0; i < sample_rate_ * 45 / 100; ++i) {
      double t = double(i) / sample_rate_;
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
    play(chime);
    if (voice_ok_) play(synthesize(text));
    {
      std::lock_guard lock(mutex_);
      spoken_.push_back(voice_ok_ ? text : "(chime)");
      busy_ = false;
    }
  }
  if (audio_ok_) SDL_CloseAudioDevice(audio_device_);
  if (voice_ok_) espeak_Terminate();
}

}  // namespace hall::display
