// PinyinInput: the kiosk's on-screen pinyin keyboard, its candidates from
// librime with the luna_pinyin_simp schema (Debian's rime-data-luna-pinyin:
// full pinyin "banshi" → 办事, and initials "bs" → 不是 …). One session per
// keyboard; RIME itself is set up once per process. Missing data: open()
// says so and the kiosk offers its other ways to type.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace hall::kiosk {

class PinyinInput {
 public:
  // user_dir: a folder RIME may write its learning to (the kiosk's state dir).
  static std::unique_ptr<PinyinInput> open(const std::string& user_dir, std::string* why);
  ~PinyinInput();
  void key(char letter);                      // a..z
  void erase();                               // the last letter of the spelling
  void clear();
  std::string spelling() const;               // "ban shi", as RIME splits it
  std::vector<std::string> candidates() const;  // the current page, best first
  bool last_page() const;
  void next_page();
  void previous_page();
  std::string pick(size_t index);             // the text chosen from the current page ("" if none)

 private:
  explicit PinyinInput(uintptr_t session) : session_(session) {}
  uintptr_t session_;
};

}  // namespace hall::kiosk
