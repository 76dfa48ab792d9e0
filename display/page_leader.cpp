// 领导驾驶舱: headline KPIs, visitors by hour, trends over the last days,
// department rankings, and alerts (long waits, paused windows, overdue
// cases, 差评 follow-ups near or past their due date, unanswered 办不成事 and 投诉,
// kiosks and evaluators whose disk is full).
#include <algorithm>

#include "display/page.h"

namespace hall::display {

using namespace ui;

namespace {

class LeaderDashboard : public Page {
 public:
  const char* title() const override { return "领导驾驶舱"; }

  void draw(PageContext& ctx) override {
    Canvas& c = ctx.canvas;
    const float u = c.u();
    const HallStats& st = ctx.stats;
    Rect a = ctx.area.inset(24 * u);

    // KPI tiles: every figure as shared/stats defines it (the server's `stats` says the same).
    const ApprovalFigures& ap = st.approval;
    struct Tile { std::string label, value; ImU32 color; };
    std::vector<Tile> tiles{
        {"今日取号", std::to_string(st.today.issued), color::kText},
        {"已办结", std::to_string(st.today.served), color::kText},
        {"正在等候", std::to_string(st.today.waiting), st.today.waiting > 100 ? color::kPaused : color::kText},
        {"平均等候", st.today.mean_wait_ms > 0 ? minutes_text(st.today.mean_wait_ms) : "—", color::kText},
        {"时限压缩率", ap.legal_days ? percent_text(ap.compression) : "—", color::kAccent},
        {"提前办结率", ap.finished ? percent_text(ap.early_rate) : "—", color::kGood},
        {"超期件", std::to_string(ap.overdue), ap.overdue ? color::kBad : color::kGood}};
    // 预约, where the hall books: the lane's promise (called within promise_minutes of the slot), and no-shows.
    if (ctx.state.hall.appointments.enabled) {
      const AppointmentFigures& f = st.appointments;
      tiles.push_back({"预约准时叫号", f.promise_due ? percent_text(f.promise_rate) : "—", f.promise_due && f.promise_rate < 0.9 ? color::kPaused : color::kGood});
      tiles.push_back({"预约爽约率", f.checked_in + f.no_show ? percent_text(f.no_show_rate) : "—", f.no_show_rate > 0.2 ? color::kPaused : color::kText});
    }
    float gauge_w = ctx.portrait ? 0 : 300 * u;
    float tiles_h = ctx.portrait ? 260 * u : 150 * u;
    int per_row = ctx.portrait ? 4 : int(tiles.size());
    float tw = (a.w - gauge_w - 16 * u * float(per_row)) / float(per_row);
    float th = ctx.portrait ? (tiles_h - 16 * u) / 2 : tiles_h;
    for (size_t i = 0; i < tiles.size(); ++i) {
      Rect t{a.x + float(int(i) % per_row) * (tw + 16 * u), a.y + float(int(i) / per_row) * (th + 16 * u), tw, th};
      c.panel(t);
      c.text_in(Size::Body, t.row(10 * u, 44 * u), color::kMuted, tiles[i].label, Align::Center);
      c.text_in(Size::Big, t.row(th * 0.4f, th * 0.52f), tiles[i].color, tiles[i].value, Align::Center);
    }
    if (!ctx.portrait) {
      Rect g{a.right() - gauge_w, a.y, gauge_w, tiles_h};
      c.panel(g);
      c.text_in(Size::Body, g.row(10 * u, 44 * u), color::kMuted, "今日好评率", Align::Center);
      gauge(c, {g.x + g.w / 2, g.y + g.h * 0.66f}, g.h * 0.3f, st.hall_today.good_rate(), color::kGood,
            st.hall_today.total ? percent_text(st.hall_today.good_rate()) : "—", "");
    }

    Rect mid{a.x, a.y + tiles_h + 20 * u, a.w, (a.h - tiles_h - 40 * u) * 0.5f};
    Rect low{a.x, mid.bottom() + 20 * u, a.w, (a.h - tiles_h - 40 * u) * 0.5f};
    Rect hours = ctx.portrait ? mid : mid.col(0, mid.w * 0.5f - 10 * u);
    Rect trend = ctx.portrait ? Rect{} : mid.col(mid.w * 0.5f + 10 * u, mid.w * 0.5f - 10 * u);
    c.panel(hours);
    Rect hi = hours.inset(20 * u);
    c.text_in(Size::Title, hi.row(0, 50 * u), color::kGold, "今日分时取号");
    std::vector<double> values;
    std::vector<std::string> labels;
    for (int h = 8; h <= 18; ++h) {
      values.push_back(st.arrivals_by_hour[size_t(h)]);
      labels.push_back(std::to_string(h));
    }
    int now_hour = minute_of_day(ctx.now_ms, ctx.state.hall.utc_offset_minutes) / 60;
    bar_chart(c, {hi.x, hi.y + 60 * u, hi.w, hi.h - 60 * u}, values, labels, color::kAccent, 0, now_hour - 8);
    if (!ctx.portrait) trends(ctx, trend);

    auto [ranks, alerts_r] = low.split(ctx.portrait, 0.5f, 20 * u);
    ranking(ctx, ranks);
    alerts(ctx, alerts_r);
  }

 private:
  static void trends(PageContext& ctx, Rect r) {
    Canvas& c = ctx.canvas;
    const float u = c.u();
    Rect in = titled_panel(c, r, "近七日取号（蓝）与好评率（绿）", 50);
    std::vector<const DayStat*> days;
    for (const auto& [d, s] : ctx.state.daystats) days.push_back(&s);
    if (days.size() > 6) days.erase(days.begin(), days.end() - 6);
    std::vector<double> visitors, rate;
    std::vector<std::string> labels;
    for (const DayStat* d : days) {
      visitors.push_back(d->issued);
      rate.push_back(d->ratings ? double(d->good) / d->ratings : 0);
      labels.push_back(d->day.substr(5));
    }
    visitors.push_back(ctx.stats.today.issued);  // today so far
    rate.push_back(ctx.stats.hall_today.good_rate());
    labels.push_back("今日");
    if (visitors.size() < 2) {
      c.text_in(Size::Body, {in.x, in.y + 60 * u, in.w, in.h - 60 * u}, color::kMuted, "历史数据积累中（每日闭馆后生成）", Align::Center);
      return;
    }
    double top = *std::max_element(visitors.begin(), visitors.end());
    std::vector<double> scaled_rate;
    for (double x : rate) scaled_rate.push_back(x * std::max(1.0, top));
    line_chart(c, {in.x, in.y + 60 * u, in.w, in.h - 60 * u}, {visitors, scaled_rate}, {color::kAccent, color::kGood}, 0,
               std::max(1.0, top) * 1.1, labels);
  }

  static void ranking(PageContext& ctx, Rect r) {
    Canvas& c = ctx.canvas;
    const float u = c.u();
    Rect in = titled_panel(c, r, "部门综合排名（好评率 · 压缩率 · 超期）", 50);
    std::vector<std::pair<std::string, double>> rows;
    for (const auto& [dep, a] : ctx.stats.departments) rows.push_back({dep, department_score(ctx.stats, dep)});
    std::sort(rows.begin(), rows.end(), [](auto& x, auto& y) { return x.second > y.second; });
    float y = in.y + 58 * u, row_h = std::min(50 * u, (in.bottom() - y) / float(std::max<size_t>(rows.size(), 1)));
    for (size_t i = 0; i < rows.size(); ++i) {
      if (y + row_h > in.bottom() + 1) break;
      const auto& dep = rows[i].first;
      const ApprovalFigures& a = ctx.stats.departments.at(dep);
      auto score = ctx.stats.department_month.find(dep);
      c.text_in(Size::Body, {in.x, y, in.w * 0.06f, row_h}, i < 3 ? color::kGold : color::kMuted, std::to_string(i + 1));
      c.text_in(Size::Body, {in.x + in.w * 0.06f, y, in.w * 0.32f, row_h}, color::kText, dep);
      c.text_in(Size::Body, {in.x + in.w * 0.38f, y, in.w * 0.22f, row_h}, color::kGood,
                score == ctx.stats.department_month.end() ? "—" : percent_text(score->second.good_rate()));
      c.text_in(Size::Body, {in.x + in.w * 0.60f, y, in.w * 0.2f, row_h}, color::kAccent, percent_text(a.compression));
      c.text_in(Size::Body, {in.x + in.w * 0.80f, y, in.w * 0.2f, row_h}, a.overdue ? color::kBad : color::kMuted,
                "超期 " + std::to_string(a.overdue));
      y += row_h;
    }
  }

  static void alerts(PageContext& ctx, Rect r) {
    Canvas& c = ctx.canvas;
    const float u = c.u();
    const HallStats& st = ctx.stats;
    Rect in = titled_panel(c, r, "预警", 50);
    std::vector<std::pair<std::string, ImU32>> lines;
    for (const HallAlert& a : hall_alerts(ctx.state, st, ctx.now_ms))
      lines.push_back({a.text, a.severe ? color::kBad : color::kPaused});
    // Most severe first (hall_alerts' order); what does not fit is counted, never silently dropped.
    float y = in.y + 58 * u, row_h = 46 * u;
    if (lines.empty()) c.text_in(Size::Body, {in.x, y, in.w, row_h}, color::kGood, "运行平稳，暂无预警", Align::Center);
    size_t room = size_t(std::max(1.0f, (in.bottom() - y) / row_h));
    if (lines.size() > room) {
      size_t hidden = lines.size() - room + 1;
      lines.resize(room - 1);
      lines.push_back({"另有 " + std::to_string(hidden) + " 条预警", color::kMuted});
    }
    for (const auto& [text, col] : lines) {
      c.list()->AddCircleFilled({in.x + 10 * u, y + row_h / 2}, 7 * u, col);
      c.text_in(Size::Body, {in.x + 28 * u, y, in.w - 28 * u, row_h}, color::kText, text);
      y += row_h;
    }
  }
};

}  // namespace

std::unique_ptr<Page> make_leader_dashboard() { return std::make_unique<LeaderDashboard>(); }

}  // namespace hall::display
