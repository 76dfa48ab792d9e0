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

}  // namespace hall::test
