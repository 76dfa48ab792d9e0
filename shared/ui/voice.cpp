#include "shared/ui/voice.h"

#include <SDL.h>
#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

namespace hall::ui {

namespace {
int synth_callback(short* wav, int count, espeak_EVENT* events) {
  if (wav && count > 0 && events && events->user_data) {
    auto* out = static_cast<std::vector<int16_t>*>(events->user_data);
    out->insert(out->end(), wav, wav + count);
  }
  return 0;
}

// espeak-ng is one engine per process, not safe from two threads, and does
// not come back from espeak_Terminate (a second Initialize hung in
// Synchronize). So: initialised once, never terminated, one sentence at a
// time under this lock, each with its own voice, rate and volume.
struct Engine {
  std::mutex mutex;
  int sample_rate = 0;  // 0: no voice data
  std::string voice;
  int rate = -1, volume = -1;
};
Engine& engine() {
  static Engine e;
  static std::once_flag once;
  std::call_once(once, [] {
    int hz = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, 0);
    if (hz > 0) e.sample_rate = hz, espeak_SetSynthCallback(synth_callback);
  });
  return e;
}
// Under the engine's lock: the voice and its settings for the next sentence.
bool use(Engine& e, const std::string& voice, int rate, int volume) {
  if (voice != e.voice) {
    if (espeak_SetVoiceByName(voice.c_str()) != EE_OK) return false;
    e.voice = voice;
  }
  if (rate != e.rate) espeak_SetParameter(espeakRATE, rate, 0), e.rate = rate;
  if (volume != e.volume) espeak_SetParameter(espeakVOLUME, volume, 0), e.volume = volume;
  return true;
}
}  // namespace

void VoiceOut::open(const std::string& program, const std::string& voice, int rate, int volume) {
  program_ = program;
  rate_ = std::clamp(rate, 80, 450), volume_ = std::clamp(volume, 0, 100);
  if (!voice.empty()) {
    Engine& e = engine();
    std::lock_guard lock(e.mutex);
    if (e.sample_rate > 0 && use(e, voice, rate_, volume_)) {
      sample_rate_ = e.sample_rate;
      voice_ = voice;
      voice_ok_ = true;
    } else {
      std::fprintf(stderr, "%s: espeak-ng voice '%s' is not available: no speech\n", program.c_str(), voice.c_str());
    }
  }
  if (SDL_InitSubSystem(SDL_INIT_AUDIO) == 0) {
    SDL_AudioSpec want{}, have{};
    want.freq = sample_rate_;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 1024;
    device_ = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
    audio_ok_ = device_ != 0;
    if (audio_ok_) SDL_PauseAudioDevice(device_, 0);
  }
  if (!audio_ok_) std::fprintf(stderr, "%s: no audio device (%s): nothing is heard\n", program.c_str(), SDL_GetError());
}

VoiceOut::~VoiceOut() {
  if (audio_ok_) SDL_CloseAudioDevice(device_);
}

bool VoiceOut::set_voice(const std::string& voice) {
  if (!voice_ok_) return false;
  voice_ = voice;  // taken at the next sentence
  return true;
}

std::vector<int16_t> VoiceOut::synthesize(const std::string& text) {
  std::vector<int16_t> out;
  if (!voice_ok_) return out;
  Engine& e = engine();
  std::lock_guard lock(e.mutex);
  if (!use(e, voice_, rate_, volume_)) return out;
  espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, &out);
  espeak_Synchronize();
  return out;
}

void VoiceOut::play(const std::vector<int16_t>& samples, const std::function<bool()>& stop) {
  if (!audio_ok_ || samples.empty()) return;
  SDL_QueueAudio(device_, samples.data(), Uint32(samples.size() * sizeof(int16_t)));
  // Not past its length and two seconds: a device that stopped playing (seen
  // with SDL's dummy driver) once kept a stopping display waiting 20 minutes.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(int64_t(samples.size()) * 1000 / sample_rate_ + 2000);
  while (SDL_GetQueuedAudioSize(device_) > 0 && std::chrono::steady_clock::now() < deadline && !stop())
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  SDL_ClearQueuedAudio(device_);  // cut: what was left is not heard
}

}  // namespace hall::ui
