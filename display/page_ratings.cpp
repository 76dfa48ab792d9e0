// 好差评 board: 好评率 and 差评 per department and window, today and this
// month, ranked; open 差评 follow-ups with due dates, overdue ones marked.
#include <algorithm>

#include "display/page.h"

namespace hall::display {

using namespace ui;

namespace {

class RatingsBoard : public Page {
 public:
  const char* title() const override { return "好差评公示"; }

  void draw(PageContext& ctx) override {
    Canvas& c = ctx.canvas;
    const float u = c.u();
    const HallStats& st = ctx.stats;
    Rect a = ctx.area.inset(24 * u);
    // Headline figures.
    float head_h = 130 * u;
    struct Figure { std::string label, value; ImU32 color; };
    std::vector<Figure> figures{
        {"今日好评率", st.hall_today.total ? percent_text(st.hall_today.good_rate()) : "—", color::kGood},
        {"本月好评率", st.hall_month.total ? percent_text(st.hall_month.good_rate()) : "—", color::kGood},
        {"本月评价", std::to_string(st.hall_month.total), color::kText},
        {"本月差评", std::to_string(st.hall_month.bad), st.hall_month.bad ? color::kBad : color::kText},
        {"差评整改率", st.followups.bad_total ? percent_text(st.followups.closed_rate) : "—", color::kGold}};
    float fw = (a.w - 16 * u * float(figures.size() - 1)) / float(figures.size());
    for (size_t i = 0; i < figures.size(); ++i) {
      Rect f{a.x + float(i) * (fw + 16 * u), a.y, fw, head_h};
      c.panel(f);
      c.text_in(Size::Body, f.row(8 * u, 44 * u), color::kMuted, figures[i].label, Align::Center);
      c.text_in(Size::Big, f.row(52 * u, 74 * u), figures[i].color, figures[i].value, Align::Center);
    }
    Rect body{a.x, a.y + head_h + 20 * u, a.w, a.h - head_h - 20 * u};
    auto [left, right] = body.split(ctx.portrait, ctx.portrait ? 0.5f : 0.55f, 20 * u);
    departments(ctx, left);
    Rect wins = right.row(0, right.h * 0.48f);
    Rect fus = right.row(right.h * 0.48f + 16 * u, right.h * 0.52f - 16 * u);
    windows(ctx, wins);
    followups(ctx, fus);
  }

 private:
  static void departments(PageContext& ctx, Rect r) {
    Canvas& c = ctx.canvas;
    const float u = c.u();
    Rect in = titled_panel(c, r, "部门好评率排名（本月）");
    std::vector<std::pair<std::string, Score>> rows(ctx.stats.department_month.begin(), ctx.stats.department_month.end());
    std::sort(rows.begin(), rows.end(), [](auto& x, auto& y) {
      return x.second.good_rate() != y.second.good_rate() ? x.second.good_rate() > y.second.good_rate() : x.second.total > y.second.total;
    });
    float cols[] = {0, 0.08f, 0.42f, 0.72f, 0.86f};
    const char* heads[] = {"", "部门", "本月好评率", "今日", "差评"};
    float y = in.y + 58 * u;
    for (int k = 1; k < 5; ++k)
      c.text_in(Size::Small, {in.x + in.w * cols[k], y, in.w * 0.14f, 36 * u}, color::kMuted, heads[k]);
    y += 40 * u;
    float row_h = std::min(60 * u, (in.bottom() - y) / float(std::max<size_t>(rows.size(), 1)));
    if (rows.empty()) c.text_in(Size::Body, {in.x, y, in.w, row_h}, color::kMuted, "本月暂无评价", Align::Center);
    for (size_t i = 0; i < rows.size(); ++i) {
      const auto& [dep, s] = rows[i];
      float ry = y + row_h * float(i);
      if (ry + row_h > in.bottom()) break;
      c.text_in(Size::Body, {in.x, ry, in.w * 0.07f, row_h}, i < 3 ? color::kGold : color::kMuted, std::to_string(i + 1));
      c.text_in(Size::Body, {in.x + in.w * cols[1], ry, in.w * 0.33f, row_h}, color::kText, dep);
      meter(c, {in.x + in.w * cols[2], ry + row_h * 0.35f, in.w * 0.16f, row_h * 0.3f}, s.good_rate(), color::kGood);
      c.text_in(Size::Body, {in.x + in.w * (cols[2] + 0.17f), ry, in.w * 0.13f, row_h}, color::kText, percent_text(s.good_rate()));
      auto today = ctx.stats.department_today.find(dep);
      c.text_in(Size::Body, {in.x + in.w * cols[3], ry, in.w * 0.13f, row_h}, color::kMuted,
                today == ctx.stats.department_today.end() ? "—" : percent_text(today->second.good_rate()));
      c.text_in(Size::Body, {in.x + in.w * cols[4], ry, in.w * 0.14f, row_h}, s.bad ? color::kBad : color::kMuted,
                std::to_string(s.bad));
    }
  }

  // Every window of the hall, the lowest-rated too: a public board shows the
  // worst as well as the best. Ranked by 本月好评率 (more ratings first on a
  // tie), windows without a rating this month last; when they do not fit,
  // the board turns pages every kWindowPageMs (real time), 第 k/n 页 in the title.
  static constexpr int64_t kWindowPageMs = 8000;
  static void windows(PageContext& ctx, Rect r) {
    Canvas& c = ctx.canvas;
    const float u = c.u();
    struct Row { int window; const Score* score; };
    std::vector<Row> rows;
    for (const auto& [n, w] : ctx.state.windows) {
      auto s = ctx.stats.window_month.find(n);
      rows.push_back({n, s == ctx.stats.window_month.end() || !s->second.total ? nullptr : &s->second});
    }
    for (const auto& [n, s] : ctx.stats.window_month)  // rated this month, since taken out of service
      if (!ctx.state.windows.count(n) && s.total) rows.push_back({n, &s});
    std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
      if (!x.score || !y.score) return x.score && !y.score ? true : !x.score && y.score ? false : x.window < y.window;
      if (x.score->good_rate() != y.score->good_rate()) return x.score->good_rate() > y.score->good_rate();
      return x.score->total != y.score->total ? x.score->total > y.score->total : x.window < y.window;
    });
    const float title_h = 60 * u;
    const int columns = 2;
    Rect probe = r.inset(20 * u);
    float row_h = std::max(40 * u, std::min(48 * u, (probe.h - title_h) / float(std::max<size_t>((rows.size() + 1) / 2, 1))));
    int per_col = std::max(1, int((probe.h - title_h) / row_h));
    size_t per_page = size_t(per_col * columns);
    size_t pages = std::max<size_t>(1, (rows.size() + per_page - 1) / per_page);
    size_t page = pages > 1 ? size_t(ctx.real_ms / kWindowPageMs) % pages : 0;
    if (pages > 1) ctx.redraw_within(kWindowPageMs - ctx.real_ms % kWindowPageMs, r);
    std::string title = "窗口好评率（本月）";
    if (pages > 1) title += " 第 " + std::to_string(page + 1) + "/" + std::to_string(pages) + " 页";
    Rect in = titled_panel(c, r, title);
    float y = in.y + title_h;
    float col_w = in.w / float(columns);
    for (size_t k = 0; k < per_page && page * per_page + k < rows.size(); ++k) {
      const Row& row = rows[page * per_page + k];
      float x = in.x + col_w * float(int(k) / per_col);
      float ry = y + row_h * float(int(k) % per_col);
      c.text_in(Size::Body, {x, ry, col_w * 0.34f, row_h}, color::kText, std::to_string(row.window) + " 号窗口");
      if (!row.score) {
        c.text_in(Size::Small, {x + col_w * 0.34f, ry, col_w * 0.64f, row_h}, color::kMuted, "本月暂无评价");
        continue;
      }
      const Score& s = *row.score;
      c.text_in(Size::Body, {x + col_w * 0.34f, ry, col_w * 0.3f, row_h}, s.good_rate() < 0.9 ? color::kPaused : color::kGood,
                percent_text(s.good_rate()));
      c.text_in(Size::Small, {x + col_w * 0.64f, ry, col_w * 0.34f, row_h}, color::kMuted,
                std::to_string(s.total) + " 评 · 差 " + std::to_string(s.bad));
    }
    if (rows.empty()) c.text_in(Size::Body, {in.x, y, in.w, row_h}, color::kMuted, "本月暂无评价", Align::Center);
  }

  static void followups(PageContext& ctx, Rect r) {
    Canvas& c = ctx.canvas;
    const float u = c.u();
    const HallState& s = ctx.state;
    c.panel(r);
    Rect in = r.inset(20 * u);
    c.text_in(Size::Title, in.row(0, 54 * u), color::kGold,
              "差评整改跟踪 · 待办 " + std::to_string(ctx.stats.followups.open) + " · 超期 " + std::to_string(ctx.stats.followups.overdue));
    std::vector<const FollowUp*> open;
    for (const auto& [k, f] : s.followups)
      if (f.state != FollowUpState::Closed) open.push_back(&f);
    std::sort(open.begin(), open.end(), [](auto* x, auto* y) { return x->due_day < y->due_day; });
    float y = in.y + 60 * u, row_h = 46 * u;
    for (const FollowUp* f : open) {
      if (y + row_h > in.bottom()) break;
      FollowUpUrgency urgency = followup_urgency(*f, s, ctx.stats.day);
      bool overdue = urgency == FollowUpUrgency::Overdue, soon = urgency == FollowUpUrgency::DueSoon;
      ImU32 col = overdue ? color::kBad : soon ? color::kPaused : color::kText;
      std::string where = f->window ? std::to_string(f->window) + " 号窗口" : "办件评价";
      c.text_in(Size::Body, {in.x, y, in.w * 0.22f, row_h}, color::kText, where);
      c.text_in(Size::Body, {in.x + in.w * 0.22f, y, in.w * 0.3f, row_h}, color::kMuted, f->department);
      c.text_in(Size::Body, {in.x + in.w * 0.52f, y, in.w * 0.18f, row_h}, color::kText, followup_state_name(f->state));
      c.text_in(Size::Body, {in.x + in.w * 0.70f, y, in.w * 0.30f, row_h}, col,
                (overdue ? "已超期 " : "限 ") + f->due_day.substr(5), Align::Right);
      y += row_h;
    }
    if (open.empty()) c.text_in(Size::Body, {in.x, y, in.w, row_h}, color::kGood, "差评已全部整改", Align::Center);
  }
};

}  // namespace

std::unique_ptr<Page> make_ratings_board() { return std::make_unique<RatingsBoard>(); }

}  // namespace hall::display
