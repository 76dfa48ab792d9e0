// 大厅综合屏: who is called where, the last calls, waiting per category,
// windows open or paused, announcements, today's visitors and 好评率.
#include <algorithm>
#include <cmath>

#include "display/page.h"
#include "shared/privacy.h"

namespace hall::display {

using namespace ui;

namespace {

class HallBoard : public Page {
 public:
  const char* title() const override { return "大厅综合屏"; }

  void draw(PageContext& ctx) override {
    Canvas& c = ctx.canvas;
    const float u = c.u();
    Rect a = ctx.area.inset(24 * u);
    float footer = 84 * u;
    Rect body{a.x, a.y, a.w, a.h - footer - 16 * u};
    Rect left, right;
    if (ctx.portrait) {
      left = {body.x, body.y, body.w, body.h * 0.50f};
      right = {body.x, body.y + body.h * 0.50f + 16 * u, body.w, body.h * 0.50f - 16 * u};
    } else {
      left = {body.x, body.y, body.w * 0.58f, body.h};
      right = {body.x + body.w * 0.58f + 20 * u, body.y, body.w * 0.42f - 20 * u, body.h};
    }
    draw_calls(ctx, left);
    draw_queues(ctx, right);
    draw_footer(ctx, {a.x, a.bottom() - footer, a.w, footer});
  }

 private:
  void draw_calls(PageContext& ctx, Rect r) {
    Canvas& c = ctx.canvas;
    const float u = c.u();
    const auto& calls = ctx.state.calls;
    float hero_h = std::min(r.h * 0.52f, 420 * u);
    Rect hero{r.x, r.y, r.w, hero_h};
    bool flash = !calls.empty() && ctx.flash_ms_left > 0;
    // A new call pulses gold for a few seconds so nobody misses it.
    if (flash) {
      ctx.redraw_within(ctx.flash_ms_left % 500 + 1, hero);  // the next edge of the blink (and its end)
      double phase = std::fmod(double(ctx.flash_ms_left) / 500.0, 2.0);
      c.fill(hero, phase < 1.0 ? color::kFlash : color::kPanel, 12 * u);
    } else {
      c.panel(hero);
    }
    ImU32 ink = flash && std::fmod(double(ctx.flash_ms_left) / 500.0, 2.0) < 1.0 ? color::kGround : color::kText;
    if (calls.empty()) {
      c.text_in(Size::Big, hero.inset(24 * u), color::kMuted, "请留意叫号，耐心等候", Align::Center);
    } else {
      const CallRecord& now = calls.front();
      auto called = ctx.state.tickets.find(now.ticket);
      const bool booked = called != ctx.state.tickets.end() && called->second.lane == Lane::Appointment;  // 预约: said on the board
      c.text_in(Size::Title, {hero.x + 28 * u, hero.y + 14 * u, hero.w, 60 * u}, flash ? ink : color::kGold,
                std::string(now.recall ? "再次呼叫" : "正在呼叫") + (booked ? " · 预约" : ""));
      float line = (hero.h - 80 * u) / 2;
      c.text_in(Size::Huge, {hero.x, hero.y + 70 * u, hero.w, line}, ink, "请 " + now.number + " 号", Align::Center);
      c.text_in(Size::Huge, {hero.x, hero.y + 70 * u + line, hero.w, line}, ink,
                "到 " + std::to_string(now.window) + " 号窗口", Align::Center);
    }
    // The last calls, so a citizen who looked away still finds their window.
    Rect list{r.x, r.y + hero_h + 16 * u, r.w, r.h - hero_h - 16 * u};
    c.panel(list);
    c.text_in(Size::Title, {list.x + 24 * u, list.y + 8 * u, list.w, 56 * u}, color::kGold, "最近叫号");
    int n = std::min<int>(ctx.layout.last_calls, int(calls.size()) - 1);
    int columns = 2;
    int rows = std::max(1, (std::max(0, n) + columns - 1) / columns);
    float row_h = std::min(72 * u, (list.h - 72 * u) / float(std::max(rows, 4)));
    float col_w = (list.w - 48 * u) / columns;
    for (int i = 0; i < n; ++i) {
      const CallRecord& call = calls[size_t(i + 1)];
      float x = list.x + 24 * u + col_w * float(i / rows);
      float y = list.y + 68 * u + row_h * float(i % rows);
      c.text_in(Size::Big, {x, y, col_w * 0.45f, row_h}, color::kText, call.number);
      c.text_in(Size::Big, {x + col_w * 0.45f, y, col_w * 0.55f - 16 * u, row_h}, color::kMuted,
                std::to_string(call.window) + " 号窗口");
    }
    if (n <= 0) c.text_in(Size::Body, {list.x, list.y + 68 * u, list.w, row_h}, color::kMuted, "暂无", Align::Center);
  }

  void draw_queues(PageContext& ctx, Rect r) {
    Canvas& c = ctx.canvas;
    const float u = c.u();
    c.panel(r);
    Rect in = r.inset(20 * u);
    float head = 56 * u;
    c.text_in(Size::Title, {in.x, in.y, in.w * 0.46f, head}, color::kGold, "业务类别");
    c.text_in(Size::Body, {in.x + in.w * 0.46f, in.y, in.w * 0.2f, head}, color::kMuted, "等候人数", Align::Right);
    c.text_in(Size::Body, {in.x + in.w * 0.66f, in.y, in.w * 0.34f, head}, color::kMuted, "预计等候", Align::Right);
    std::vector<const QueueFigures*> queues;
    for (const auto& q : ctx.stats.queues) queues.push_back(&q);
    float tiles_h = window_tiles_height(ctx, in.w);
    float rows_h = in.h - head - tiles_h - 12 * u;
    float row_h = std::min(76 * u, rows_h / float(std::max<size_t>(queues.size(), 1)));
    for (size_t i = 0; i < queues.size(); ++i) {
      const QueueFigures& q = *queues[i];
      float y = in.y + head + row_h * float(i);
      if (i % 2 == 0) c.fill({in.x - 8 * u, y, in.w + 16 * u, row_h}, IM_COL32(255, 255, 255, 10));
      c.text_in(Size::Title, {in.x, y, in.w * 0.46f, row_h}, color::kText, q.prefix + "  " + q.name);
      c.text_in(Size::Big, {in.x + in.w * 0.46f, y, in.w * 0.2f, row_h}, q.waiting > 30 ? color::kPaused : color::kText,
                std::to_string(q.waiting), Align::Right);
      c.text_in(Size::Title, {in.x + in.w * 0.66f, y, in.w * 0.34f, row_h},
                q.open_windows == 0 ? color::kMuted : color::kText,
                q.open_windows == 0 ? "暂停受理" : q.waiting == 0 ? "无需等候" : minutes_text(q.estimated_wait_ms),
                Align::Right);
    }
    draw_window_tiles(ctx, {in.x, in.bottom() - tiles_h, in.w, tiles_h});
  }

  float window_tiles_height(const PageContext& ctx, float width) const {
    const float u = ctx.canvas.u();
    size_t n = ctx.state.windows.size();
    if (n > 48) return 96 * u;  // a big hall: counts and paused numbers, not one tile each
    int per_row = std::max(1, int(width / (64 * u)));
    int rows = int((n + size_t(per_row) - 1) / size_t(per_row));
    return 52 * u + float(rows) * 62 * u;
  }

  void draw_window_tiles(PageContext& ctx, Rect r) {
    Canvas& c = ctx.canvas;
    const float u = c.u();
    const TodayCounts& t = ctx.stats.today;
    c.text_in(Size::Body, {r.x, r.y, r.w, 44 * u}, color::kMuted,
              "窗口  开放 " + std::to_string(t.windows_open) + " · 暂停 " + std::to_string(t.windows_paused) + " · 关闭 " +
                  std::to_string(t.windows_closed));
    if (ctx.state.windows.size() > 48) {
      std::string paused;
      for (const auto& [n, w] : ctx.state.windows)
        if (w.state == WindowState::Paused && paused.size() < 120) paused += std::to_string(n) + " ";
      c.text_in(Size::Body, {r.x, r.y + 48 * u, r.w, 44 * u}, color::kPaused, paused.empty() ? "" : "暂停：" + paused);
      return;
    }
    int per_row = std::max(1, int(r.w / (64 * u)));
    int i = 0;
    for (const auto& [n, w] : ctx.state.windows) {
      float x = r.x + float(i % per_row) * 64 * u, y = r.y + 52 * u + float(i / per_row) * 62 * u;
      ImU32 col = w.state == WindowState::Open ? color::kGood : w.state == WindowState::Paused ? color::kPaused : color::kClosed;
      c.fill({x, y, 56 * u, 54 * u}, col, 8 * u);
      c.text_in(Size::Title, {x, y, 56 * u, 54 * u}, color::kGround, std::to_string(n), Align::Center);
      ++i;
    }
  }

  void draw_footer(PageContext& ctx, Rect r) {
    Canvas& c = ctx.canvas;
    const float u = c.u();
    c.panel(r);
    float stats_w = ctx.portrait ? r.w * 0.5f : r.w * 0.34f;
    Rect ticker{r.x + 20 * u, r.y, r.w - stats_w - 40 * u, r.h};
    std::string text;
    for (const auto& [id, a] : ctx.state.announcements)
      if (a.until_ms == 0 || a.until_ms > ctx.now_ms) text += (text.empty() ? "" : "　　") + a.text;
    if (text.empty()) text = kDefaultTicker;
    // A ticker too long for its strip scrolls; one that fits stands still (no redraws).
    ImVec2 size = c.measure(Size::Title, text);
    c.list()->PushClipRect({ticker.x, ticker.y}, {ticker.right(), ticker.bottom()}, true);
    if (size.x <= ticker.w) {
      c.text_in(Size::Title, ticker, color::kText, text);
    } else {
      // 90 px a second in 3 px steps (smooth to the eye from 5 m). The
      // software screen moves it itself; elsewhere each step is a frame.
      const float speed = 90 * u, step = std::max(1.0f, std::round(3 * u));
      if (!c.ticker(Size::Title, ticker, color::kText, color::kPanel, text, speed, step, 200 * u, ctx.real_ms))
        ctx.redraw_within(int64_t(std::max(33.0f, step * 1000.0f / speed)), ticker);
    }
    c.list()->PopClipRect();
    const TodayCounts& t = ctx.stats.today;
    std::string figures = "今日取号 " + std::to_string(t.issued) + " · 好评率 " +
                          (ctx.stats.hall_today.total ? percent_text(ctx.stats.hall_today.good_rate()) : "—");
    // A citizen waiting for a person outranks the day's figures: the oldest request nobody took, and how many more.
    if (ctx.layout.help_on_board) {
      const HelpRequest* oldest = nullptr;
      int waiting = 0;
      for (const auto& [id, h] : ctx.state.helps)
        if (h.state == HelpState::Open && ++waiting && (!oldest || h.asked_ms < oldest->asked_ms)) oldest = &h;
      if (oldest) {
        const int64_t minutes = std::max<int64_t>(0, (ctx.now_ms - oldest->asked_ms) / 60000);
        figures = "呼叫帮办：" + (oldest->place.empty() ? oldest->device : oldest->place) + " · " + std::to_string(minutes) + " 分钟" +
                  (waiting > 1 ? "（另 " + std::to_string(waiting - 1) + " 处）" : "");
        c.text_in(Size::Title, {r.right() - stats_w, r.y, stats_w - 20 * u, r.h}, color::kBad, figures, Align::Right);
        return;
      }
    }
    c.text_in(Size::Title, {r.right() - stats_w, r.y, stats_w - 20 * u, r.h}, color::kGold, figures, Align::Right);
  }
};

}  // namespace

std::unique_ptr<Page> make_hall_board() { return std::make_unique<HallBoard>(); }

}  // namespace hall::display
