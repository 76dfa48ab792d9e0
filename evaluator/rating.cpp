// The rating flow: five levels, reasons when 不满意 or worse, thanks.
#include "evaluator/evaluator.h"
#include "shared/ui/widgets.h"

namespace hall::evaluator {

using namespace ui;

void Evaluator::draw_rate(Canvas& c, const HallState&) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  c.text_in(Size::Big, {0, 20 * u, W, 90 * u}, color::kGold, "请您对本次服务进行评价", Align::Center);
  c.text_in(Size::Title, {0, 110 * u, W, 56 * u}, color::kMuted, "号码 " + number_ + " · " + std::to_string(o_.window) + " 号窗口",
            Align::Center);
  static const struct { int level; const char* label; ImU32 fill; } levels[] = {
      {5, "非常满意", IM_COL32(20, 120, 70, 255)}, {4, "满意", IM_COL32(40, 104, 176, 255)},
      {3, "基本满意", IM_COL32(80, 96, 130, 255)}, {2, "不满意", IM_COL32(160, 82, 10, 255)},
      {1, "非常不满意", IM_COL32(180, 50, 50, 255)}};
  float gap = 20 * u, top = 180 * u, bw = (W - 6 * gap) / 5, bh = H - top - 120 * u;
  for (int i = 0; i < 5; ++i) {
    Rect r{gap + float(i) * (bw + gap), top, bw, bh};
    ButtonStyle style{levels[i].fill, color::kText, Size::Big, 18};  // large type: many raters are elderly
    std::string id = "level" + std::to_string(levels[i].level);
    if (touch_button(c, id.c_str(), r, levels[i].label, style)) {
      level_ = levels[i].level;
      if (is_bad(level_)) go(Page::Reasons);
      else submit();
    }
  }
}

void Evaluator::draw_reasons(Canvas& c) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  c.text_in(Size::Big, {0, 20 * u, W, 90 * u}, color::kGold, "请告诉我们哪里做得不好（可多选）", Align::Center);
  float gap = 20 * u, bw = (W - 4 * gap) / 3, bh = 190 * u;
  for (int i = 0; i < 6; ++i) {
    Rect r{gap + float(i % 3) * (bw + gap), 130 * u + float(i / 3) * (bh + gap), bw, bh};
    bool on = reasons_.count(kRatingReasons[size_t(i)]) > 0;
    ButtonStyle style{on ? color::kGold : color::kPanelEdge, on ? color::kGround : color::kText, Size::Title, 14};
    std::string id = "reason" + std::to_string(i);
    if (touch_button(c, id.c_str(), r, kRatingReasons[size_t(i)], style)) {
      if (on) reasons_.erase(kRatingReasons[size_t(i)]);
      else reasons_.insert(kRatingReasons[size_t(i)]);
    }
  }
  Rect back{gap, H - 160 * u, W * 0.3f, 120 * u}, send{W * 0.45f, H - 160 * u, W * 0.55f - gap, 120 * u};
  if (touch_button(c, "back", back, "返回", {color::kPanelEdge, color::kText, Size::Title, 14})) go(Page::Rate), level_ = 0;
  if (touch_button(c, "submit", send, "提交评价", {color::kGood, color::kGround, Size::Title, 14})) submit();
}

void Evaluator::draw_thanks(Canvas& c) {
  const float W = float(screen().width()), H = float(screen().height());
  const bool unkept = !waiting_key_.empty();
  if (unkept) {  // the outbox disk refused it and the server does not have it yet: say so plainly
    const bool away = !mirror_.synced() || mirror_.stale();
    c.text_in(Size::Big, {0, H * 0.3f, W, H * 0.2f}, away ? color::kBad : color::kGold, away ? "评价暂时无法保存" : "正在提交您的评价…",
              Align::Center);
    if (away)
      c.text_in(Size::Title, {0, H * 0.52f, W, H * 0.12f}, color::kText, "本机存储已满且网络中断，请告诉窗口工作人员", Align::Center);
    return;
  }
  c.text_in(Size::Big, {0, H * 0.3f, W, H * 0.2f}, color::kGold, "感谢您的评价！", Align::Center);
  c.text_in(Size::Title, {0, H * 0.52f, W, H * 0.12f}, color::kText,
            is_bad(level_) ? "我们将在规定时间内回访整改" : "欢迎再次监督我们的服务", Align::Center);
}

}  // namespace hall::evaluator
