// 窗口屏: over one window. Its number and name, department, the staff on
// duty (masked name and staff number), the ticket being served, who is
// next, the window's 好评率 and stars; 暂停服务 when paused.
#include "display/page.h"
#include "shared/privacy.h"

namespace hall::display {

using namespace ui;

namespace {

class WindowScreen : public Page {
 public:
  const char* title() const override { return "窗口屏"; }

  void draw(PageContext& ctx) override {
    Canvas& c = ctx.canvas;
    const float u = c.u();
    const HallState& s = ctx.state;
    Rect a = ctx.area.inset(28 * u);
    auto it = s.windows.find(ctx.layout.window);
    if (it == s.windows.end()) {
      c.text_in(Size::Big, a, color::kBad, std::to_string(ctx.layout.window) + " 号窗口不在本大厅的配置中", Align::Center);
      return;
    }
    const Window& w = it->second;
    // Top band: number, name, department.
    float band = ctx.portrait ? 300 * u : 220 * u;
    Rect top{a.x, a.y, a.w, band};
    c.panel(top);
    float num_w = ctx.portrait ? top.w : top.w * 0.34f;
    c.text_in(Size::Huge, {top.x, top.y, num_w, ctx.portrait ? band * 0.55f : band}, color::kGold,
              std::to_string(w.number) + " 号窗口", Align::Center);
    Rect names = ctx.portrait ? Rect{top.x + 24 * u, top.y + band * 0.55f, top.w - 48 * u, band * 0.45f}
                              : Rect{top.x + num_w, top.y, top.w - num_w - 28 * u, band};
    c.text_in(Size::Big, names.row(names.h * 0.08f, names.h * 0.5f), color::kText, w.name,
              ctx.portrait ? Align::Center : Align::Left);
    c.text_in(Size::Title, names.row(names.h * 0.55f, names.h * 0.4f), color::kMuted, w.department,
              ctx.portrait ? Align::Center : Align::Left);

    Rect main{a.x, a.y + band + 20 * u, a.w, a.h - band - 20 * u};
    if (w.state != WindowState::Open) {
      c.fill(main, w.state == WindowState::Paused ? IM_COL32(90, 60, 10, 255) : color::kPanel, 12 * u);
      c.text_in(Size::Huge, main.row(main.h * 0.22f, main.h * 0.3f), w.state == WindowState::Paused ? color::kPaused : color::kMuted,
                "暂停服务", Align::Center);
      std::string why = w.state == WindowState::Paused ? (w.pause_reason.empty() ? "请稍候" : w.pause_reason + "，请稍候")
                                                       : "本窗口今日未开放，请到其他窗口办理";
      c.text_in(Size::Big, main.row(main.h * 0.56f, main.h * 0.2f), color::kText, why, Align::Center);
      return;
    }
    // Staff and score on one side; ticket in hand and next on the other.
    Rect staff = ctx.portrait ? Rect{main.x, main.bottom() - 300 * u, main.w, 300 * u}
                              : Rect{main.x, main.y, main.w * 0.36f, main.h};
    Rect tickets = ctx.portrait ? Rect{main.x, main.y, main.w, main.h - 320 * u}
                                : Rect{main.x + main.w * 0.36f + 20 * u, main.y, main.w * 0.64f - 20 * u, main.h};
    c.panel(staff);
    Rect si = staff.inset(24 * u);
    auto person = s.staff.find(w.staff_id);
    std::string who = person == s.staff.end() ? "—" : mask_name(person->second.name);
    float avatar = std::min(si.h * 0.34f, 150 * u);
    if (!ctx.portrait) {
      ImVec2 centre{si.x + si.w / 2, si.y + avatar / 2 + 8 * u};
      c.list()->AddCircleFilled(centre, avatar / 2, color::kPanelEdge, 48);  // photo placeholder
      c.list()->AddCircleFilled({centre.x, centre.y - avatar * 0.12f}, avatar * 0.2f, color::kMuted, 32);
      c.list()->PathArcTo({centre.x, centre.y + avatar * 0.42f}, avatar * 0.32f, 3.3f, 6.12f, 24);
      c.list()->PathFillConvex(color::kMuted);
    }
    float y0 = ctx.portrait ? si.y : si.y + avatar + 24 * u;
    c.text_in(Size::Big, {si.x, y0, si.w, 72 * u}, color::kText, who, Align::Center);
    c.text_in(Size::Title, {si.x, y0 + 72 * u, si.w, 52 * u}, color::kMuted, "工号 " + (w.staff_id.empty() ? "—" : w.staff_id),
              Align::Center);
    auto score = ctx.stats.window_month.find(w.number);
    double rate = score == ctx.stats.window_month.end() ? 0 : score->second.good_rate();
    int total = score == ctx.stats.window_month.end() ? 0 : score->second.total;
    float star = 52 * u;
    stars(c, {si.x + (si.w - star * 5.5f) / 2, y0 + 140 * u}, star, total ? rate * 5 : 0);
    c.text_in(Size::Title, {si.x, y0 + 140 * u + star + 12 * u, si.w, 56 * u}, color::kGold,
              total ? "本月好评率 " + percent_text(rate) : "本月暂无评价", Align::Center);

    c.panel(tickets);
    Rect ti = tickets.inset(24 * u);
    auto held = s.tickets.find(w.ticket);
    const bool booked = held != s.tickets.end() && held->second.lane == Lane::Appointment;
    c.text_in(Size::Title, {ti.x, ti.y, ti.w, 60 * u}, color::kGold, booked ? "正在办理 · 预约" : "正在办理");
    c.text_in(Size::Huge, {ti.x, ti.y + 60 * u, ti.w, ti.h * 0.45f}, color::kText,
              held == s.tickets.end() ? "请稍候" : held->second.number, Align::Center);
    std::string next = next_ticket(s, w);
    c.text_in(Size::Title, {ti.x, ti.y + ti.h * 0.62f, ti.w, 60 * u}, color::kGold, "下一位");
    c.text_in(Size::Big, {ti.x, ti.y + ti.h * 0.62f + 60 * u, ti.w, ti.h * 0.3f}, color::kText, next.empty() ? "暂无等候" : next,
              Align::Center);
  }

 private:
  // Who this window would call next, by the same order the server uses.
  static std::string next_ticket(const HallState& s, const Window& w) {
    const Ticket* best = nullptr;
    for (const auto& [key, t] : s.tickets)
      if (callable_at(t, w) && (!best || called_before(t, *best))) best = &t;
    return best ? best->number : "";
  }
};

}  // namespace

std::unique_ptr<Page> make_window_screen() { return std::make_unique<WindowScreen>(); }

}  // namespace hall::display
