// Contrast of what a screen actually shows (适老化: every text at least
// 4.5:1 against what is behind it, WCAG 2 relative luminance). Measured on
// the rendered pixels, not on the palette: a text drawn over a tile, a
// gradient or a dimmed panel is judged on what the eye gets.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "shared/ui/draw.h"

namespace hall::ui {

constexpr double kMinContrast = 4.5;

double relative_luminance(uint8_t r, uint8_t g, uint8_t b);
double contrast_ratio(ImU32 a, ImU32 b);           // 1..21, either order

struct TextContrast {
  std::string text;
  Rect box;
  ImU32 ground = 0, ink = 0;  // the commonest colour in the text's box; the pixel furthest from it
  double ratio = 21;
};

// For each text of the last frame's draw log: its ground and ink as
// rendered (RGBA rows, `pitch` bytes apart).
std::vector<TextContrast> measure_text_contrast(const std::vector<DrawnText>& log, const unsigned char* rgba, int width, int height,
                                                int pitch);

}  // namespace hall::ui
