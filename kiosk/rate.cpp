// 服务评价 at the kiosk: the ticket number (一次一评) or case number (一事一评)
// → five levels → reasons when 不满意 or worse, and an optional comment →
// confirmation. The server enforces one rating per visit or case; the
// kiosk says so before asking when its mirror already knows. The rating goes
// through the outbox: with the bus down it is kept and sent once later.
#include "kiosk/keys.h"
#include "kiosk/kiosk.h"
#include "shared/ui/widgets.h"

namespace hall::kiosk {

using namespace ui;

namespace {
const ImU32 kLevelColors[] = {0, IM_COL32(180, 50, 50, 255), IM_COL32(160, 82, 10, 255), IM_COL32(80, 96, 130, 255),
                              IM_COL32(40, 104, 176, 255), IM_COL32(20, 120, 70, 255)};
}

void Kiosk::draw_rate_entry(Canvas& c, const HallState& s) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  page_title(c, t()("rate.title"));
  float gap = 24 * u, y = content_top() + 110 * u;
  if (rate_.kind.empty()) rate_.kind = "ticket";
  float tab_w = (W - 3 * gap) / 2, tab_h = 110 * u;
  bool ticket = rate_.kind == "ticket";
  if (touch_button(c, "by_ticket", {gap, y, tab_w, tab_h}, t()("rate.by_ticket"),
                   {ticket ? color::kGold : color::kPanelEdge, ticket ? color::kGround : color::kText, heading(), 14}))
    rate_.kind = "ticket", rate_.number.clear(), sending_.status.clear();
  if (touch_button(c, "by_case", {2 * gap + tab_w, y, tab_w, tab_h}, t()("rate.by_case"),
                   {!ticket ? color::kGold : color::kPanelEdge, !ticket ? color::kGround : color::kText, heading(), 14}))
    rate_.kind = "case", rate_.number.clear(), sending_.status.clear();
  y += tab_h + gap;
  Rect box{gap, y, W - 2 * gap, 130 * u};
  c.fill(box, color::kText, 12 * u);
  c.text_in(Size::Big, box.inset(20 * u), rate_.number.empty() ? color::kHint : color::kGround,
            rate_.number.empty() ? (ticket ? t()("rate.ticket_hint") : t()("lookup.hint")) : rate_.number, Align::Center);
  y += box.h + 10 * u;
  if (!sending_.status.empty()) c.text_in(body(), {gap, y, W - 2 * gap, 70 * u}, color::kBad, sending_.status, Align::Center);
  y += 80 * u;
  // Ticket numbers start with a category's letter: those letters, then
  // digits; landscape has room for wider rows, not for more of them.
  const int columns = W > H ? 12 : 6;
  std::vector<std::string> keys;
  if (ticket) {
    std::set<std::string> prefixes;
    for (const auto& [code, cat] : s.categories) prefixes.insert(cat.prefix);
    keys.assign(prefixes.begin(), prefixes.end());
    while (keys.size() % size_t(columns)) keys.push_back("");
  }
  std::vector<std::string> digits{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0", kDelete, ""};
  keys.insert(keys.end(), digits.begin(), digits.end());
  float go_h = 140 * u;
  Rect pad{gap, y, W - 2 * gap, H - y - go_h - 3 * gap};
  std::string key = key_grid(c, pad, keys, columns, Size::Big, key_words());
  if (!key.empty()) edit_text(rate_.number, key, ticket ? 8 : 24), sending_.status.clear();
  if (touch_button(c, "rate_next", {gap, H - go_h - gap, W - 2 * gap, go_h}, t()("rate.next"), {color::kGood, color::kGround, Size::Big, 18},
                   rate_.number.size() >= (ticket ? 2u : 6u))) {
    // What the mirror knows is said now; what it cannot know, the server says on delivery.
    if (ticket) {
      auto it = s.tickets.find(ticket_key(s.hall.day, rate_.number));
      if (online() && it == s.tickets.end()) sending_.status = t()("rate.unknown_ticket");
      else if (it != s.tickets.end() && it->second.state != TicketState::Done) sending_.status = t()("rate.not_served");
      else if (it != s.tickets.end() && it->second.rated) sending_.status = t()("rate.already");
      else rate_.target = rate_.number, go(Page::RateLevels);
    } else {
      auto it = s.cases.find(rate_.number);
      if (online() && it == s.cases.end()) sending_.status = t()("lookup.unknown");
      else if (it != s.cases.end() && it->second.rated) sending_.status = t()("rate.already");
      else rate_.target = rate_.number, go(Page::RateLevels);
    }
  }
}

void Kiosk::draw_rate_levels(Canvas& c) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  page_title(c, t()("rate.how"));
  float gap = 24 * u, y = content_top() + 110 * u;
  c.text_in(body(), {gap, y, W - 2 * gap, 60 * u}, color::kMuted,
            t()(rate_.kind == "case" ? "rate.for_case" : "rate.for_ticket", {{"n", rate_.target}}), Align::Center);
  y += 80 * u;
  bool portrait = H > W;
  float area_h = H - y - gap;
  for (int level = 5; level >= 1; --level) {
    int k = 5 - level;
    Rect r = portrait ? Rect{gap, y + float(k) * (area_h / 5), W - 2 * gap, area_h / 5 - gap}
                      : Rect{gap + float(k) * ((W - gap) / 5), y, (W - gap) / 5 - gap, area_h - gap};
    std::string id = "level" + std::to_string(level);
    if (touch_button(c, id.c_str(), r, t()("level." + std::to_string(level)), {kLevelColors[level], color::kText, elderly_ ? Size::Huge : Size::Big, 18}))
      rate_.level = level, go(Page::RateReasons);
  }
}

void Kiosk::draw_rate_reasons(Canvas& c) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  bool bad = is_bad(rate_.level);
  page_title(c, bad ? t()("rate.reasons") : t()("rate.comment"));
  float gap = 24 * u, y = content_top() + 110 * u;
  c.text_in(heading(), {gap, y, W - 2 * gap, 60 * u}, color::kGold,
            t()("rate.chosen", {{"level", t()("level." + std::to_string(rate_.level))}}), Align::Center);
  y += 80 * u;
  int columns = W > H ? 3 : 2;
  float bw = (W - gap * float(columns + 1)) / float(columns), bh = elderly_ ? 170 * u : 130 * u;
  if (W > H) bh = std::min(bh, (H - y - 150 * u - 80 * u - 6 * gap) / 3);  // landscape: two rows of reasons and one of comments must fit
  if (bad) {
    for (size_t i = 0; i < kRatingReasons.size(); ++i) {
      Rect r{gap + float(int(i) % columns) * (bw + gap), y + float(int(i) / columns) * (bh + gap), bw, bh};
      bool on = rate_.reasons.count(kRatingReasons[i]) > 0;
      std::string id = "reason" + std::to_string(i);
      if (touch_button(c, id.c_str(), r, t()("reason." + std::to_string(i)), {on ? color::kGold : color::kPanelEdge, on ? color::kGround : color::kText, heading(), 14})) {
        if (on) rate_.reasons.erase(kRatingReasons[i]);
        else rate_.reasons.insert(kRatingReasons[i]);
      }
    }
    y += float((kRatingReasons.size() + size_t(columns) - 1) / size_t(columns)) * (bh + gap) + gap;
  }
  // An optional comment: common words, one tap each (the stored words are Chinese).
  c.text_in(heading(), {gap, y, W - 2 * gap, 70 * u}, color::kMuted, t()("rate.comment_hint"));
  y += 80 * u;
  const char* group = bad ? "comment.bad." : "comment.good.";
  float bar_h = 150 * u;
  const int ccols = W > H ? 4 : 2, crows = 4 / ccols;
  float cw = (W - gap * float(ccols + 1)) / float(ccols);
  float ch = std::min(bh, (H - bar_h - 2 * gap - y - gap * float(crows)) / float(crows));  // what is left above the buttons
  for (int i = 0; i < 4; ++i) {
    Rect r{gap + float(i % ccols) * (cw + gap), y + float(i / ccols) * (ch + gap), cw, ch};
    std::string key = group + std::to_string(i), said = zh_(key);
    bool on = rate_.comment == said;
    std::string id = "comment" + std::to_string(i);
    if (touch_button(c, id.c_str(), r, t()(key), {on ? color::kGold : color::kPanel, on ? color::kGround : color::kText, body(), 14}))
      rate_.comment = on ? "" : said;
  }
  // 返回, 写几句 (their own words, typed or written), 提交.
  float back_w = (W - 4 * gap) * 0.25f, own_w = (W - 4 * gap) * 0.3f;
  if (touch_button(c, "back", {gap, H - bar_h - gap, back_w, bar_h}, t()("nav.back"), {color::kPanelEdge, color::kText, heading(), 16}))
    go(Page::RateLevels), rate_.reasons.clear(), rate_.comment.clear();
  const std::string own_label = rate_.own.empty() ? t()("rate.write_own") : t()("rate.own_written", {{"n", std::to_string(char_count(rate_.own))}});
  if (touch_button(c, "rate_write", {2 * gap + back_w, H - bar_h - gap, own_w, bar_h}, own_label,
                   {rate_.own.empty() ? color::kPanelEdge : color::kGold, rate_.own.empty() ? color::kText : color::kGround, heading(), 16}))
    page_ = Page::RateComment;
  if (touch_button(c, "rate_submit", {3 * gap + back_w + own_w, H - bar_h - gap, W - 4 * gap - back_w - own_w, bar_h}, t()("rate.submit"),
                   {color::kGood, color::kGround, Size::Big, 18}, !bad || !rate_.reasons.empty()))
    submit_rating();
}

// 写几句: the citizen's own words, by pinyin or by hand, kept when they go
// back to the reasons; sent with the rating.
void Kiosk::draw_rate_comment(Canvas& c) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  page_title(c, t()("rate.own_title"));
  const float gap = 24 * u, y = content_top() + 110 * u, bar_h = W > H ? 130 * u : 150 * u;
  Rect box{gap, y, W - 2 * gap, W > H ? 130 * u : elderly_ ? 260 * u : 220 * u};
  c.fill(box, color::kText, 12 * u);
  text_field(c, box, rate_.own + preedit(), t()("rate.own_hint"), color::kGround, color::kHint, true);
  const float keys_top = box.bottom() + gap;
  text_keyboard(c, {gap, keys_top, W - 2 * gap, H - keys_top - bar_h - 2 * gap}, rate_.own, kOwnCommentChars);
  const float back_w = (W - 3 * gap) * 0.35f;
  if (touch_button(c, "back", {gap, H - bar_h - gap, back_w, bar_h}, t()("rate.own_done"), {color::kPanelEdge, color::kText, heading(), 16})) {
    commit_typing(rate_.own, kOwnCommentChars);
    page_ = Page::RateReasons;
  }
  if (touch_button(c, "rate_submit", {2 * gap + back_w, H - bar_h - gap, W - 3 * gap - back_w, bar_h}, t()("rate.submit"),
                   {color::kGood, color::kGround, Size::Big, 18}, !is_bad(rate_.level) || !rate_.reasons.empty()))
    submit_rating();
}

void Kiosk::submit_rating() {
  commit_typing(rate_.own, kOwnCommentChars);  // a word still being spelled, or a character being written, goes too
  json args{{"level", rate_.level}, {"channel", "kiosk"}};
  args[rate_.kind == "case" ? "case" : "ticket"] = rate_.target;
  if (!rate_.reasons.empty()) args["reasons"] = std::vector<std::string>(rate_.reasons.begin(), rate_.reasons.end());
  std::string comment = rate_.comment;
  if (!rate_.own.empty()) comment += (comment.empty() ? "" : "；") + rate_.own;
  if (!comment.empty()) args["comment"] = comment;
  Kept kept = outbox_->put("rate", args);  // on disk before the page says thank you, or the page says it is not
  sending_.key = kept.key, sending_.on_disk = kept.on_disk;
  rate_.sent = true;
  sending_.at = Clock::now();
  sending_.status.clear(), sending_.ok = false;
  go(Page::RateDone);
}

void Kiosk::draw_rate_done(Canvas& c) {
  draw_sent(c, t()("rate.thanks"), is_bad(rate_.level) ? t()("rate.followup") : "");
}

}  // namespace hall::kiosk
