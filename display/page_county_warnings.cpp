// 四色预警: every warning card of the county (or of the layout's township or
// hall), most severe first, each with its hall, department and reasons (the
// figure and the line it crossed, from county.json). Cards that do not fit
// turn over every 10 seconds.
#include "display/page.h"

namespace hall::display {

using namespace ui;

namespace {

constexpr int64_t kTurnMs = 10000;

ImU32 ink_of(CardColor c) {
  switch (c) {
    case CardColor::Red: return IM_COL32(214, 48, 49, 255);
    case CardColor::Orange: return IM_COL32(230, 126, 34, 255);
    case CardColor::Yellow: return IM_COL32(241, 196, 15, 255);
    case CardColor::Blue: return IM_COL32(52, 152, 219, 255);
  }
  return color::kMuted;
}

class CountyWarnings : public Page {
 public:
  const char* title() const override { return "四色预警"; }

  void draw(PageContext& ctx) override {
    Canvas& c = ctx.canvas;
    const float u = c.u();
    const Layout& l = ctx.layout;
    std::vector<const WarningCard*> cards;
    for (const auto& card : ctx.county->warnings.cards) {
      if (!l.scope_hall.empty() && card.hall_id != l.scope_hall) continue;
      if (!l.scope_township.empty() && card.township != l.scope_township) continue;
      cards.push_back(&card);
    }
    Rect a = ctx.area.inset(24 * u);
    // The tally by colour across the top.
    int count[4] = {0, 0, 0, 0};
    for (const WarningCard* card : cards) ++count[int(card->color)];
    const float tally_h = 110 * u, tw = (a.w - 48 * u) / 4;
    for (int i = 0; i < 4; ++i) {
      Rect t{a.x + float(i) * (tw + 16 * u), a.y, tw, tally_h};
      c.panel(t);
      c.fill({t.x, t.y, 16 * u, t.h}, ink_of(CardColor(i)), 6 * u);
      c.text_in(Size::Title, {t.x + 36 * u, t.y, t.w * 0.5f, t.h}, color::kText, card_color_name(CardColor(i)));
      c.text_in(Size::Big, {t.x + t.w * 0.5f, t.y, t.w * 0.5f - 24 * u, t.h}, count[i] ? ink_of(CardColor(i)) : color::kGood,
                std::to_string(count[i]), Align::Right);
    }
    Rect body{a.x, a.y + tally_h + 20 * u, a.w, a.h - tally_h - 20 * u};
    if (cards.empty()) {
      c.text_in(Size::Big, body, color::kGood, "当前没有预警", Align::Center);
      return;
    }
    // Dense enough for a county with many cards: three across, a title and two reasons each.
    const int cols = ctx.portrait ? 2 : 3;
    const float card_h = 156 * u, gap = 16 * u;
    const float cw = (body.w - gap * float(cols - 1)) / float(cols);
    const int per_col = std::max(1, int((body.h - 40 * u + gap) / (card_h + gap)));
    const int fit = per_col * cols;
    const int pages = int((cards.size() + size_t(fit) - 1) / size_t(fit));
    const int page = pages > 1 ? int((ctx.real_ms / kTurnMs) % pages) : 0;
    if (pages > 1) {
      ctx.redraw_within(kTurnMs - ctx.real_ms % kTurnMs);
      c.text_in(Size::Body, {body.x, body.bottom() - 36 * u, body.w, 36 * u}, color::kMuted,
                "第 " + std::to_string(page + 1) + "/" + std::to_string(pages) + " 页 · 共 " + std::to_string(cards.size()) + " 张", Align::Right);
    }
    for (int k = 0; k < fit && size_t(page * fit + k) < cards.size(); ++k) {
      const WarningCard& card = *cards[size_t(page * fit + k)];
      Rect r{body.x + float(k / per_col) * (cw + gap), body.y + float(k % per_col) * (card_h + gap), cw, card_h};
      c.panel(r);
      c.fill({r.x, r.y, 20 * u, r.h}, ink_of(card.color), 8 * u);
      Rect in{r.x + 36 * u, r.y + 8 * u, r.w - 48 * u, r.h - 16 * u};
      c.fill({in.right() - 96 * u, in.y + 6 * u, 96 * u, 44 * u}, ink_of(card.color), 8 * u);
      c.text_in(Size::Body, {in.right() - 96 * u, in.y + 6 * u, 96 * u, 44 * u}, color::kGround, card_color_name(card.color), Align::Center);
      c.text_in(Size::Title, {in.x, in.y, in.w - 110 * u, 56 * u}, color::kText,
                short_name(card.hall_name) + (card.department.empty() ? " · 全厅" : " · " + card.department));
      float y = in.y + 60 * u;
      for (size_t k = 0; k < card.reasons.size(); ++k) {
        if (y + 40 * u > in.bottom() + 1) break;
        const bool last_line = y + 80 * u > in.bottom() + 1 && k + 1 < card.reasons.size();
        c.text_in(Size::Body, {in.x, y, in.w, 40 * u}, color::kText,
                  last_line ? "· " + card.reasons[k] + " 等 " + std::to_string(card.reasons.size()) + " 项" : "· " + card.reasons[k]);
        y += 40 * u;
      }
    }
  }
};

}  // namespace

std::unique_ptr<Page> make_county_warnings() { return std::make_unique<CountyWarnings>(); }

}  // namespace hall::display
