// 呼叫帮办: a citizen who cannot go on asks for a person. The request goes
// to the hall server (ask_help) with this kiosk's id, its place and the page
// it was on; the page says a person is coming, how long ago it asked, and
// who took it once a staff member did. The citizen can cancel it or go back
// to the page they were on (the request stays).
#include <chrono>

#include "kiosk/kiosk.h"
#include "shared/clock.h"
#include "shared/ui/widgets.h"

namespace hall::kiosk {

using namespace ui;

void Kiosk::ask_help() {
  if (!online()) {
    help_.error = t()("help.offline");
    return;
  }
  json args{{"device", device_id_}, {"page", page_name()}};  // still the page the citizen was on
  if (!o_.place.empty()) args["place"] = o_.place;
  const std::string key = "kiosk-help-" + device_id_ + "-" + std::to_string(wall_ms());  // each tap its own; the server keeps one open per kiosk
  worker_.post([this, args, key]() -> std::function<void()> {
    Reply r = client_.call("ask_help", args, key);
    return [this, r] {
      if (!r.ok) {
        help_.error = t()("help.failed");
        return;
      }
      help_.id = r.result["help"].value("id", "");
      help_.asked_at = Clock::now();
    };
  });
}

void Kiosk::draw_help(Canvas& c, const HallState& s) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  page_title(c, t()("help.title"));
  const HelpRequest* h = nullptr;
  if (auto it = s.helps.find(help_.id); !help_.id.empty() && it != s.helps.end()) h = &it->second;
  std::string big, small;
  ImU32 ink = color::kGold;
  if (!help_.error.empty()) {
    big = help_.error, ink = color::kPaused;
  } else if (!h) {
    big = t()("help.asking");
  } else if (h->state == HelpState::Open) {
    big = t()("help.coming");
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(Clock::now() - help_.asked_at).count();
    small = minutes == 0 ? t()("help.asked_now") : t()("help.asked_ago", {{"n", std::to_string(minutes)}});
  } else if (h->state == HelpState::Taken) {
    big = t()("help.taken", {{"by", h->taken_by}}), ink = color::kGood;
    small = t()("help.stay");
  } else {  // helped or cancelled: this kiosk may ask again
    big = h->state == HelpState::Done ? t()("help.done") : t()("help.cancelled"), ink = color::kText;
  }
  float y = content_top() + 200 * u;
  auto lines = c.wrap(Size::Big, W - 120 * u, big);
  const float lh = c.fonts().pixels(Size::Big) * 1.4f;
  for (const auto& line : lines) c.text_in(Size::Big, {60 * u, y, W - 120 * u, lh}, ink, line, Align::Center), y += lh;
  if (!small.empty()) c.text_in(heading(), {60 * u, y + 30 * u, W - 120 * u, 90 * u}, color::kText, small, Align::Center);
  if (!o_.place.empty()) c.text_in(body(), {60 * u, y + 140 * u, W - 120 * u, 70 * u}, color::kMuted, o_.place, Align::Center);
  const float gap = 24 * u, bw = (W - 3 * gap) / 2, bh = 150 * u;
  const bool active = h && (h->state == HelpState::Open || h->state == HelpState::Taken);
  if (touch_button(c, "help_back", {gap, H - bh - gap, bw, bh}, t()("help.back"), {color::kPanelEdge, color::kText, heading(), 16})) {
    if (!active) help_.id.clear();
    go(help_.back);
  }
  if (touch_button(c, "help_cancel", {2 * gap + bw, H - bh - gap, bw, bh}, busy() ? "…" : t()("help.cancel"), {color::kBad, color::kGround, heading(), 16},
                   active && !busy())) {
    const std::string id = help_.id;
    worker_.post([this, id]() -> std::function<void()> {
      Reply r = client_.call("cancel_help", {{"id", id}}, "kiosk-help-cancel-" + id);
      return [this, r] {
        if (!r.ok && r.code != err::kBadTransition) help_.error = t()("help.failed");
      };
    });
  }
}

}  // namespace hall::kiosk
