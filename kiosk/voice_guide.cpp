// 语音引导: each page says what it is and what to do next, and each tapped
// button is read out, from the string tables ("say.<page>"), in the
// kiosk's language. A new tap cuts what is being said (kiosk/speech.h).
#include <chrono>

#include "kiosk/kiosk.h"
#include "shared/ui/widgets.h"

namespace hall::kiosk {

std::string Kiosk::page_words(const HallState& s) const {
  switch (page_) {
    case Page::Notice: return notice_;
    case Page::Ticket: {
      if (!ticket_.contains("ticket")) return "";
      std::string number, spelled = ticket_["ticket"].value("number", "");
      for (char ch : spelled) number += std::string(number.empty() ? "" : " ") + ch;  // A 0 2 3: one sign at a time
      return t()("say.ticket", {{"number", number}, {"n", std::to_string(ticket_.value("ahead", 0))}});
    }
    case Page::Help: {
      auto it = s.helps.find(help_.id);
      if (!help_.error.empty()) return help_.error;
      if (it != s.helps.end() && it->second.state == HelpState::Taken) return t()("help.taken", {{"by", it->second.taken_by}});
      return t()("help.coming");
    }
    default: break;
  }
  const std::string key = "say." + page_name();
  const std::string words = t()(key);
  return words == key ? "" : words;  // a page without its own words: only the tapped button is read
}

void Kiosk::speak(const HallState& s) {
  if (warming_) return;
  std::string sentence;
  if (const auto& pressed = ui::pressed_button(); pressed && !pressed->label.empty() && pressed->label != "…") sentence = pressed->label;
  if (spoken_page_ != page_) {
    spoken_page_ = page_;
    // A page reached by a citizen (a tap, or the answer to one), not the idle return home.
    if (Clock::now() - touched_ < std::chrono::seconds(10)) {
      const std::string words = page_words(s);
      if (!words.empty()) sentence += (sentence.empty() ? "" : t().lang() == "en" ? ". " : "。") + words;
    }
  }
  if ((elderly_ || o_.speech.normal_mode || read_aloud_) && !sentence.empty()) speaker_.say(sentence, t().lang());
}

}  // namespace hall::kiosk
