#include "shared/ui/contrast.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace hall::ui {

namespace {
double channel(uint8_t v) {
  double c = v / 255.0;
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}
double luminance_of(ImU32 c) { return relative_luminance(uint8_t(c >> IM_COL32_R_SHIFT), uint8_t(c >> IM_COL32_G_SHIFT), uint8_t(c >> IM_COL32_B_SHIFT)); }
double ratio_of(double la, double lb) { return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05); }
}  // namespace

double relative_luminance(uint8_t r, uint8_t g, uint8_t b) { return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b); }

double contrast_ratio(ImU32 a, ImU32 b) { return ratio_of(luminance_of(a), luminance_of(b)); }

std::vector<TextContrast> measure_text_contrast(const std::vector<DrawnText>& log, const unsigned char* rgba, int width, int height,
                                                int pitch) {
  std::vector<TextContrast> out;
  if (!rgba) return out;
  for (const DrawnText& t : log) {
    int x0 = std::max(0, int(std::floor(t.box.x))), y0 = std::max(0, int(std::floor(t.box.y)));
    int x1 = std::min(width, int(std::ceil(t.box.right()))), y1 = std::min(height, int(std::ceil(t.box.bottom())));
    if (x1 <= x0 || y1 <= y0) continue;
    auto at = [&](int x, int y) {
      const unsigned char* p = rgba + size_t(y) * size_t(pitch) + size_t(x) * 4;
      return IM_COL32(p[0], p[1], p[2], 255);
    };
    std::unordered_map<ImU32, int> counts;
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x) ++counts[at(x, y)];
    TextContrast c{t.text, t.box};
    int best = 0;
    for (const auto& [col, n] : counts)
      if (n > best) best = n, c.ground = col;
    const double lg = luminance_of(c.ground);
    c.ratio = 1;
    c.ink = c.ground;
    for (const auto& [col, n] : counts) {
      double r = ratio_of(lg, luminance_of(col));
      if (r > c.ratio) c.ratio = r, c.ink = col;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace hall::ui
