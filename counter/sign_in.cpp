// Sign-in: staff number and PIN; the window opens with that staff on duty.
#include "counter/console.h"
#include "imgui.h"
#include "shared/ui/widgets.h"

namespace hall::counter {

using namespace ui;

void Console::draw_sign_in(Canvas& c) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  c.fill({0, 0, W, 110 * u}, color::kPanel);
  c.text_in(Size::Title, {40 * u, 0, W, 110 * u}, color::kGold, std::to_string(o_.window) + " 号窗口 · 工作人员签到");
  float x = W * 0.25f, w = W * 0.5f;
  c.text(Size::Body, {x, 170 * u}, color::kMuted, "工号");
  c.text(Size::Body, {x, 320 * u}, color::kMuted, "密码");
  // Two fields, drawn here; typing arrives through on_key().
  for (int f = 0; f < 2; ++f) {
    Rect box{x, (f == 0 ? 215 : 365) * u, w, 76 * u};
    c.fill(box, color::kPanelEdge, 8 * u);
    if (field_ == f) c.frame(box, color::kGold, 3 * u, 8 * u);
    std::string shown = f == 0 ? staff_input_ : std::string(pin_input_.size(), '*');
    if (field_ == f) shown += "_";
    c.text_in(Size::Title, box.inset(14 * u), color::kText, shown);
    std::string id = f == 0 ? "field_staff" : "field_pin";
    ImGui::SetCursorScreenPos({box.x, box.y});
    if (ImGui::InvisibleButton(id.c_str(), {box.w, box.h})) field_ = f;  // a tap chooses the field
  }
  bool ready = !busy() && !staff_input_.empty() && !pin_input_.empty();
  bool tap = touch_button(c, "signin", {x, 480 * u, w, 90 * u}, busy() ? "正在签到…" : "签到（回车）",
                          {color::kGood, color::kGround, Size::Title, 14}, ready);
  if ((submit_ || tap) && ready) {
    send("sign_in", {{"staff", staff_input_}, {"pin", pin_input_}}, "签到");
    pin_input_.clear();  // a PIN is never kept on screen or in memory longer than needed
  }
  submit_ = false;
  if (!message_.empty()) c.text_in(Size::Body, {0, 600 * u, W, 60 * u}, message_bad_ ? color::kBad : color::kGood, message_, Align::Center);
  if (!online()) c.text_in(Size::Body, {0, H - 70 * u, W, 60 * u}, color::kBad, "未连接大厅服务器", Align::Center);
}

}  // namespace hall::counter
