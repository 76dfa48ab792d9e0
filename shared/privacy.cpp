#include "shared/privacy.h"

#include <cctype>
#include <vector>

namespace hall {

static std::vector<std::string> split_utf8(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + n > s.size()) n = s.size() - i;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

std::string mask_name(const std::string& utf8_name) {
  auto chars = split_utf8(utf8_name);
  if (chars.size() <= 1) return utf8_name;
  if (chars.size() == 2) return chars[0] + "*";
  std::string out = chars.front();
  for (size_t i = 1; i + 1 < chars.size(); ++i) out += "*";
  return out + chars.back();
}

std::string mask_digits(const std::string& text) {
  std::string out = text;
  size_t i = 0;
  while (i < out.size()) {
    if (!std::isdigit((unsigned char)out[i])) { ++i; continue; }
    size_t j = i;
    while (j < out.size() && (std::isdigit((unsigned char)out[j]) || out[j] == 'X' || out[j] == 'x')) ++j;
    size_t len = j - i;
    if (len >= 7)  // phone numbers (11) and ID numbers (18) both are long runs
      for (size_t k = i + 3; k < j - 4; ++k) out[k] = '*';
    i = j;
  }
  return out;
}

}  // namespace hall
