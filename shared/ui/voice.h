// VoiceOut: speech from espeak-ng (offline) played through SDL audio, for
// the screen programs that talk (the display's call announcer, the kiosk's
// 语音引导). Lives on its caller's worker thread: open() there, then
// synthesize() and play(). No voice data or no sound card: it says so once
// on stderr and stays silent; callers go on (their logs still record what
// would have been said).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace hall::ui {

class VoiceOut {
 public:
  ~VoiceOut();
  // voice: an espeak-ng voice ("cmn", "en"), empty for audio only; rate in
  // words a minute (80..450), volume 0..100. `program` names the messages.
  void open(const std::string& program, const std::string& voice, int rate, int volume);
  bool voice_ok() const { return voice_ok_; }
  bool audio_ok() const { return audio_ok_; }
  int sample_rate() const { return sample_rate_; }
  bool set_voice(const std::string& voice);  // the voice of the next sentence (another language)
  std::vector<int16_t> synthesize(const std::string& text);
  // Plays to the end (at most its length and two seconds), or until stop() turns true.
  void play(const std::vector<int16_t>& samples, const std::function<bool()>& stop);

 private:
  std::string program_, voice_;
  int rate_ = 150, volume_ = 100;
  bool voice_ok_ = false, audio_ok_ = false;
  int sample_rate_ = 22050;
  unsigned device_ = 0;
};

}  // namespace hall::ui
