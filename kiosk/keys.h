// On-screen keys for a touch kiosk: a grid of large keys (digits, letters)
// and the editing they do. Each key is a touch button whose id is the prefix
// and the key ("key_7", "key_A", "key_del"), so tests tap them by name.
#pragma once

#include <string>
#include <vector>

#include "shared/ui/widgets.h"

namespace hall::kiosk {

inline const std::string kDelete = "⌫";
inline const std::string kSpace = "␣";

// Draws the keys in rows of `columns`; returns the key tapped, or "".
// ⌫ and ␣ are drawn with the words given (the CJK font has no such symbols).
struct KeyWords {
  std::string erase = "←", space = "_";
};
std::string key_grid(ui::Canvas& c, ui::Rect area, const std::vector<std::string>& keys, int columns, ui::Size size,
                     const KeyWords& words, const std::string& id_prefix = "key_");
// Applies a key to a text: ⌫ removes the last character, ␣ adds a space,
// anything else is appended while the text has fewer than max_chars characters.
void edit_text(std::string& text, const std::string& key, size_t max_chars);
size_t char_count(const std::string& utf8);

const std::vector<std::string>& digit_keys();          // 1–9, ⌫, 0
const std::vector<std::string>& letter_keys();         // A–Z, ⌫ (10 columns)
const std::vector<std::string>& text_keys();           // A–Z, digits, space, ⌫, ，。 (10 columns)

}  // namespace hall::kiosk
