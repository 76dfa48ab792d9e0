// 拼音 on the kiosk's own keys: the letters spell, RIME offers the words
// (kiosk/pinyin), a tap on one types it. The space takes the first word, a
// digit or mark takes it too and then types itself, ⌫ erases the spelling
// before the text. 中/英 switches to plain letters and back; what was typed
// stays either way.
#include <algorithm>
#include <vector>

#include "kiosk/kiosk.h"

namespace hall::kiosk {

using namespace ui;

void Kiosk::text_keyboard(Canvas& c, Rect area, std::string& text, size_t max_chars) {
  const float u = c.u();
  if (!pinyin_tried_) pinyin_tried_ = true, pinyin_ = PinyinInput::open(o_.state_dir + "/rime", &pinyin_why_);
  const bool spelling_on = pinyin_ && pinyin_on_;
  const std::string spelling = spelling_on ? pinyin_->spelling() : "";
  const float bar_h = 110 * u, gap = 12 * u;
  Rect bar{area.x, area.y, area.w, bar_h};
  Rect keys{area.x, area.y + bar_h + gap, area.w, area.h - bar_h - gap};
  // The bar: 中/英, the spelling, the words of this page, ◀ ▶.
  const float toggle_w = 150 * u;
  if (touch_button(c, "ime_toggle", {bar.x, bar.y, toggle_w, bar_h}, spelling_on ? t()("ime.pinyin") : t()("ime.letters"),
                   {color::kPanelEdge, color::kText, heading(), 12}, pinyin_ != nullptr)) {
    if (!spelling.empty()) edit_text(text, pinyin_->pick(0), max_chars);  // nothing typed is lost on the way
    pinyin_on_ = !pinyin_on_;
  }
  Rect words{bar.x + toggle_w + gap, bar.y, bar.w - toggle_w - gap, bar_h};
  if (!pinyin_) {
    c.text_in(Size::Body, words, color::kMuted, t()("ime.unavailable"), Align::Left);
  } else if (spelling_on && !spelling.empty()) {
    const float page_w = 100 * u, spell_w = std::min(260 * u, words.w * 0.25f);
    c.text_in(body(), {words.x, words.y, spell_w, bar_h}, color::kGold, spelling, Align::Left);
    const auto list = pinyin_->candidates();
    const float x0 = words.x + spell_w + gap, room = words.right() - x0 - 2 * (page_w + gap);
    // As many words as fit at full size, each as wide as it needs (a narrow bar shows fewer, never smaller ones).
    const float pad = 36 * u;
    std::vector<float> widths;
    float used = 0;
    for (size_t i = 0; i < list.size() && i < 5; ++i) {
      const float w = std::max(bar_h, c.measure(heading(), list[i]).x + pad);
      if (used + w + (widths.empty() ? 0 : gap) > room) break;
      used += w + (widths.empty() ? 0 : gap);
      widths.push_back(w);
    }
    const float stretch = widths.empty() ? 1 : (room - gap * float(widths.size() - 1)) / (used - gap * float(widths.size() - 1));
    float x = x0;
    for (size_t i = 0; i < widths.size(); ++i) {
      const std::string id = "cand_" + std::to_string(i);
      const float w = widths[i] * stretch;
      if (touch_button(c, id.c_str(), {x, bar.y, w, bar_h}, list[i], {color::kTile, color::kText, heading(), 12})) edit_text(text, pinyin_->pick(i), max_chars);
      x += w + gap;
    }
    if (touch_button(c, "cand_prev", {words.right() - 2 * page_w - gap, bar.y, page_w, bar_h}, "◀", {color::kPanelEdge, color::kText, heading(), 12}))
      pinyin_->previous_page();
    if (touch_button(c, "cand_next", {words.right() - page_w, bar.y, page_w, bar_h}, "▶", {color::kPanelEdge, color::kText, heading(), 12},
                     !pinyin_->last_page()))
      pinyin_->next_page();
  } else if (spelling_on) {
    c.text_in(Size::Body, words, color::kMuted, t()("ime.hint"), Align::Left);
  }
  const std::string key = key_grid(c, keys, text_keys(), 10, heading(), key_words());
  if (key.empty()) return;
  const bool letter = key.size() == 1 && key[0] >= 'A' && key[0] <= 'Z';
  if (spelling_on && letter) return pinyin_->key(key[0]);
  if (spelling_on && !spelling.empty()) {
    if (key == kDelete) return pinyin_->erase();
    edit_text(text, pinyin_->pick(0), max_chars);  // the first word, then the key itself (a space only ends the word)
    if (key == kSpace) return;
  }
  edit_text(text, key, max_chars);
}

}  // namespace hall::kiosk
