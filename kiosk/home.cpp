// Home: the services as large tiles; on every page the 首页, 长辈模式 and
// language buttons (always visible, never a dead end); the notice page; the
// question asked before idle time drops what a citizen typed.
#include <algorithm>

#include "kiosk/keys.h"
#include "kiosk/kiosk.h"
#include "shared/ui/widgets.h"

namespace hall::kiosk {

using namespace ui;

void Kiosk::draw_chrome(Canvas& c) {
  const float u = c.u(), W = float(screen().width());
  float bh = 90 * u, bw = 250 * u;
  if (page_ == Page::Home && staff_gesture(c)) return;
  if (touch_button(c, "mode", {W - 2 * bw - 40 * u, 20 * u, bw, bh}, elderly_ ? t()("mode.normal") : t()("mode.elderly"),
                   {color::kGold, color::kGround, Size::Title, 14}))
    elderly_ = !elderly_, list_page_ = 0, spoken_page_.reset();  // 长辈模式 on: the page says itself
  if (touch_button(c, "lang", {W - bw - 20 * u, 20 * u, bw, bh}, t()("lang.switch"), {color::kPanelEdge, color::kText, Size::Title, 14}))
    t_ = t_ == &zh_ ? &en_ : &zh_, spoken_page_.reset();
  if (page_ != Page::Home &&
      touch_button(c, "home", {20 * u, 20 * u, bw, bh}, t()("nav.home"), {color::kPanelEdge, color::kText, Size::Title, 14}))
    go(Page::Home);
  // 呼叫帮办 in the same place on every page a citizen sees (not the staff's own pages).
  if (page_ != Page::Help && page_ != Page::MaintenancePin && page_ != Page::Maintenance &&
      touch_button(c, "help", {40 * u + bw, 20 * u, std::min(bw, W - 3 * bw - 100 * u), bh}, help_.id.empty() ? t()("help.ask") : t()("help.asked_short"),
                   {color::kBad, color::kGround, Size::Title, 14})) {
    help_.back = page_;
    help_.error.clear();
    if (help_.id.empty()) ask_help();
    page_ = Page::Help;
  }
  if (!online() && page_ != Page::Home)
    c.text_in(Size::Body, {20 * u, 20 * u + bh, W - 40 * u, 130 * u - 20 * u - bh + 24 * u}, color::kPaused, t()("offline.banner"), Align::Center);
}

void Kiosk::draw_home(Canvas& c, const HallState& s) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  // The hall's name under the chrome row (the row holds 呼叫帮办 where other pages have 首页).
  c.text_in(heading(), {40 * u, content_top(), W - 80 * u, 80 * u}, color::kGold, s.hall.name.empty() ? t()("home.title") : s.hall.name, Align::Center);
  static const struct { const char* key; Page page; } tiles[] = {
      {"home.take_ticket", Page::Categories}, {"home.guide", Page::Guide},    {"home.lookup", Page::Lookup},
      {"home.rate", Page::RateEntry},         {"home.complaint", Page::Complaint}, {"home.policies", Page::Policies},
      {"home.appointment", Page::Appointment}};
  // 预约 only where the hall takes bookings.
  const int count = s.hall.appointments.enabled ? 7 : 6;
  int per_row = W > H && !elderly_ ? 3 : 2;
  int per_page = elderly_ ? 4 : count > 6 ? (W > H ? 9 : 8) : 6;  // fewer, larger choices in 长辈模式; the rest one tap further
  int first = std::min(list_page_ * per_page, count - 1);
  int shown = std::min(per_page, count - first);
  // 朗读 under the tiles in the normal mode (长辈模式 speaks anyway), unless the hall has the voice on for all.
  const bool aloud = !elderly_ && o_.speech.enabled && !o_.speech.normal_mode;
  float gap = 30 * u, top = content_top() + 100 * u, bottom = H - (elderly_ || aloud ? 190 * u : 60 * u);
  int rows = (per_page + per_row - 1) / per_row;
  float tw = (W - gap * float(per_row + 1)) / float(per_row);
  float th = std::min((bottom - top - gap * float(rows - 1)) / float(rows), (elderly_ ? 600 : 420) * u);
  for (int k = 0; k < shown; ++k) {
    int i = first + k;
    Rect r{gap + float(k % per_row) * (tw + gap), top + float(k / per_row) * (th + gap), tw, th};
    ButtonStyle style{i == 0 ? color::kGood : color::kTile, i == 0 ? color::kGround : color::kText, elderly_ ? Size::Huge : Size::Big, 20};
    if (touch_button(c, tiles[i].key, r, t()(tiles[i].key), style)) go(tiles[i].page);
  }
  if (elderly_) {
    Rect more{gap, H - 160 * u, W - 2 * gap, 130 * u};
    bool last = first + per_page >= count;
    if (touch_button(c, "more", more, last ? t()("home.first_services") : t()("home.more_services"),
                     {color::kPanelEdge, color::kText, Size::Big, 16}))
      list_page_ = last ? 0 : list_page_ + 1;
  }
  const float aloud_w = 320 * u;
  if (aloud && touch_button(c, "read_aloud", {W - gap - aloud_w, H - 160 * u, aloud_w, 130 * u}, read_aloud_ ? t()("speech.off") : t()("speech.on"),
                            {read_aloud_ ? color::kGold : color::kPanelEdge, read_aloud_ ? color::kGround : color::kText, Size::Big, 16}))
    read_aloud_ = !read_aloud_, spoken_page_.reset();  // on: the page says itself at once; it stays on, like 长辈模式, until tapped again
  if (!online()) {
    c.text_in(body(), {40 * u, H - (elderly_ ? 220 : aloud ? 215 : 55) * u, W - 80 * u, 50 * u}, color::kPaused, t()("offline.banner"), Align::Center);
  } else if (!elderly_ && !s.hall.id.empty()) {
    // Below the tiles: the hours and how busy the hall is now, before anyone takes a number.
    // Counted again every 30 s, not on each ticket: a kiosk idle on this page redraws twice a minute, not with every update.
    if (const auto now = Clock::now(); now - home_counts_.at > std::chrono::seconds(30)) {
      home_counts_ = {0, 0, now};
      for (const auto& [key, tk] : s.tickets) home_counts_.waiting += tk.state == TicketState::Waiting;
      for (const auto& [n, w] : s.windows) home_counts_.open += w.state == WindowState::Open;
    }
    const int waiting = home_counts_.waiting, open = home_counts_.open;
    Rect info = aloud ? Rect{gap, H - 160 * u, W - 3 * gap - aloud_w, 130 * u} : Rect{gap, top + float(rows) * (th + gap), W - 2 * gap, 120 * u};
    if (info.bottom() < H - 20 * u) {
      c.fill(info, color::kPanel, 12 * u);
      c.text_in(heading(), info.inset(20 * u), color::kText,
                t()("home.info", {{"opens", s.hall.opens}, {"closes", s.hall.closes}, {"n", std::to_string(waiting)}, {"w", std::to_string(open)}}),
                Align::Center);
    }
  }
}

bool Kiosk::keypad_entry(Canvas& c, Rect area, std::string& text, size_t max, const std::string& hint, std::string& error, const char* go_id,
                         const std::string& go_label, bool ready) {
  const float u = c.u();
  const float gap = 24 * u;
  float y = area.y;
  Rect box{area.x + gap, y, area.w - 2 * gap, 130 * u};
  c.fill(box, color::kText, 12 * u);
  c.text_in(Size::Big, box.inset(20 * u), text.empty() ? color::kHint : color::kGround, text.empty() ? hint : text, Align::Center);
  y += box.h + 10 * u;
  if (!error.empty()) c.text_in(body(), {area.x + gap, y, area.w - 2 * gap, 70 * u}, color::kBad, error, Align::Center);
  y += 80 * u;
  const float pad_w = std::min(area.w - 2 * gap, 900 * u), go_h = 140 * u, left = area.x + (area.w - pad_w) / 2;
  Rect pad{left, y, pad_w, area.bottom() - y - go_h - 3 * gap};
  std::string key = key_grid(c, pad, digit_keys(), 3, Size::Big, key_words());
  if (!key.empty()) edit_text(text, key, max), error.clear();
  return touch_button(c, go_id, {left, area.bottom() - go_h - gap, pad_w, go_h}, busy() ? "…" : go_label, {color::kGood, color::kGround, Size::Big, 18},
                      ready && !busy());
}

void Kiosk::draw_notice(Canvas& c) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  auto lines = c.wrap(heading(), W - 160 * u, notice_);
  float lh = c.fonts().pixels(heading()) * 1.4f, y = H * 0.42f - lh * float(lines.size()) / 2;
  for (const auto& line : lines) c.text_in(heading(), {80 * u, y, W - 160 * u, lh}, color::kText, line, Align::Center), y += lh;
  if (touch_button(c, "back", {W * 0.25f, H * 0.6f, W * 0.5f, 130 * u}, t()("nav.back"), {color::kTile, color::kText, heading(), 16}))
    go(Page::Home);
}

void Kiosk::draw_idle_question(Canvas& c) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  c.text_in(Size::Big, {40 * u, H * 0.25f, W - 80 * u, 120 * u}, color::kGold, t()("idle.still_there"), Align::Center);
  float lh = c.fonts().pixels(heading()) * 1.4f, y = H * 0.25f + 140 * u;
  for (const auto& l : c.wrap(heading(), W - 160 * u, t()("idle.explain")))
    c.text_in(heading(), {80 * u, y, W - 160 * u, lh}, color::kText, l, Align::Center), y += lh;
  float bw = std::min(W * 0.42f, 600 * u), gap = 40 * u;
  y = std::max(y + 40 * u, H * 0.55f);
  if (touch_button(c, "idle_continue", {W / 2 - bw - gap / 2, y, bw, 180 * u}, t()("idle.continue"), {color::kGood, color::kGround, Size::Big, 18}))
    asking_ = false, touched_ = Clock::now();
  if (touch_button(c, "idle_discard", {W / 2 + gap / 2, y, bw, 180 * u}, t()("idle.discard"), {color::kPanelEdge, color::kText, Size::Big, 18}))
    go(Page::Home);
}

// After a rating or complaint went into the outbox: sending, received (or
// refused, and why), or kept on disk for when the bus is back.
void Kiosk::draw_sent(Canvas& c, const std::string& title, const std::string& after_received) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  std::string line = sending_.status;
  ImU32 ink = sending_.ok ? color::kGood : color::kPaused;
  if (sending_.key.empty() && line.empty()) line = t()("send.kept");  // a preview
  if (!sending_.key.empty()) {
    bool late = Clock::now() - sending_.at > std::chrono::seconds(3) || !online();
    if (!sending_.on_disk) {  // the disk refused it: say plainly what that means
      line = late ? t()("send.not_kept") : t()("send.direct");
      ink = late ? color::kBad : color::kMuted;
    } else {
      line = late ? t()("send.kept") : t()("send.sending");
      ink = late ? color::kPaused : color::kMuted;
    }
  }
  c.text_in(Size::Big, {40 * u, H * 0.28f, W - 80 * u, 130 * u}, color::kGold, title, Align::Center);
  float lh = c.fonts().pixels(heading()) * 1.4f, y = H * 0.28f + 160 * u;
  for (const auto& l : c.wrap(heading(), W - 160 * u, line)) c.text_in(heading(), {80 * u, y, W - 160 * u, lh}, ink, l, Align::Center), y += lh;
  if (sending_.ok && !after_received.empty())
    for (const auto& l : c.wrap(body(), W - 160 * u, after_received))
      c.text_in(body(), {80 * u, y + 20 * u, W - 160 * u, lh}, color::kText, l, Align::Center), y += lh;
  if (touch_button(c, "done", {W * 0.2f, H - 200 * u, W * 0.6f, 150 * u}, t()("ticket.done"), {color::kGood, color::kGround, heading(), 18}))
    go(Page::Home);
}

Rect Kiosk::draw_facts(Canvas& c, Rect panel, const std::vector<std::pair<std::string, std::string>>& facts, Size value_size,
                       ImU32 last_ink) {
  const float u = c.u(), lh = c.fonts().pixels(value_size) * 1.5f, label_w = panel.w * 0.3f;
  panel.h = lh * float(facts.size()) + 30 * u;
  c.fill(panel, color::kPanel, 12 * u);
  float y = panel.y + 15 * u;
  for (size_t i = 0; i < facts.size(); ++i, y += lh) {
    const auto& [label, value] = facts[i];
    ImU32 ink = i + 1 == facts.size() ? last_ink : color::kText;
    if (label.empty()) {  // a line of its own, across the panel
      c.text_in(value_size, {panel.x + 24 * u, y, panel.w - 48 * u, lh}, ink, value);
      continue;
    }
    c.text_in(body(), {panel.x + 24 * u, y, label_w, lh}, color::kMuted, label);
    c.text_in(value_size, {panel.x + 24 * u + label_w, y, panel.w - label_w - 48 * u, lh}, ink, value);
  }
  return panel;
}

void Kiosk::page_title(Canvas& c, const std::string& title) {
  const float u = c.u(), W = float(screen().width());
  c.text_in(heading(), {40 * u, content_top(), W - 80 * u, 100 * u}, color::kGold, title, Align::Center);
}

bool Kiosk::pager(Canvas& c, Rect area, int pages) {
  if (pages <= 1) return false;
  const float u = c.u();
  list_page_ = std::clamp(list_page_, 0, pages - 1);
  float bw = std::min(area.w * 0.3f, 320 * u);
  ButtonStyle style{color::kPanelEdge, color::kText, heading(), 16};
  int before = list_page_;
  if (touch_button(c, "prev", {area.x, area.y, bw, area.h}, t()("nav.prev"), style, list_page_ > 0)) --list_page_;
  c.text_in(heading(), {area.x + bw, area.y, area.w - 2 * bw, area.h}, color::kMuted,
            std::to_string(list_page_ + 1) + " / " + std::to_string(pages), Align::Center);
  if (touch_button(c, "next", {area.right() - bw, area.y, bw, area.h}, t()("nav.next"), style, list_page_ + 1 < pages)) ++list_page_;
  return before != list_page_;
}

int Kiosk::draw_list(Canvas& c, Rect area, const std::vector<Row>& rows, int per_page) {
  const float u = c.u(), gap = 18 * u;
  int pages = std::max(1, (int(rows.size()) + per_page - 1) / per_page);
  list_page_ = std::clamp(list_page_, 0, pages - 1);
  float pager_h = pages > 1 ? 120 * u : 0;
  float rh = std::min((area.h - pager_h - gap * float(per_page)) / float(per_page), (elderly_ ? 280 : 220) * u);
  int tapped = -1;
  for (int k = 0; k < per_page; ++k) {
    size_t i = size_t(list_page_ * per_page + k);
    if (i >= rows.size()) break;
    Rect r{area.x, area.y + float(k) * (rh + gap), area.w, rh};
    if (touch_button(c, rows[i].id.c_str(), r, "", {color::kPanel, color::kText, body(), 14})) tapped = int(i);
    c.fill({r.x, r.y, 10 * u, r.h}, color::kAccent, 4 * u);
    bool two = !rows[i].subtitle.empty();
    c.text_in(heading(), {r.x + 36 * u, r.y + (two ? 8 * u : 0), r.w - 60 * u, two ? r.h * 0.55f : r.h}, color::kText, rows[i].title);
    if (two) c.text_in(body(), {r.x + 36 * u, r.y + r.h * 0.55f, r.w - 60 * u, r.h * 0.4f}, color::kMuted, rows[i].subtitle);
  }
  if (rows.empty()) c.text_in(heading(), area.row(0, 120 * u), color::kMuted, t()("list.empty"), Align::Center);
  pager(c, {area.x, area.bottom() - pager_h, area.w, pager_h}, pages);
  return tapped;
}

}  // namespace hall::kiosk
