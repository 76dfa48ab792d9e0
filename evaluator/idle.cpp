// The evaluator at rest: the window, who serves there, and its score.
#include "evaluator/evaluator.h"
#include "shared/privacy.h"
#include "shared/stats.h"

namespace hall::evaluator {

using namespace ui;

void Evaluator::draw_idle(Canvas& c, const HallState& s) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  auto w = s.windows.find(o_.window);
  if (w == s.windows.end()) {
    c.text_in(Size::Title, {0, 0, W, H}, color::kMuted, mirror_.synced() ? "本窗口未配置" : "正在连接大厅服务器…", Align::Center);
    return;
  }
  c.fill({0, 0, W, 150 * u}, color::kPanel);
  c.text_in(Size::Big, {40 * u, 0, W * 0.5f, 150 * u}, color::kGold, std::to_string(o_.window) + " 号窗口");
  c.text_in(Size::Title, {W * 0.45f, 0, W * 0.55f - 40 * u, 150 * u}, color::kText, w->second.name, Align::Right);
  const Window& win = w->second;
  auto person = s.staff.find(win.staff_id);
  float cx = W * 0.3f, cy = 150 * u + (H - 150 * u) * 0.45f, r = std::min(W, H) * 0.16f;
  c.list()->AddCircleFilled({cx, cy}, r, color::kPanelEdge, 48);  // photo placeholder
  c.list()->AddCircleFilled({cx, cy - r * 0.25f}, r * 0.4f, color::kMuted, 32);
  c.list()->PathArcTo({cx, cy + r * 0.85f}, r * 0.65f, 3.3f, 6.12f, 24);
  c.list()->PathFillConvex(color::kMuted);
  float tx = W * 0.52f;
  if (win.state == WindowState::Open && person != s.staff.end()) {
    c.text(Size::Big, {tx, cy - r}, color::kText, mask_name(person->second.name));
    c.text(Size::Title, {tx, cy - r + 90 * u}, color::kMuted, "工号 " + win.staff_id);
  } else {
    c.text(Size::Big, {tx, cy - r}, color::kPaused, win.state == WindowState::Paused ? "暂停服务" : "暂未开放");
  }
  HallStats st = compute_stats(s, s.calls.empty() ? 0 : s.calls.front().at_ms);
  auto score = st.window_month.find(o_.window);
  double rate = score == st.window_month.end() ? 0 : score->second.good_rate();
  stars(c, {tx, cy + 20 * u}, 56 * u, score == st.window_month.end() ? 0 : rate * 5);
  c.text(Size::Title, {tx, cy + 100 * u}, color::kGold,
         score == st.window_month.end() ? "本月暂无评价" : "本月好评率 " + percent_text(rate));
  c.text_in(Size::Title, {0, H - 120 * u, W, 60 * u}, color::kMuted, "欢迎监督 · 办完业务请为我们的服务评价", Align::Center);
}

}  // namespace hall::evaluator
