// 办件查询: the case number on a keypad → its status, the steps done, the
// promised date and whether it is overdue; a finished case can be rated here.
#include "kiosk/keys.h"
#include "kiosk/kiosk.h"
#include "shared/ui/widgets.h"

namespace hall::kiosk {

using namespace ui;

void Kiosk::draw_lookup(Canvas& c) {
  const float u = c.u();
  page_title(c, t()("lookup.title"));
  if (keypad_entry(c, below(content_top() + 110 * u), lookup_.number, 24, t()("lookup.hint"), lookup_.error, "lookup_go", t()("lookup.go"),
                   lookup_.number.size() >= 6)) {
    if (!online()) {
      lookup_.error = t()("lookup.offline");
    } else {
      std::string number = lookup_.number;
      worker_.post([this, number]() -> std::function<void()> {
        Reply r = client_.call("lookup_case", {{"number", number}});
        return [this, r] { lookup_answered(r); };
      });
    }
  }
}

void Kiosk::draw_case(Canvas& c) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  const json& cs = lookup_.result["case"];
  page_title(c, t()("lookup.case", {{"n", cs.value("number", "")}}));
  // Portrait: the facts, then the steps below; landscape: side by side.
  const bool wide = W > H;
  float gap = 24 * u, y = content_top() + 110 * u, lh = c.fonts().pixels(heading()) * 1.5f;
  Rect panel{gap, y, wide ? W * 0.58f - 1.5f * gap : W - 2 * gap, 0};
  bool finished = cs.value("state", "") == "finished";
  bool overdue = lookup_.result.value("overdue", false);
  std::string state = finished ? t()("lookup.finished", {{"day", cs.value("finished_day", "")}})
                               : t()("lookup.in_progress");
  std::string promise =
      finished ? (overdue ? t()("lookup.finished_late") : t()("lookup.finished_on_time", {{"n", std::to_string(cs.value("actual_days", 0))}}))
      : overdue ? t()("lookup.overdue", {{"n", std::to_string(-lookup_.result.value("working_days_left", 0))}})
      : lookup_.result.value("working_days_left", 0) == 0 ? t()("lookup.due_today")
                : t()("lookup.days_left", {{"n", std::to_string(lookup_.result.value("working_days_left", 0))}});
  std::vector<std::pair<std::string, std::string>> facts{
      {t()("lookup.item"), lookup_.result.value("item_name", "")},
      {t()("lookup.department"), cs.value("department", "")},
      {t()("lookup.applicant"), cs.value("applicant", "")},
      {t()("lookup.accepted"), cs.value("accepted_day", "")},
      {t()("lookup.due"), cs.value("due_day", "") + " · " + t()("guide.promised", {{"n", std::to_string(cs.value("promised_days", 0))}})},
      {t()("lookup.state"), state}};
  facts.push_back({"", promise});
  panel = draw_facts(c, panel, facts, wide ? body() : heading(), overdue ? color::kBad : (!finished && lookup_.result.value("working_days_left", 1) == 0) ? color::kPaused : color::kGood);
  // The steps done, as a timeline.
  Rect steps_area = wide ? Rect{panel.right() + gap, panel.y, W - panel.right() - 2 * gap, 0} : Rect{gap, panel.bottom() + gap, W - 2 * gap, 0};
  float x = steps_area.x;
  y = steps_area.y;
  c.text_in(heading(), {x, y, steps_area.w, lh}, color::kGold, t()("lookup.steps"));
  y += lh;
  const json steps = cs.value("steps", json::array());
  float bottom = H - 170 * u - gap;
  for (size_t i = 0; i < steps.size() && y + lh <= bottom; ++i) {
    c.fill({x + 14 * u, y + lh / 2 - 10 * u, 20 * u, 20 * u}, color::kGood, 10 * u);
    if (i + 1 < steps.size() || !finished) c.fill({x + 21 * u, y + lh / 2 + 10 * u, 6 * u, lh - 20 * u}, color::kGood);
    c.text_in(heading(), {x + 60 * u, y, steps_area.w * 0.5f, lh}, color::kText, steps[i].value("name", ""));
    c.text_in(body(), {x + steps_area.w * 0.5f, y, steps_area.w * 0.5f, lh}, color::kMuted, steps[i].value("day", ""), Align::Right);
    y += lh;
  }
  if (!finished && y + lh <= bottom) {
    c.fill({x + 14 * u, y + lh / 2 - 10 * u, 20 * u, 20 * u}, color::kClosed, 10 * u);
    c.text_in(heading(), {x + 60 * u, y, steps_area.w - 60 * u, lh}, color::kMuted, t()("lookup.next_step"));
  }
  float bw = (W - 3 * gap) / 2;
  if (touch_button(c, "back", {gap, H - 150 * u - gap, bw, 150 * u}, t()("lookup.another"), {color::kPanelEdge, color::kText, heading(), 16}))
    lookup_.number.clear(), go(Page::Lookup);
  bool can_rate = finished && !cs.value("rated", false);
  if (touch_button(c, "rate_case", {2 * gap + bw, H - 150 * u - gap, bw, 150 * u}, cs.value("rated", false) ? t()("rate.already_short") : t()("lookup.rate"),
                   {color::kGood, color::kGround, heading(), 16}, can_rate)) {
    rate_.kind = "case", rate_.target = cs.value("number", ""), rate_.number = rate_.target;
    go(Page::RateLevels);
  }
}

}  // namespace hall::kiosk
