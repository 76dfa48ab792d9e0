// Touch-first widgets drawn with the Canvas: large buttons with their hit
// rectangle equal to what is drawn (so a test, or an 80-year-old finger,
// finds them where they are seen). Call inside begin_root()/end_root().
#pragma once

#include <optional>

#include <string>
#include <vector>

#include "shared/ui/draw.h"

namespace hall::ui {

void begin_root();  // a full-screen ImGui window with no decoration, for hit-testing
void end_root();

struct ButtonStyle {
  ImU32 fill = color::kTile;
  ImU32 ink = color::kText;
  Size size = Size::Title;
  float rounding = 14;       // design points
};

// Returns true when tapped. A disabled button is drawn dimmed and ignores taps.
bool touch_button(Canvas& c, const char* id, Rect r, const std::string& label, const ButtonStyle& style = {},
                  bool enabled = true);

// Records buttons drawn this frame (tests measure their sizes; elderly mode checks targets).
struct DrawnButton {
  std::string id, label;
  Rect rect;
  bool enabled = true;  // false: drawn greyed, touch_button returns false
};
std::vector<DrawnButton>& drawn_buttons();
// The button whose tap was answered in the last frame drawn (its id and label), or none.
std::optional<DrawnButton>& pressed_button();

}  // namespace hall::ui
