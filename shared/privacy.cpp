#include "shared/privacy.h"

#include <cstdint>
#include <vector>

namespace hall {

namespace {

struct Glyph {
  size_t at, len;  // bytes of one UTF-8 code point
  uint32_t cp;
};

std::vector<Glyph> decode(const std::string& s) {
  std::vector<Glyph> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + n > s.size()) n = s.size() - i;
    uint32_t cp = n == 1 ? c : c & (0xFF >> (n + 1));
    for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back({i, n, cp});
    i += n;
  }
  return out;
}

int digit_of(uint32_t cp) {  // 0–9, or −1
  if (cp >= '0' && cp <= '9') return int(cp - '0');
  if (cp >= 0xFF10 && cp <= 0xFF19) return int(cp - 0xFF10);  // full-width ０–９ from a Chinese input method
  return -1;
}

bool separator(uint32_t cp) {
  switch (cp) {
    case '-': case ' ': case '.': case '(': case ')': case '/':
    case 0xFF0D: case 0x2014: case 0x2013: case 0x2212:  // －  —  –  −
    case 0xFF08: case 0xFF09: case 0x3000: case 0xFF0E:  // （ ） ideographic space ．
      return true;
    default:
      return false;
  }
}

struct Run {
  size_t first, last;           // glyph indexes, inclusive
  std::vector<size_t> digits;   // glyph indexes of its digits (and a final X)
  std::vector<std::string> groups;
};

// A calendar date is not a phone: YYYY-MM-DD, YYYY.MM.DD, YYYY/MM/DD.
bool is_date(const Run& r) {
  if (r.groups.size() != 3 || r.groups[0].size() != 4 || r.groups[1].size() > 2 || r.groups[2].size() > 2) return false;
  int y = std::stoi(r.groups[0]), m = std::stoi(r.groups[1]), d = std::stoi(r.groups[2]);
  return y >= 1900 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

// Every run of 7 digits or more, with the rules of the header.
template <class F>
void for_each_number(const std::vector<Glyph>& g, F f) {
  for (size_t i = 0; i < g.size();) {
    if (digit_of(g[i].cp) < 0) { ++i; continue; }
    Run r{i, i, {}, {""}};
    size_t j = i;
    while (j < g.size()) {
      if (int d = digit_of(g[j].cp); d >= 0) {
        r.digits.push_back(j);
        r.groups.back() += char('0' + d);
        r.last = j++;
        continue;
      }
      // An ID's check letter closes the run.
      if ((g[j].cp == 'X' || g[j].cp == 'x') && r.digits.size() == 17) {
        r.digits.push_back(j);
        r.last = j++;
        break;
      }
      size_t k = j;
      while (k < g.size() && k - j < 2 && separator(g[k].cp)) ++k;
      if (k == j || k >= g.size() || digit_of(g[k].cp) < 0) break;
      r.groups.emplace_back();
      j = k;
    }
    if (r.digits.size() >= 7 && !is_date(r)) f(r);
    i = r.last + 1;
  }
}

}  // namespace

static std::vector<std::string> split_utf8(const std::string& s) {
  std::vector<std::string> out;
  for (const Glyph& g : decode(s)) out.push_back(s.substr(g.at, g.len));
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

std::string mask_personal(const std::string& text) {
  const auto g = decode(text);
  std::vector<bool> hide(g.size(), false);
  bool any = false;
  for_each_number(g, [&](const Run& r) {
    const size_t n = r.digits.size();
    const size_t keep_first = n >= 9 ? 3 : 0, keep_last = n >= 11 ? 4 : 2;
    for (size_t k = keep_first; k + keep_last < n; ++k) hide[r.digits[k]] = true;
    any = true;
  });
  if (!any) return text;
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < g.size(); ++i) out += hide[i] ? std::string("*") : text.substr(g[i].at, g[i].len);
  return out;
}

bool holds_personal_number(const std::string& text) {
  bool found = false;
  for_each_number(decode(text), [&](const Run&) { found = true; });
  return found;
}

}  // namespace hall
