// 审批时限 leaderboard: per department and per service item, legal against
// promised limits, 压缩率, mean actual working days, 提前办结率 and overdue
// cases; ranked, with bars.
#include <algorithm>
#include <cstdio>

#include "display/page.h"

namespace hall::display {

using namespace ui;

namespace {

std::string days_text(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", d);
  return buf;
}

class ApprovalBoard : public Page {
 public:
  const char* title() const override { return "审批时限排行"; }

  void draw(PageContext& ctx) override {
    Canvas& c = ctx.canvas;
    const float u = c.u();
    Rect a = ctx.area.inset(24 * u);
    auto [top, bottom] = a.split(true, ctx.portrait ? 0.5f : 0.56f, 20 * u);
    departments(ctx, top);
    items(ctx, bottom);
  }

 private:
  static void departments(PageContext& ctx, Rect r) {
    Canvas& c = ctx.canvas;
    const float u = c.u();
    Rect in = titled_panel(c, r, "部门审批时限压缩排行");
    std::vector<const ApprovalFigures*> rows;
    for (const auto& [name, f] : ctx.stats.departments)
      if (f.items > 0) rows.push_back(&f);
    std::sort(rows.begin(), rows.end(), [](auto* x, auto* y) { return x->compression > y->compression; });
    struct Col { const char* head; float x, w; };
    const Col cols[] = {{"部门", 0.04f, 0.2f},       {"法定/承诺（工作日）", 0.24f, 0.17f}, {"压缩率", 0.41f, 0.23f},
                        {"平均用时", 0.65f, 0.1f},   {"提前办结率", 0.76f, 0.12f},          {"超期", 0.89f, 0.11f}};
    float y = in.y + 58 * u;
    for (const auto& col : cols) c.text_in(Size::Small, {in.x + in.w * col.x, y, in.w * col.w, 36 * u}, color::kMuted, col.head);
    y += 40 * u;
    float row_h = std::min(58 * u, (in.bottom() - y) / float(std::max<size_t>(rows.size(), 1)));
    for (size_t i = 0; i < rows.size(); ++i) {
      const ApprovalFigures& f = *rows[i];
      float ry = y + row_h * float(i);
      if (ry + row_h > in.bottom() + 1) break;
      auto cell = [&](int k) { return Rect{in.x + in.w * cols[k].x, ry, in.w * cols[k].w - 8 * u, row_h}; };
      c.text_in(Size::Body, {in.x, ry, in.w * 0.04f, row_h}, i < 3 ? color::kGold : color::kMuted, std::to_string(i + 1));
      c.text_in(Size::Body, cell(0), color::kText, f.name);
      c.text_in(Size::Body, cell(1), color::kText, std::to_string(f.legal_days) + " / " + std::to_string(f.promised_days));
      Rect bar = cell(2);
      meter(c, {bar.x, ry + row_h * 0.32f, bar.w * 0.62f, row_h * 0.36f}, f.compression, color::kAccent);
      c.text_in(Size::Body, {bar.x + bar.w * 0.65f, ry, bar.w * 0.35f, row_h}, color::kText, percent_text(f.compression));
      c.text_in(Size::Body, cell(3), color::kText, f.finished ? days_text(f.mean_actual_days) + " 天" : "—");
      c.text_in(Size::Body, cell(4), color::kGood, f.finished ? percent_text(f.early_rate) : "—");
      c.text_in(Size::Body, cell(5), f.overdue ? color::kBad : color::kMuted, std::to_string(f.overdue));
    }
  }

  static void items(PageContext& ctx, Rect r) {
    Canvas& c = ctx.canvas;
    const float u = c.u();
    c.panel(r);
    Rect in = r.inset(20 * u);
    ImVec2 title = c.text(Size::Title, {in.x, in.y + 6 * u}, color::kGold, "事项承诺时限对比");
    // Legend with real swatches (no glyph the font may lack).
    float lx = in.x + title.x + 40 * u;
    for (auto [label, col] : {std::pair{"法定时限", color::kClosed}, std::pair{"承诺时限", color::kAccent}}) {
      c.fill({lx, in.y + 22 * u, 36 * u, 18 * u}, col, 9 * u);
      lx += 46 * u + c.text(Size::Body, {lx + 46 * u, in.y + 12 * u}, color::kMuted, label).x + 24 * u;
    }
    std::vector<std::pair<const ServiceItem*, const ApprovalFigures*>> rows;
    for (const auto& [code, item] : ctx.state.items) {
      auto f = ctx.stats.items.find(code);
      // 即办件 have nothing to compare: they are counted on the department rows.
      if (f != ctx.stats.items.end() && item.legal_days > 0 && item.promised_days > 0) rows.push_back({&item, &f->second});
    }
    std::sort(rows.begin(), rows.end(), [](auto& x, auto& y) {
      return x.second->compression != y.second->compression ? x.second->compression > y.second->compression
                                                           : x.first->legal_days > y.first->legal_days;
    });
    int max_legal = 1;
    for (auto& [item, f] : rows) max_legal = std::max(max_legal, item->legal_days);
    int columns = ctx.portrait ? 1 : 2;
    float y0 = in.y + 60 * u, row_h = 52 * u;
    int per_col = std::max(1, int((in.bottom() - y0) / row_h));
    float col_w = in.w / float(columns);
    for (size_t i = 0; i < rows.size() && int(i) < per_col * columns; ++i) {
      auto [item, f] = rows[i];
      float x = in.x + col_w * float(int(i) / per_col), y = y0 + row_h * float(int(i) % per_col);
      c.text_in(Size::Body, {x, y, col_w * 0.4f, row_h}, color::kText, item->name);
      float bx = x + col_w * 0.41f, bw = col_w * 0.36f;
      meter(c, {bx, y + row_h * 0.18f, bw * float(item->legal_days) / float(max_legal), row_h * 0.26f}, 1.0, color::kClosed);
      meter(c, {bx, y + row_h * 0.54f, std::max(4 * u, bw * float(item->promised_days) / float(max_legal)), row_h * 0.26f}, 1.0,
            color::kAccent);
      c.text_in(Size::Body, {x + col_w * 0.78f, y, col_w * 0.2f, row_h}, color::kGold,
                std::to_string(item->legal_days) + "→" + std::to_string(item->promised_days) + " 天", Align::Right);
    }
  }
};

}  // namespace

std::unique_ptr<Page> make_approval_board() { return std::make_unique<ApprovalBoard>(); }

}  // namespace hall::display
