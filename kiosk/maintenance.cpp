// Maintenance, for staff only: five quick taps on the top-left corner of the
// home page, then the maintenance PIN from the kiosk's config. Shows the
// server address and connection, the outbox, the catalogue kept, the printer
// (with a test print) and the version. There is no way to the desktop.
#include "kiosk/keys.h"
#include "kiosk/kiosk.h"
#include "shared/clock.h"
#include "shared/ui/widgets.h"

#ifndef HALL_VERSION
#define HALL_VERSION "dev"
#endif

namespace hall::kiosk {

using namespace ui;

bool Kiosk::staff_gesture(Canvas& c) {
  const float u = c.u();
  // An invisible target over the hall's name; nothing on it invites a citizen's tap.
  ImGui::SetCursorScreenPos({0, 0});
  if (!ImGui::InvisibleButton("staff_corner", {160 * u, 130 * u})) return false;
  auto now = Clock::now();
  corner_taps_.push_back(now);
  while (!corner_taps_.empty() && now - corner_taps_.front() > std::chrono::seconds(4)) corner_taps_.erase(corner_taps_.begin());
  if (corner_taps_.size() < 5) return false;
  corner_taps_.clear();
  maintenance_.pin.clear(), maintenance_.status.clear();
  go(Page::MaintenancePin);
  return true;
}

void Kiosk::draw_maintenance_pin(Canvas& c) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  page_title(c, t()("maint.pin"));
  float gap = 24 * u, y = content_top() + 110 * u;
  Rect box{W * 0.25f, y, W * 0.5f, 130 * u};
  c.fill(box, color::kText, 12 * u);
  std::string dots;  // the PIN is never shown
  for (size_t i = 0; i < maintenance_.pin.size(); ++i) dots += "●";
  c.text_in(Size::Big, box.inset(20 * u), color::kGround, dots, Align::Center);
  y += box.h + 10 * u;
  if (!maintenance_.status.empty()) c.text_in(body(), {gap, y, W - 2 * gap, 70 * u}, color::kBad, maintenance_.status, Align::Center);
  y += 80 * u;
  float pad_w = std::min(W - 2 * gap, 800 * u);
  Rect pad{(W - pad_w) / 2, y, pad_w, H - y - 190 * u};
  edit_text(maintenance_.pin, key_grid(c, pad, digit_keys(), 3, Size::Big, key_words(), "pin_"), 8);
  if (touch_button(c, "pin_ok", {(W - pad_w) / 2, H - 170 * u, pad_w, 140 * u}, t()("maint.open"), {color::kGood, color::kGround, Size::Big, 18},
                   maintenance_.pin.size() >= 4)) {
    if (maintenance_.pin == o_.maintenance_pin) go(Page::Maintenance);
    else maintenance_.pin.clear(), maintenance_.status = t()("maint.wrong_pin");
  }
}

void Kiosk::draw_maintenance(Canvas& c, const HallState& s) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  page_title(c, t()("maint.title"));
  float gap = 24 * u, y = content_top() + 110 * u, lh = c.fonts().pixels(body()) * 1.6f;
  auto since = [&] {
    int64_t ms = mirror_.last_heard_ms();
    if (ms == 0) return t()("maint.never");
    return std::to_string((wall_ms() - ms) / 1000) + " s";
  };
  std::vector<std::pair<std::string, std::string>> facts{
      {t()("maint.version"), std::string("hall-kiosk ") + HALL_VERSION},
      {t()("maint.hall"), s.hall.name.empty() ? "—" : s.hall.name + " (" + s.hall.id + ")"},
      {t()("maint.commands"), o_.commands},
      {t()("maint.updates"), o_.updates},
      {t()("maint.bus"), online() ? t()("maint.online", {{"seq", std::to_string(mirror_.seq())}}) : t()("maint.offline")},
      {t()("maint.heard"), since()},
      {t()("maint.outbox"), std::to_string(outbox_->pending())},
      {t()("maint.catalogue"), std::to_string(s.items.size()) + " / " + std::to_string(s.policies.size())},
      {t()("maint.printer"), o_.printer.empty() ? t()("maint.no_printer") : o_.printer},
      {t()("maint.screen"), std::to_string(screen().width()) + "×" + std::to_string(screen().height())},
      {t()("maint.state_dir"), o_.state_dir}};
  Rect panel = draw_facts(c, {gap, y, W - 2 * gap, 0}, facts, body(), color::kText);
  y = panel.bottom() + gap;
  if (!maintenance_.status.empty()) c.text_in(body(), {gap, y, W - 2 * gap, lh}, color::kGold, maintenance_.status, Align::Center);
  float bw = (W - 3 * gap) / 2, bh = 140 * u;
  if (touch_button(c, "printer_test", {gap, H - bh - gap, bw, bh}, t()("maint.print_test"), {color::kTile, color::kText, heading(), 16},
                   !o_.printer.empty())) {
    Receipt r;
    r.hall = s.hall.name;
    r.number = "TEST";
    r.category = zh_("maint.print_test");
    r.lines = {o_.commands, std::string("hall-kiosk ") + HALL_VERSION};
    r.qr = "hall-kiosk printer test";
    std::string error = send_to_printer(o_.printer, encode_receipt(r));
    maintenance_.status = error.empty() ? t()("maint.printed") : error;
  }
  if (touch_button(c, "maint_close", {2 * gap + bw, H - bh - gap, bw, bh}, t()("maint.close"), {color::kGood, color::kGround, heading(), 16}))
    go(Page::Home);
}

}  // namespace hall::kiosk
