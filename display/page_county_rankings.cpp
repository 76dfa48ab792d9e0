// 县域排名: townships, halls, departments across every hall, and service
// items by 压缩率 and 提前办结率, for the layout's period (今日/本周/本月/本年).
// Each rate is shown with its volume; the rule is written on the page: by
// the lower bound of the 95 % confidence interval, and too few ratings are
// listed after the ranked ones as 样本不足 (shared/county_stats).
#include "display/page.h"
#include "shared/stats.h"

namespace hall::display {

using namespace ui;

namespace {

class CountyRankings : public Page {
 public:
  const char* title() const override { return "县域排名"; }

  void draw(PageContext& ctx) override {
    Canvas& c = ctx.canvas;
    const float u = c.u();
    const std::string period = ctx.layout.period;
    auto it = ctx.county->rankings.find(period);
    Rect a = ctx.area.inset(24 * u);
    if (it == ctx.county->rankings.end()) {
      c.text_in(Size::Big, a, color::kMuted, "排名计算中…", Align::Center);
      return;
    }
    const Ranking& r = it->second;
    const std::string when = std::string(period_words(period)) + " " + r.from_day.substr(5) + (r.from_day == r.to_day ? "" : " 至 " + r.to_day.substr(5));
    Rect rule = a.row(a.h - 50 * u, 50 * u);
    c.text_in(Size::Body, rule, color::kMuted,
              "统计周期：" + when + " · 按好评率（提前办结率）95% 置信下限排序，评价少于 " + std::to_string(r.min_ratings) + " 条（办结少于 " +
                  std::to_string(r.min_cases) + " 件）的列在后面，标“样本不足”",
              Align::Center);
    Rect body{a.x, a.y, a.w, a.h - 60 * u};
    const int cols = ctx.portrait ? 2 : 4;
    const int rows = ctx.portrait ? 2 : 1;
    const float gap = 20 * u, w = (body.w - gap * float(cols - 1)) / float(cols), h = (body.h - gap * float(rows - 1)) / float(rows);
    auto cell = [&](int i) { return Rect{body.x + float(i % cols) * (w + gap), body.y + float(i / cols) * (h + gap), w, h}; };
    list(ctx, cell(0), std::string(period_words(period)) + "乡镇好评率", r.townships, "条");
    list(ctx, cell(1), std::string(period_words(period)) + "大厅好评率", r.halls, "条");
    list(ctx, cell(2), std::string(period_words(period)) + "部门好评率", r.departments, "条");
    items(ctx, cell(3), r);
  }

 private:
  static void list(PageContext& ctx, Rect r, const std::string& title, const std::vector<RankEntry>& entries, const char* unit,
                   size_t first = 0, float top_pad = 60) {
    Canvas& c = ctx.canvas;
    const float u = c.u();
    Rect in = first == 0 ? titled_panel(c, r, title, 44) : r;
    const float row_h = 48 * u;
    float y = in.y + top_pad * u;
    int rank = 0;
    for (const RankEntry& e : entries) {
      if (y + row_h > in.bottom() + 1) break;
      const ImU32 ink = e.ranked ? color::kText : color::kMuted;
      const std::string place = e.ranked ? std::to_string(++rank) : "—";
      c.text_in(Size::Body, {in.x, y, 50 * u, row_h}, e.ranked && rank <= 3 ? color::kGold : color::kMuted, place);
      c.text_in(Size::Body, {in.x + 50 * u, y, in.w * 0.58f - 50 * u, row_h}, ink, short_name(e.name));
      std::string figure = e.volume ? percent_text(e.rate) : "—";
      c.text_in(Size::Body, {in.x + in.w * 0.58f, y, in.w * 0.22f, row_h}, e.ranked ? color::kGood : color::kMuted, figure, Align::Right);
      c.text_in(Size::Small, {in.x + in.w * 0.80f, y, in.w * 0.20f, row_h}, color::kMuted,
                std::to_string(e.volume) + unit + (e.ranked ? "" : "·不足"), Align::Right);
      y += row_h;
    }
    if (entries.empty()) c.text_in(Size::Body, in.row(top_pad * u, in.h - top_pad * u), color::kMuted, "暂无数据", Align::Center);
  }

  static void items(PageContext& ctx, Rect r, const Ranking& rk) {
    Canvas& c = ctx.canvas;
    const float u = c.u();
    Rect in = titled_panel(c, r, "事项 压缩率 · 提前办结率", 44);
    auto [upper, lower] = Rect{in.x, in.y + 56 * u, in.w, in.h - 56 * u}.split(true, 0.5f, 10 * u);
    c.text_in(Size::Body, upper.row(0, 44 * u), color::kAccent, "时限压缩率（开办大厅数）");
    list(ctx, upper, "", rk.items_compression, "厅", 1, 48);
    c.text_in(Size::Body, lower.row(0, 44 * u), color::kAccent, "提前办结率（办结件数）");
    // (a catalogue figure has no luck in it: every item is ranked)
    list(ctx, lower, "", rk.items_early, "件", 1, 48);
  }
};

}  // namespace

std::unique_ptr<Page> make_county_rankings() { return std::make_unique<CountyRankings>(); }

}  // namespace hall::display
