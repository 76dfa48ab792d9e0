#include "shared/ui/widgets.h"

namespace hall::ui {

std::vector<DrawnButton>& drawn_buttons() {
  static std::vector<DrawnButton> buttons;
  return buttons;
}

std::optional<DrawnButton>& pressed_button() {
  static std::optional<DrawnButton> pressed;
  return pressed;
}

void begin_root() {
  drawn_buttons().clear();
  pressed_button().reset();
  ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos({0, 0});
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, {0, 0});
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
  ImGui::Begin("##root", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
}

void end_root() {
  ImGui::End();
  ImGui::PopStyleVar(2);
}

bool touch_button(Canvas& c, const char* id, Rect r, const std::string& label, const ButtonStyle& style, bool enabled) {
  ImGui::SetCursorScreenPos({r.x, r.y});
  bool pressed = ImGui::InvisibleButton(id, {std::max(1.0f, r.w), std::max(1.0f, r.h)}) && enabled;
  bool held = ImGui::IsItemActive() && enabled;
  ImU32 fill = enabled ? style.fill : color::kDisabled;
  if (held) fill = (fill & 0xFF000000) | ((fill & 0x00FEFEFE) >> 1);  // darker while pressed
  c.fill(r, fill, c.px(style.rounding));
  c.text_in(style.size, r.inset(c.px(8)), enabled ? style.ink : color::kMuted, label, Align::Center);
  drawn_buttons().push_back({id, label, r, enabled});
  if (pressed) pressed_button() = drawn_buttons().back();
  return pressed;
}

}  // namespace hall::ui
