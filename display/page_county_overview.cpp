// 县域总览: every hall of the county (or of one township, or one hall, as the
// layout's scope says), grouped by township, with its status and today's
// figures; headline totals; the scope's 7-day and 12-month trend. Rows that
// do not fit turn over every 10 seconds ("第 1/3 页").
#include <algorithm>

#include "display/page.h"
#include "shared/stats.h"

namespace hall::display {

using namespace ui;

namespace {

constexpr int64_t kTurnMs = 10000;

std::string status_text(const CountyHall& h, int64_t now_ms) {
  if (h.status == "online") return "在线";
  if (h.status == "refused") return "数据拒收";
  if (h.last_heard_ms <= 0) return "从未连接";
  const int64_t min = std::max<int64_t>(1, (now_ms - h.last_heard_ms) / 60000);
  return min < 60 ? "失联 " + std::to_string(min) + " 分钟" : min < 1440 ? "失联 " + std::to_string(min / 60) + " 小时" : "失联 " + std::to_string(min / 1440) + " 天";
}

std::string rate_text(int good, int total) { return total ? percent_text(double(good) / total) : "—"; }

class CountyOverview : public Page {
 public:
  const char* title() const override { return "县域总览"; }

  void draw(PageContext& ctx) override {
    Canvas& c = ctx.canvas;
    const float u = c.u();
    const CountyState& cs = *ctx.county;
    const Layout& l = ctx.layout;
    // The halls in scope, county hall first, then each township followed by its villages.
    std::vector<const CountyHall*> rows;
    for (const auto& [id, h] : cs.halls) {
      if (!l.scope_hall.empty() && id != l.scope_hall) continue;
      if (!l.scope_township.empty() && h.township != l.scope_township) continue;
      rows.push_back(&h);
    }
    auto level_rank = [](const std::string& level) { return level == "county" ? 0 : level == "township" ? 1 : 2; };
    std::stable_sort(rows.begin(), rows.end(), [&](const CountyHall* a, const CountyHall* b) {
      return std::tuple(a->township, level_rank(a->level), a->id) < std::tuple(b->township, level_rank(b->level), b->id);
    });
    Rect a = ctx.area.inset(24 * u);

    // Headline tiles over the scope.
    int online = 0, waiting = 0, tickets = 0, good = 0, ratings = 0, overdue = 0, open = 0, total_windows = 0, due = 0, kept = 0;
    for (const CountyHall* h : rows) {
      online += h->status == "online";
      waiting += h->waiting, tickets += h->tickets_today, good += h->good_today, ratings += h->ratings_today;
      overdue += h->overdue_cases, open += h->windows_open, total_windows += h->windows_total;
      due += h->promise_due, kept += h->promise_kept;
    }
    int cards = 0;
    for (const auto& card : cs.warnings.cards)
      if (in_scope(ctx, card.hall_id, card.township)) ++cards;
    struct Tile { std::string label, value; ImU32 color; };
    std::vector<Tile> tiles{{"在线大厅", std::to_string(online) + " / " + std::to_string(rows.size()), online == int(rows.size()) ? color::kGood : color::kPaused},
                            {"正在等候", std::to_string(waiting), color::kText},
                            {"开放窗口", std::to_string(open) + " / " + std::to_string(total_windows), color::kText},
                            {"今日取号", std::to_string(tickets), color::kText},
                            {"今日好评率", rate_text(good, ratings), color::kGood},
                            {"预约准时叫号", rate_text(kept, due), color::kAccent},
                            {"超期办件", std::to_string(overdue), overdue ? color::kBad : color::kGood},
                            {"预警牌", std::to_string(cards), cards ? color::kPaused : color::kGood}};
    const int per_row = ctx.portrait ? 4 : int(tiles.size());
    const float tiles_h = ctx.portrait ? 300 * u : 150 * u;
    const float th = ctx.portrait ? (tiles_h - 16 * u) / 2 : tiles_h;
    const float tw = (a.w - 16 * u * float(per_row - 1)) / float(per_row);
    for (size_t i = 0; i < tiles.size(); ++i) {
      Rect t{a.x + float(int(i) % per_row) * (tw + 16 * u), a.y + float(int(i) / per_row) * (th + 16 * u), tw, th};
      c.panel(t);
      c.text_in(Size::Body, t.row(10 * u, 44 * u), color::kMuted, tiles[i].label, Align::Center);
      c.text_in(Size::Big, t.row(th * 0.4f, th * 0.52f), tiles[i].color, tiles[i].value, Align::Center);
    }
    Rect rest{a.x, a.y + tiles_h + 20 * u, a.w, a.h - tiles_h - 20 * u};
    auto [table, side] = rest.split(ctx.portrait, ctx.portrait ? 0.62f : 0.66f, 20 * u);
    draw_table(ctx, table, rows);
    draw_trend(ctx, side);
  }

 private:
  static bool in_scope(const PageContext& ctx, const std::string& hall, const std::string& township) {
    if (!ctx.layout.scope_hall.empty()) return hall == ctx.layout.scope_hall;
    if (!ctx.layout.scope_township.empty()) return township == ctx.layout.scope_township;
    return true;
  }

  static void draw_table(PageContext& ctx, Rect r, const std::vector<const CountyHall*>& rows) {
    Canvas& c = ctx.canvas;
    const float u = c.u();
    Rect in = titled_panel(c, r, "各级服务大厅（县 · 镇 · 村）", 50);
    // Columns: name, status, waiting, windows, tickets, 预约 (checked in / booked), 好评率 (ratings), overdue.
    const float cols[] = {0.00f, 0.28f, 0.43f, 0.51f, 0.60f, 0.68f, 0.78f, 0.92f};
    const char* heads[] = {"大厅", "状态", "等候", "窗口", "取号", "预约", "好评率", "超期"};
    constexpr int kLast = 7;
    const float head_y = in.y + 60 * u, row_h = 50 * u;
    for (int i = 0; i <= kLast; ++i)
      c.text_in(Size::Body, {in.x + in.w * cols[i], head_y, in.w * ((i < kLast ? cols[i + 1] : 0.985f) - cols[i]), row_h}, color::kMuted, heads[i],
                i == 0 || i == 1 ? Align::Left : Align::Right);
    const float top = head_y + row_h + 4 * u;
    const int fit = std::max(1, int((in.bottom() - top - 40 * u) / row_h));
    const int pages = std::max<int>(1, int((rows.size() + size_t(fit) - 1) / size_t(fit)));
    const int page = pages > 1 ? int((ctx.real_ms / kTurnMs) % pages) : 0;
    if (pages > 1) {
      ctx.redraw_within(kTurnMs - ctx.real_ms % kTurnMs);
      c.text_in(Size::Body, {in.x, in.bottom() - 36 * u, in.w, 36 * u}, color::kMuted,
                "第 " + std::to_string(page + 1) + "/" + std::to_string(pages) + " 页", Align::Right);
    }
    if (rows.empty()) {
      c.text_in(Size::Body, {in.x, top, in.w, in.bottom() - top}, color::kMuted, "尚无大厅接入县级服务器", Align::Center);
      return;
    }
    float y = top;
    for (size_t i = size_t(page * fit); i < rows.size() && i < size_t((page + 1) * fit); ++i, y += row_h) {
      const CountyHall& h = *rows[i];
      if ((i - size_t(page * fit)) % 2 == 1) c.fill({in.x - 8 * u, y, in.w + 16 * u, row_h}, color::kGround, 6 * u);
      const bool silent = h.status != "online";
      const ImU32 ink = silent ? color::kMuted : color::kText;
      const float indent = h.level == "village" ? 40 * u : 0;
      const char* tag = h.level == "county" ? "县" : h.level == "township" ? "镇" : "村";
      auto cell = [&](int col) { return Rect{in.x + in.w * cols[col], y, in.w * ((col < kLast ? cols[col + 1] : 0.985f) - cols[col]), row_h}; };
      Rect name = cell(0);
      c.fill({name.x + indent, y + 9 * u, 40 * u, row_h - 18 * u}, h.level == "county" ? color::kTile : color::kPanelEdge, 6 * u);
      c.text_in(Size::Small, {name.x + indent, y, 40 * u, row_h}, color::kText, tag, Align::Center);
      c.text_in(Size::Body, {name.x + indent + 52 * u, y, name.w - indent - 60 * u, row_h}, ink, h.name);
      c.text_in(Size::Body, cell(1), h.status == "online" ? color::kGood : h.status == "refused" ? color::kBad : color::kPaused,
                status_text(h, ctx.now_ms));
      c.text_in(Size::Body, cell(2), ink, std::to_string(h.waiting), Align::Right);
      c.text_in(Size::Body, cell(3), ink, std::to_string(h.windows_open) + "/" + std::to_string(h.windows_total), Align::Right);
      c.text_in(Size::Body, cell(4), ink, std::to_string(h.tickets_today), Align::Right);
      c.text_in(Size::Body, cell(5), ink, h.bookings_today ? std::to_string(h.checked_in_today) + "/" + std::to_string(h.bookings_today) : "—",
                Align::Right);
      c.text_in(Size::Body, cell(6), ink,
                rate_text(h.good_today, h.ratings_today) + (h.ratings_today ? "（" + std::to_string(h.ratings_today) + "）" : ""), Align::Right);
      c.text_in(Size::Body, cell(7), h.overdue_cases ? color::kBad : ink, std::to_string(h.overdue_cases), Align::Right);
    }
  }

  static void draw_trend(PageContext& ctx, Rect r) {
    Canvas& c = ctx.canvas;
    const float u = c.u();
    const Layout& l = ctx.layout;
    const std::string scope = !l.scope_hall.empty() ? l.scope_hall : !l.scope_township.empty() ? "township/" + l.scope_township : "county";
    auto it = ctx.county->trends.find(scope);
    auto [days_r, months_r] = r.split(true, 0.5f, 20 * u);
    Rect din = titled_panel(c, days_r, "近七日取号（蓝）与好评率（绿）", 44);
    Rect min = titled_panel(c, months_r, "近十二个月取号", 44);
    if (it == ctx.county->trends.end()) {
      c.text_in(Size::Body, din.row(60 * u, din.h - 60 * u), color::kMuted, "暂无数据", Align::Center);
      return;
    }
    const Trend& t = it->second;
    std::vector<double> issued, rate, months;
    std::vector<std::string> labels, month_labels;
    for (const TrendPoint& p : t.days) {
      issued.push_back(p.issued);
      rate.push_back(p.ratings ? double(p.good) / p.ratings : 0);
      labels.push_back(p.label.substr(5));
    }
    const double top = std::max(1.0, *std::max_element(issued.begin(), issued.end()));
    std::vector<double> scaled;
    for (double x : rate) scaled.push_back(x * top);
    line_chart(c, {din.x, din.y + 56 * u, din.w, din.h - 56 * u}, {issued, scaled}, {color::kAccent, color::kGood}, 0, top * 1.1, labels);
    for (const TrendPoint& p : t.months) {
      months.push_back(p.issued);
      month_labels.push_back(std::to_string(std::stoi(p.label.substr(5))) + "月");
    }
    bar_chart(c, {min.x, min.y + 56 * u, min.w, min.h - 56 * u}, months, month_labels, color::kAccent, 0, int(months.size()) - 1);
  }
};

}  // namespace

std::unique_ptr<Page> make_county_overview() { return std::make_unique<CountyOverview>(); }

}  // namespace hall::display
