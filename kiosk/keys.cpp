#include "kiosk/keys.h"

namespace hall::kiosk {

using namespace ui;

std::string key_grid(Canvas& c, Rect area, const std::vector<std::string>& keys, int columns, Size size,
                     const KeyWords& words, const std::string& id_prefix) {
  const float gap = 12 * c.u();
  int rows = (int(keys.size()) + columns - 1) / columns;
  float kw = (area.w - gap * float(columns - 1)) / float(columns);
  float kh = (area.h - gap * float(rows - 1)) / float(rows);
  std::string tapped;
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::string& k = keys[i];
    if (k.empty()) continue;  // a gap in the layout
    Rect r{area.x + float(int(i) % columns) * (kw + gap), area.y + float(int(i) / columns) * (kh + gap), kw, kh};
    std::string id = id_prefix + (k == kDelete ? "del" : k == kSpace ? "space" : k);
    ButtonStyle style{k == kDelete ? color::kPaused : color::kPanelEdge, k == kDelete ? color::kGround : color::kText, size, 12};
    const std::string& label = k == kDelete ? words.erase : k == kSpace ? words.space : k;
    if (touch_button(c, id.c_str(), r, label, style)) tapped = k;
  }
  return tapped;
}

size_t char_count(const std::string& utf8) {
  size_t n = 0;
  for (unsigned char ch : utf8) n += (ch & 0xC0) != 0x80;
  return n;
}

void edit_text(std::string& text, const std::string& key, size_t max_chars) {
  if (key.empty()) return;
  if (key == kDelete) {
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
    if (!text.empty()) text.pop_back();
    return;
  }
  std::string add = key == kSpace ? " " : key;
  if (char_count(text) + char_count(add) <= max_chars) text += add;
}

const std::vector<std::string>& digit_keys() {
  static const std::vector<std::string> keys{"1", "2", "3", "4", "5", "6", "7", "8", "9", kDelete, "0", ""};
  return keys;
}

const std::vector<std::string>& letter_keys() {
  static const std::vector<std::string> keys{"Q", "W", "E", "R", "T", "Y", "U", "I", "O", "P",
                                             "A", "S", "D", "F", "G", "H", "J", "K", "L", "",
                                             "Z", "X", "C", "V", "B", "N", "M", kDelete, "", ""};
  return keys;
}

const std::vector<std::string>& text_keys() {
  static const std::vector<std::string> keys{"Q", "W", "E", "R", "T", "Y", "U", "I", "O", "P",
                                             "A", "S", "D", "F", "G", "H", "J", "K", "L", "，",
                                             "Z", "X", "C", "V", "B", "N", "M", "。", kSpace, kDelete,
                                             "1", "2", "3", "4", "5", "6", "7", "8", "9", "0"};
  return keys;
}

}  // namespace hall::kiosk
