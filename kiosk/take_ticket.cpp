// 取号: choose a category (people waiting, estimated wait) → a priority
// lane if the category offers one → the ticket, with a QR code, printed.
#include "kiosk/kiosk.h"
#include "shared/stats.h"
#include "shared/ui/widgets.h"

namespace hall::kiosk {

using namespace ui;

void Kiosk::draw_categories(Canvas& c, const HallState& s) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  c.text_in(heading(), {40 * u, 130 * u, W - 80 * u, 100 * u}, color::kGold, t()("take.choose_category"), Align::Center);
  HallStats st = compute_stats(s, 0);
  const bool wide = W > H;
  int per_page = elderly_ ? 4 : (wide ? 9 : 10);
  int columns = elderly_ ? (wide ? 2 : 1) : (wide ? 3 : 2);
  int first = list_page_ * per_page;
  float gap = 24 * u, top = 250 * u, bottom = H - 170 * u;
  int rows = (per_page + columns - 1) / columns;
  float tw = (W - gap * float(columns + 1)) / float(columns), th = std::min((bottom - top) / float(rows) - gap, 300 * u);
  for (int i = first; i < int(st.queues.size()) && i < first + per_page; ++i) {
    const QueueFigures& q = st.queues[size_t(i)];
    int k = i - first;
    Rect r{gap + float(k % columns) * (tw + gap), top + float(k / columns) * (th + gap), tw, th};
    std::string wait = q.open_windows == 0 ? t()("take.closed")
                       : q.waiting == 0     ? t()("take.no_wait")
                                            : t()("take.waiting", {{"n", std::to_string(q.waiting)}}) + " · " +
                                                  t()("take.estimate", {{"m", std::to_string((q.estimated_wait_ms + 59999) / 60000)}});
    std::string id = "cat_" + q.code;
    if (touch_button(c, id.c_str(), r, "", {q.open_windows ? color::kTile : color::kDisabled, color::kText, body(), 16}, q.open_windows > 0)) {
      category_ = q.code;
      const Category& cat = s.categories.at(q.code);
      guide_.item.clear();
      if (cat.lanes.empty()) take(q.code, "normal");
      else go(Page::Lane);
    }
    c.text_in(heading(), {r.x + 24 * u, r.y + 10 * u, r.w - 48 * u, r.h * 0.55f}, color::kText, q.prefix + "  " + q.name);
    c.text_in(body(), {r.x + 24 * u, r.y + r.h * 0.55f, r.w - 48 * u, r.h * 0.4f}, color::kText, wait);
  }
  int pages = (int(st.queues.size()) + per_page - 1) / per_page;
  pager(c, {gap, H - 150 * u, W - 2 * gap, 130 * u}, pages);
  if (busy()) c.text_in(heading(), {0, H - 300 * u, W, 100 * u}, color::kGold, "…", Align::Center);
}

void Kiosk::draw_lane(Canvas& c, const HallState& s) {
  const float u = c.u(), W = float(screen().width());
  c.text_in(heading(), {40 * u, 130 * u, W - 80 * u, 100 * u}, color::kGold, t()("take.choose_lane"), Align::Center);
  auto cat = s.categories.find(category_);
  if (cat == s.categories.end()) return go(Page::Categories);
  std::vector<std::string> lanes{"normal"};
  for (Lane l : cat->second.lanes) lanes.push_back(json(l).get<std::string>());
  float gap = 30 * u, th = 220 * u;
  for (size_t i = 0; i < lanes.size(); ++i) {
    Rect r{gap, 260 * u + float(i) * (th + gap), W - 2 * gap, th};
    std::string id = "lane_" + lanes[i];
    if (touch_button(c, id.c_str(), r, t()("lane." + lanes[i]), {i == 0 ? color::kGood : color::kTile, i == 0 ? color::kGround : color::kText,
                                                                  elderly_ ? Size::Huge : Size::Big, 18}, !busy()))
      take(category_, lanes[i], guide_.item);
  }
}

void Kiosk::draw_ticket(Canvas& c, const HallState& s) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  const json& tk = ticket_["ticket"];
  c.text_in(heading(), {0, 150 * u, W, 90 * u}, color::kMuted, t()("ticket.your_number"), Align::Center);
  c.text_in(Size::Huge, {0, 240 * u, W, 200 * u}, color::kGold, tk["number"].get<std::string>(), Align::Center);
  auto cat = s.categories.find(tk["category"]);
  std::string windows;
  for (const auto& w : ticket_["windows"]) windows += (windows.empty() ? "" : "、") + std::to_string(w.get<int>());
  auto item = s.items.find(tk.value("item", ""));
  std::vector<std::string> lines{item != s.items.end() ? item->second.name : cat == s.categories.end() ? "" : cat->second.name,
                                 t()("ticket.ahead", {{"n", std::to_string(ticket_["ahead"].get<int>())}})};
  int64_t est = ticket_["estimated_wait_ms"];
  if (est >= 0) lines.push_back(t()("ticket.estimate", {{"m", std::to_string((est + 59999) / 60000)}}));
  lines.push_back(t()("ticket.windows", {{"w", windows}}));
  float y = 460 * u;
  for (const auto& line : lines) {
    c.text_in(heading(), {40 * u, y, W - 80 * u, 80 * u}, color::kText, line, Align::Center);
    y += 90 * u;
  }
  int side = 0;
  auto qr = qr_modules(ticket_qr_text(ticket_), side);
  if (side > 0) {
    float cell = std::floor(std::min(W, H) * 0.28f / float(side + 8)), size = cell * float(side + 8);
    Rect box{(W - size) / 2, y + 20 * u, size, size};
    c.fill(box, IM_COL32(255, 255, 255, 255), 8 * u);
    for (int my = 0; my < side; ++my)
      for (int mx = 0; mx < side; ++mx)
        if (qr[size_t(my * side + mx)]) c.fill({box.x + cell * float(mx + 4), box.y + cell * float(my + 4), cell, cell}, IM_COL32(0, 0, 0, 255));
    y = box.bottom() + 20 * u;
  }
  if (!print_status_.empty()) c.text_in(body(), {40 * u, y, W - 80 * u, 70 * u}, color::kGood, print_status_, Align::Center);
  if (touch_button(c, "done", {W * 0.2f, H - 200 * u, W * 0.6f, 150 * u}, t()("ticket.done"), {color::kGood, color::kGround, heading(), 18}))
    go(Page::Home);
}

}  // namespace hall::kiosk
