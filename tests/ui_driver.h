// The in-process driver (shared/ui/driver.h) under the tests' namespace.
#pragma once

#include <doctest/doctest.h>

#include "shared/ui/contrast.h"
#include "shared/ui/driver.h"
#include "tests/support.h"

namespace hall::test {

using ui::drive;
using ui::key_event;
using ui::press;
using ui::stroke;
using ui::tap;
using ui::tap_at;
using ui::type;

// 适老化: every text of the last frame at least 4.5:1 against what is
// behind it, measured on the rendered pixels; returns how many texts were
// measured (a page with none measured nothing).
inline int check_contrast(ui::Screen& screen, const std::string& where) {
  int pitch = 0;
  const unsigned char* px = screen.pixels(&pitch);
  REQUIRE_MESSAGE(px, "contrast needs a headless screen");
  auto found = ui::measure_text_contrast(screen.draw_log(), px, screen.width(), screen.height(), pitch);
  for (const auto& t : found)
    if (t.ratio < ui::kMinContrast) {
      char colours[64];
      std::snprintf(colours, sizeof colours, "ink #%06X on #%06X", unsigned(t.ink & 0xFFFFFF), unsigned(t.ground & 0xFFFFFF));
      FAIL_CHECK(where << ": \"" << t.text << "\" measures " << t.ratio << ":1 (" << colours << ", ABGR)");
    }
  return int(found.size());
}

// 适老化 measured on one drawn frame (../shared/PRODUCT.md), in dp (pixels
// over the screen's unit, its short side / 1080): every text set at least
// 18 dp and drawn whole (no line cut by its box), the headings (texts whose
// box lies in heading_band) at least 30 dp, every touch target at least
// 60×60 dp when targets is set (长辈模式), and every text 4.5:1 against what
// is behind it. Returns how many texts it measured.
inline int check_age_friendly(ui::Screen& screen, const std::string& where, bool targets, ui::Rect heading_band) {
  const float unit = screen.unit();
  int headings = 0;
  for (const auto& t : screen.draw_log()) {
    const float set_dp = screen.fonts().pixels(t.size) / unit, drawn_dp = t.box.h / unit;
    if (set_dp < 18) FAIL_CHECK(where << ": \"" << t.text << "\" is set at " << set_dp << " dp (body text ≥ 18)");
    if (drawn_dp < 0.75f * set_dp) FAIL_CHECK(where << ": \"" << t.text << "\" shows " << drawn_dp << " dp of its " << set_dp << " (cut by its box)");
    const bool heading = t.box.y >= heading_band.y && t.box.bottom() <= heading_band.bottom() + 1;
    if (heading) {
      ++headings;
      if (set_dp < 30) FAIL_CHECK(where << ": the heading \"" << t.text << "\" is set at " << set_dp << " dp (headings ≥ 30)");
    }
  }
  if (heading_band.h > 0 && headings == 0) FAIL_CHECK(where << ": no heading drawn where the page's title goes");
  if (targets)
    for (const auto& b : ui::drawn_buttons())
      if (b.rect.w / unit < 60 || b.rect.h / unit < 60)
        FAIL_CHECK(where << ": the target '" << b.id << "' (" << b.label << ") is " << b.rect.w / unit << "×" << b.rect.h / unit << " dp (≥ 60×60)");
  return check_contrast(screen, where);
}

}  // namespace hall::test
