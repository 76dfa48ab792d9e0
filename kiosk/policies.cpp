// 惠企政策: the policies the hall server serves, as a list and one page each.
#include "kiosk/kiosk.h"
#include "shared/ui/widgets.h"

namespace hall::kiosk {

using namespace ui;

void Kiosk::draw_policies(Canvas& c, const HallState& s) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  page_title(c, t()("policy.title"));
  float gap = 24 * u, y = content_top() + 110 * u;
  std::vector<Row> rows;
  for (const auto& [id, p] : s.policies)
    rows.push_back({"policy_" + id, p.title, p.department + (p.deadline.empty() ? "" : " · " + t()("policy.until", {{"day", p.deadline}}))});
  int tapped = draw_list(c, {gap, y, W - 2 * gap, H - y - gap}, rows, elderly_ ? 4 : (W > H ? 5 : 8));
  if (tapped >= 0) guide_.policy = rows[size_t(tapped)].id.substr(7), go(Page::Policy);
}

void Kiosk::draw_policy(Canvas& c, const HallState& s) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  auto it = s.policies.find(guide_.policy);
  if (it == s.policies.end()) return go(Page::Policies);
  const Policy& p = it->second;
  page_title(c, p.title);
  float gap = 24 * u, y = content_top() + 100 * u;
  c.text_in(body(), {gap, y, W - 2 * gap, 60 * u}, color::kMuted, p.department, Align::Center);
  y += 70 * u;
  std::vector<Block> doc{{Block::Text, p.summary}};
  auto list = [&](const char* title, const std::vector<std::string>& lines) {
    if (lines.empty()) return;
    doc.push_back({Block::Heading, t()(title)});
    for (const auto& l : lines) doc.push_back({Block::Bullet, l});
  };
  auto text = [&](const char* title, const std::string& line) {
    if (line.empty()) return;
    doc.push_back({Block::Heading, t()(title)});
    doc.push_back({Block::Text, line});
  };
  list("policy.eligible", p.eligible);
  list("policy.support", p.support);
  text("policy.how", p.how);
  text("policy.deadline", p.deadline.empty() ? t()("policy.open_ended") : p.deadline);
  text("policy.contact", p.contact);
  text("policy.basis", p.basis);
  float bar_h = 130 * u;
  draw_document(c, {gap, y, W - 2 * gap, H - y - bar_h - 2 * gap}, doc);
  if (touch_button(c, "back", {gap, H - bar_h - gap, W - 2 * gap, bar_h}, t()("policy.back"), {color::kPanelEdge, color::kText, heading(), 16}))
    go(Page::Policies);
}

}  // namespace hall::kiosk
