// Pieces every display page shares: header, stale banner, closed page, formats.
#include <cstdio>

#include "display/page.h"
#include "shared/calendar.h"
#include "shared/clock.h"

namespace hall::display {

using namespace ui;

std::string minutes_text(int64_t ms) { return wait_minutes_text(ms); }

std::string clock_text(int64_t ms, int offset) {
  int m = minute_of_day(ms, offset);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", m / 60, m % 60);
  return buf;
}

std::string date_text(int64_t ms, int offset) {
  static const char* weekdays[] = {"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"};
  Day d = day_of(ms, offset);
  std::chrono::year_month_day ymd{d};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%d年%u月%u日 %s", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()),
                weekdays[std::chrono::weekday{d}.c_encoding()]);
  return buf;
}


bool hall_open(const HallState& s, int64_t now_ms) { return within_opening_hours(s, now_ms); }

void prewarm_glyphs(FontBook& fonts, const HallState& s) {
  std::string words =
      "约分钟无需等候暂停受理服务正在呼叫再次最近叫号暂无业务类别等候人数预计窗口开放关闭今日取号好评率"
      "办理下一位工号本月暂无评价请稍候午休临时会议系统故障与大厅服务器的连接中断显示的是数据自动重连"
      "差评整改跟踪待办超期已限部门法定承诺工作日压缩平均用时提前结率即天事项对比预警综合排名"
      "已结束办公间节假休息网上登录政务星期一二三四五六日年月内：，、。（）“”·—…";
  words += s.hall.name;

  for (const auto& [code, c] : s.categories) words += c.name + c.department;
  for (const auto& [n, w] : s.windows) words += w.name + w.department + w.pause_reason;
  for (const auto& [id, st] : s.staff) words += st.name;  // masked forms use the same characters and '*'
  for (const auto& [code, item] : s.items) words += item.name;
  words += "*";
  for (Size size : {Size::Small, Size::Body, Size::Title}) fonts.want(size, words);
  std::string ticker = kDefaultTicker;  // the hall board's ticker: its type size only
  for (const auto& [id, a] : s.announcements) ticker += a.text;
  fonts.want(Size::Title, ticker);
  fonts.want(Size::Big, "请到号窗口暂停服务正在呼叫再次下一位等候约分钟无需" + s.hall.name);
  fonts.want(Size::Huge, "请到号窗口暂停服务今日已结束稍候");
}

namespace {
// The header bar every page has: whose screen, the page, date and time, and a red band when the server is not heard.
void header_bar(PageContext& ctx, const std::string& name, const std::string& page_title, bool stale, int64_t last_heard_ms, int off,
                const char* server) {
  Canvas& c = ctx.canvas;
  float W = float(ctx.area.w), u = c.u();
  float h = 96 * u;
  c.fill({0, 0, W, h}, color::kPanel);
  c.fill({0, h - 3 * u, W, 3 * u}, color::kGold);
  float pad = 32 * u;
  if (ctx.portrait) {
    c.text_in(Size::Title, {pad, 0, W * 0.62f - pad, h}, color::kGold, name);
    c.text_in(Size::Title, {W * 0.62f, 0, W * 0.38f - pad, h}, color::kText, clock_text(ctx.now_ms, off), Align::Right);
  } else {
    c.text_in(Size::Title, {pad, 0, W * 0.36f, h}, color::kGold, name);
    c.text_in(Size::Title, {W * 0.36f, 0, W * 0.28f, h}, color::kText, page_title, Align::Center);
    c.text_in(Size::Body, {W * 0.64f, 0, W * 0.36f - 190 * u - pad, h}, color::kMuted, date_text(ctx.now_ms, off), Align::Right);
    c.text_in(Size::Big, {W - 180 * u - pad, 0, 180 * u, h}, color::kText, clock_text(ctx.now_ms, off), Align::Right);
  }
  ctx.area.y = h;
  ctx.area.h -= h;
  if (stale) {
    float bh = 64 * u;
    c.fill({0, ctx.area.y, W, bh}, color::kBad);
    std::string when = last_heard_ms > 0 ? clock_text(last_heard_ms, off) : "—";
    if (last_heard_ms > 0) {
      int64_t local = last_heard_ms / 1000 + int64_t(off) * 60;
      char buf[16];
      std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", (long long)(local / 3600 % 24), (long long)(local / 60 % 60),
                    (long long)(local % 60));
      when = buf;
    }
    c.text_in(Size::Body, {pad, ctx.area.y, W - 2 * pad, bh}, color::kText,
              std::string("与") + server + "的连接中断 · 显示的是 " + when + " 的数据 · 正在自动重连", Align::Center);
    ctx.area.y += bh;
    ctx.area.h -= bh;
  }
}
}  // namespace

void draw_header(PageContext& ctx, const std::string& page_title, bool stale, int64_t last_heard_ms) {
  header_bar(ctx, ctx.state.hall.name.empty() ? "政务服务中心" : ctx.state.hall.name, page_title, stale, last_heard_ms,
             ctx.state.hall.utc_offset_minutes, "大厅服务器");
}

std::string scope_name(const PageContext& ctx) {
  const Layout& l = ctx.layout;
  const std::string id = !l.scope_hall.empty() ? l.scope_hall : l.scope_township;
  if (ctx.county && !id.empty()) {
    auto it = ctx.county->halls.find(id);
    if (it != ctx.county->halls.end()) return it->second.name;
    return id;
  }
  return ctx.county && !ctx.county->county.name.empty() ? ctx.county->county.name : "县域政务服务";
}

std::string short_name(const std::string& name) {
  for (const char* tail : {"便民服务中心", "便民服务站", "党群服务中心", "政务服务中心"}) {
    const std::string t = tail;
    if (name.size() > t.size() + 3 && name.compare(name.size() - t.size(), t.size(), t) == 0) return name.substr(0, name.size() - t.size());
  }
  return name;
}

const char* period_words(const std::string& period) {
  return period == "today" ? "今日" : period == "week" ? "本周" : period == "year" ? "本年" : "本月";
}

void draw_county_header(PageContext& ctx, const std::string& page_title, bool stale, int64_t last_heard_ms) {
  header_bar(ctx, scope_name(ctx), page_title, stale, last_heard_ms, 480, "县级服务器");
}

Rect titled_panel(Canvas& c, Rect r, const std::string& title, float title_points) {
  const float u = c.u();
  c.panel(r);
  Rect in = r.inset(20 * u);
  c.text_in(Size::Title, in.row(0, title_points * u), color::kGold, title);
  return in;
}

void draw_closed(PageContext& ctx) {
  Canvas& c = ctx.canvas;
  const Rect& a = ctx.area;
  float u = c.u();
  c.text(Size::Huge, {a.x + a.w / 2, a.y + a.h * 0.22f}, color::kGold, "今日服务已结束", Align::Center);
  c.text(Size::Big, {a.x + a.w / 2, a.y + a.h * 0.22f + 170 * u}, color::kText,
         "办公时间 " + ctx.state.hall.opens + " — " + ctx.state.hall.closes, Align::Center);
  c.text(Size::Title, {a.x + a.w / 2, a.y + a.h * 0.22f + 280 * u}, color::kMuted,
         "法定节假日休息 · 网上办事请登录政务服务网", Align::Center);
  c.text(Size::Title, {a.x + a.w / 2, a.y + a.h * 0.22f + 350 * u}, color::kMuted, "Service hours are over. Thank you.", Align::Center);
}

}  // namespace hall::display
