// Home: the services as large tiles; on every page the 长辈模式 and
// language buttons (always visible, never a dead end).
#include "kiosk/kiosk.h"
#include "shared/ui/widgets.h"

namespace hall::kiosk {

using namespace ui;

void Kiosk::draw_chrome(Canvas& c) {
  const float u = c.u(), W = float(screen_->width());
  float bh = 90 * u, bw = 250 * u;
  if (touch_button(c, "mode", {W - 2 * bw - 40 * u, 20 * u, bw, bh}, elderly_ ? (*t_)("mode.normal") : (*t_)("mode.elderly"),
                   {color::kGold, color::kGround, Size::Title, 14}))
    elderly_ = !elderly_, category_page_ = 0;
  if (touch_button(c, "lang", {W - bw - 20 * u, 20 * u, bw, bh}, (*t_)("lang.switch"), {color::kPanelEdge, color::kText, Size::Title, 14}))
    t_ = t_ == &zh_ ? &en_ : &zh_;
  if (page_ != Page::Home &&
      touch_button(c, "home", {20 * u, 20 * u, bw, bh}, (*t_)("nav.home"), {color::kPanelEdge, color::kText, Size::Title, 14}))
    go(Page::Home);
}

void Kiosk::draw_home(Canvas& c, const HallState& s) {
  const float u = c.u(), W = float(screen_->width()), H = float(screen_->height());
  c.text_in(heading(), {40 * u, 20 * u, W - 600 * u, 90 * u}, color::kGold, s.hall.name.empty() ? (*t_)("home.title") : s.hall.name);
  const char* keys[] = {"home.take_ticket", "home.guide", "home.lookup", "home.rate", "home.complaint", "home.policies"};
  int per_row = W > H ? 3 : 2;
  int shown = elderly_ ? 4 : 6;  // fewer, larger choices in 长辈模式
  float gap = 30 * u, top = 160 * u;
  int rows = (shown + per_row - 1) / per_row;
  float tw = (W - gap * float(per_row + 1)) / float(per_row), th = std::min((H - top - gap * float(rows + 1)) / float(rows), 420 * u);
  for (int i = 0; i < shown; ++i) {
    Rect r{gap + float(i % per_row) * (tw + gap), top + gap + float(i / per_row) * (th + gap), tw, th};
    ButtonStyle style{i == 0 ? color::kGood : color::kAccent, i == 0 ? color::kGround : color::kText, elderly_ ? Size::Huge : Size::Big, 20};
    if (touch_button(c, keys[i], r, (*t_)(keys[i]), style)) {
      if (i == 0) go(Page::Categories);
      else notice_ = (*t_)("home.coming"), go(Page::Notice);
    }
  }
}

void Kiosk::draw_notice(Canvas& c) {
  const float u = c.u(), W = float(screen_->width()), H = float(screen_->height());
  c.text_in(heading(), {40 * u, H * 0.3f, W - 80 * u, H * 0.2f}, color::kText, notice_, Align::Center);
  if (touch_button(c, "back", {W * 0.25f, H * 0.6f, W * 0.5f, 130 * u}, (*t_)("nav.back"), {color::kAccent, color::kText, heading(), 16}))
    go(Page::Home);
}

}  // namespace hall::kiosk
