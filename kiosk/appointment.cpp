// 预约: book a later slot (category → day → slot with free places → phone →
// the code on screen and on paper), check in with the code (the kiosk says
// before issuing whether the ticket is in the appointment lane or, late, in
// the normal queue), or cancel. The rules come from the hall (`slots`
// query, hall.appointments) and are stated before a citizen books.
#include "kiosk/keys.h"
#include "kiosk/kiosk.h"
#include "shared/clock.h"
#include "shared/stats.h"
#include "shared/ui/widgets.h"

namespace hall::kiosk {

using namespace ui;

namespace {
std::string hhmm(int64_t ms, int offset) {
  const int m = minute_of_day(ms, offset);
  char b[16];
  std::snprintf(b, sizeof b, "%02d:%02d", m / 60, m % 60);
  return b;
}
}  // namespace

std::string Kiosk::booking_error(const Reply& r) const {
  if (r.code == err::kTimeout) return t()("book.offline");
  for (const char* code : {err::kSlotFull, err::kSlotClosed, err::kBookingExists, err::kBookingCoolDown, err::kUnknownBooking, err::kTooEarly,
                           err::kTooLateToCancel, err::kBookingMissed, err::kAppointmentsOff})
    if (r.code == code) return t()(std::string("book.error.") + code) + (r.code == err::kSlotFull || r.code == err::kBookingCoolDown || r.code == err::kTooEarly
                                                                              ? "（" + r.message.substr(r.message.rfind(':') + 1) + "）" : "");
  return r.message;
}

void Kiosk::draw_appointment(Canvas& c) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  page_title(c, t()("book.title"));
  float gap = 30 * u, y = content_top() + 130 * u;
  const float th = std::min(elderly_ ? 300 * u : 240 * u, (H - y - gap - 2 * gap) / 3);  // all three on the screen, landscape too
  struct { const char* key; Page page; } choices[] = {{"book.new", Page::BookCategory}, {"book.check_in", Page::CheckIn}, {"book.cancel", Page::CheckIn}};
  for (size_t i = 0; i < 3; ++i) {
    Rect r{gap, y + float(i) * (th + gap), W - 2 * gap, th};
    if (touch_button(c, choices[i].key, r, t()(choices[i].key), {i == 1 ? color::kGood : color::kTile, i == 1 ? color::kGround : color::kText,
                                                                 elderly_ ? Size::Huge : Size::Big, 18})) {
      booking_ = {};
      booking_.cancelling = i == 2;
      go(choices[i].page);
    }
  }
}

void Kiosk::draw_book_category(Canvas& c, const HallState& s) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  page_title(c, t()("book.choose_category"));
  std::vector<Row> rows;
  for (const auto& [code, cat] : s.categories)
    if (offers_appointments(s, code)) rows.push_back({code, cat.prefix + "  " + cat.name, cat.department});
  if (rows.empty()) {
    c.text_in(heading(), {40 * u, H * 0.4f, W - 80 * u, 120 * u}, color::kMuted, t()("book.none"), Align::Center);
    return;
  }
  float top = content_top() + 110 * u;
  int tapped = draw_list(c, {24 * u, top, W - 48 * u, H - top - 40 * u}, rows, elderly_ ? 4 : 7);
  if (tapped >= 0) booking_.category = rows[size_t(tapped)].id, go(Page::BookDay);
}

void Kiosk::draw_book_day(Canvas& c, const HallState& s) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  page_title(c, t()("book.choose_day"));
  auto today = parse_day(s.hall.day);
  if (!today) return;
  std::vector<std::string> days;
  for (int i = 0; i <= s.hall.appointments.days_ahead; ++i)
    if (s.calendar.is_working_day(*today + std::chrono::days{i})) days.push_back(format_day(*today + std::chrono::days{i}));
  const int columns = elderly_ && W < H ? 1 : 2, shown = int(std::min(days.size(), size_t(elderly_ ? 5 : 10)));
  const int rows = std::max(1, (shown + columns - 1) / columns);
  float gap = 24 * u, y = content_top() + 110 * u;
  const float th = std::min(elderly_ ? 170 * u : 150 * u, (H - y - gap - gap * float(rows - 1)) / float(rows));  // every day on the screen
  float tw = (W - gap * float(columns + 1)) / float(columns);
  static const char* weekday_keys[] = {"day.sun", "day.mon", "day.tue", "day.wed", "day.thu", "day.fri", "day.sat"};
  for (size_t i = 0; i < size_t(shown); ++i) {
    Rect r{gap + float(i % columns) * (tw + gap), y + float(i / columns) * (th + gap), tw, th};
    const int wd = std::chrono::weekday(*parse_day(days[i])).c_encoding();
    std::string label = days[i].substr(5) + "  " + t()(weekday_keys[wd]) + (i == 0 && days[i] == s.hall.day ? " · " + t()("book.today") : "");
    std::string id = "day_" + days[i];
    if (touch_button(c, id.c_str(), r, label, {color::kTile, color::kText, elderly_ ? Size::Big : Size::Title, 16}, !busy())) {
      booking_.day = days[i];
      booking_.slots = json();
      booking_.error.clear();
      const std::string cat = booking_.category, day = days[i];
      worker_.post([this, cat, day]() -> std::function<void()> {
        Reply r = client_.call("slots", {{"category", cat}, {"day", day}});
        return [this, r] {
          if (page_ != Page::BookDay) return;
          if (!r.ok) {
            booking_.error = booking_error(r);
            return;
          }
          booking_.slots = r.result;
          go(Page::BookSlot);
        };
      });
    }
  }
  if (!booking_.error.empty()) c.text_in(body(), {gap, float(screen().height()) - 140 * u, W - 2 * gap, 100 * u}, color::kBad, booking_.error, Align::Center);
}

void Kiosk::draw_book_slot(Canvas& c) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  page_title(c, t()("book.choose_slot", {{"day", booking_.day}}));
  const json slots = booking_.slots.value("slots", json::array());
  const int columns = elderly_ ? 2 : (W > H ? 4 : 3);
  float gap = 20 * u, th = elderly_ ? 200 * u : 130 * u, y = content_top() + 110 * u;
  float tw = (W - gap * float(columns + 1)) / float(columns);
  int per_page = columns * int((H - y - 200 * u) / (th + gap));
  int first = list_page_ * per_page;
  for (int i = first; i < int(slots.size()) && i < first + per_page; ++i) {
    const json& sl = slots[size_t(i)];
    int k = i - first;
    Rect r{gap + float(k % columns) * (tw + gap), y + float(k / columns) * (th + gap), tw, th};
    const bool open = sl.value("open", false);
    std::string sub = open ? t()("book.free", {{"n", std::to_string(sl.value("free", 0))}}) : t()("book.slot." + sl.value("why_not", std::string("past")));
    std::string id = "slot_" + sl.value("slot", std::string());
    if (touch_button(c, id.c_str(), r, "", {open ? color::kTile : color::kDisabled, color::kText, body(), 14}, open)) {
      booking_.slot = sl.value("slot", "");
      booking_.phone.clear();
      booking_.error.clear();
      go(Page::BookPhone);
    }
    c.text_in(heading(), {r.x, r.y + 8 * u, r.w, r.h * 0.55f}, open ? color::kText : color::kMuted, sl.value("slot", ""), Align::Center);
    c.text_in(body(), {r.x, r.y + r.h * 0.55f, r.w, r.h * 0.4f}, open ? color::kGood : color::kMuted, sub, Align::Center);
  }
  pager(c, {gap, H - 150 * u, W - 2 * gap, 130 * u}, (int(slots.size()) + per_page - 1) / std::max(1, per_page));
}

void Kiosk::draw_book_phone(Canvas& c, const HallState& s) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  page_title(c, t()("book.phone"));
  const AppointmentRules& rules = s.hall.appointments;
  float gap = 24 * u, y = content_top() + 100 * u;
  const std::string cat = s.categories.count(booking_.category) ? s.categories.at(booking_.category).name : booking_.category;
  c.text_in(body(), {gap, y, W - 2 * gap, 60 * u}, color::kGold, cat + " · " + booking_.day + " " + booking_.slot, Align::Center);
  y += 70 * u;
  // The rules, before the citizen books: when to come, cancelling, what missed bookings cost.
  // Landscape: the rules on the left, the keypad on the right, so its keys keep their size.
  const bool wide = W > H;
  const float rules_w = wide ? W * 0.45f - gap : W - 2 * gap;
  std::string rules_text = t()("book.rules", {{"early", std::to_string(rules.early_minutes)}, {"late", std::to_string(rules.late_minutes)},
                                               {"cancel", std::to_string(rules.cancel_before_minutes)}, {"limit", std::to_string(rules.no_show_limit)},
                                               {"days", std::to_string(rules.no_show_days)}, {"cool", std::to_string(rules.cool_down_days)}});
  auto lines = c.wrap(body(), rules_w - 40 * u, rules_text);
  float lh = c.fonts().pixels(body()) * 1.35f;
  Rect panel{gap, y, rules_w, lh * float(lines.size()) + 30 * u};
  c.fill(panel, color::kPanel, 12 * u);
  float ly = y + 15 * u;
  for (const auto& line : lines) c.text_in(body(), {gap + 20 * u, ly, rules_w - 40 * u, lh}, color::kText, line), ly += lh;
  const Rect keys = wide ? Rect{W * 0.45f, y, W * 0.55f, H - y} : below(panel.bottom() + 20 * u);
  if (keypad_entry(c, keys, booking_.phone, 11, t()("book.phone_hint"), booking_.error, "book_go", t()("book.confirm"),
                   booking_.phone.size() == 11 && booking_.phone[0] == '1')) {
    if (booking_.try_key.empty()) booking_.try_key = "kiosk-book-" + std::to_string(wall_ms()) + "-" + booking_.phone;
    json args{{"category", booking_.category}, {"day", booking_.day}, {"slot", booking_.slot}, {"phone", booking_.phone}, {"channel", "kiosk"}};
    const std::string key_used = booking_.try_key;
    worker_.post([this, args, key_used]() -> std::function<void()> {
      Reply r = client_.call("book", args, key_used);
      return [this, r] {
        if (page_ != Page::BookPhone) return;
        booking_.try_key.clear();
        if (!r.ok) {
          booking_.error = booking_error(r);
          return;
        }
        booking_.booked = r.result["booking"];
        booking_.phone.clear();  // the number leaves the screen once the booking is made
        go(Page::BookDone);
        print_booking();
      };
    });
  }
}

void Kiosk::print_booking() {
  print_status_.clear();
  if (o_.printer.empty()) return;
  const HallState& s = runner_.state();
  Receipt receipt;
  receipt.hall = s.hall.name;
  receipt.number = booking_.booked.value("code", "");
  receipt.category = zh_("book.receipt_title");
  const std::string cat = booking_.booked.value("category", "");
  receipt.lines.push_back(s.categories.count(cat) ? s.categories.at(cat).name : cat);
  receipt.lines.push_back(booking_.booked.value("day", "") + " " + booking_.booked.value("slot", ""));
  receipt.lines.push_back(zh_("book.receipt_come", {{"early", std::to_string(s.hall.appointments.early_minutes)}}));
  receipt.qr = booking_.booked.value("code", "");
  std::string error = send_to_printer(o_.printer, encode_receipt(receipt));
  print_status_ = error.empty() ? t()("ticket.printed") : t()("ticket.print_failed");
  print_failed_ = !error.empty();
}

void Kiosk::draw_book_done(Canvas& c, const HallState& s) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  const json& b = booking_.booked;
  c.text_in(heading(), {0, content_top() + 60 * u, W, 90 * u}, color::kMuted, t()("book.done"), Align::Center);
  c.text_in(Size::Huge, {0, content_top() + 160 * u, W, 200 * u}, color::kGold, b.value("code", ""), Align::Center);
  const std::string cat = b.value("category", "");
  std::vector<std::string> lines{s.categories.count(cat) ? s.categories.at(cat).name : cat, b.value("day", "") + " " + b.value("slot", ""),
                                 t()("book.come", {{"early", std::to_string(s.hall.appointments.early_minutes)}})};
  float y = content_top() + 400 * u;
  for (const auto& line : lines) {
    for (const auto& part : c.wrap(heading(), W - 80 * u, line)) {
      c.text_in(heading(), {40 * u, y, W - 80 * u, 80 * u}, color::kText, part, Align::Center);
      y += 90 * u;
    }
  }
  if (!print_status_.empty()) c.text_in(body(), {40 * u, y, W - 80 * u, 70 * u}, color::kGood, print_status_, Align::Center);
  if (touch_button(c, "done", {W * 0.2f, H - 200 * u, W * 0.6f, 150 * u}, t()("ticket.done"), {color::kGood, color::kGround, heading(), 18}))
    go(Page::Home);
}

// The code on a keypad → what the hall says about it → check in (or cancel).
void Kiosk::draw_check_in(Canvas& c) {
  const float u = c.u();
  page_title(c, t()(booking_.cancelling ? "book.cancel" : "book.check_in"));
  if (keypad_entry(c, below(content_top() + 110 * u), booking_.code, 8, t()("book.code_hint"), booking_.error, "code_go", t()("book.look"),
                   booking_.code.size() == 8)) {
    const std::string code = booking_.code;
    worker_.post([this, code]() -> std::function<void()> {
      Reply r = client_.call("booking", {{"code", code}});
      return [this, r] {
        if (page_ != Page::CheckIn) return;
        if (!r.ok) {
          booking_.error = booking_error(r);
          return;
        }
        booking_.found = r.result;
        go(Page::CheckInConfirm);
      };
    });
  }
}

void Kiosk::draw_check_in_confirm(Canvas& c, const HallState& s) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  const json& b = booking_.found["booking"];
  const std::string arrival = booking_.found.value("arrival", "");
  const std::string state = b.value("state", "");
  page_title(c, t()("book.yours", {{"code", b.value("code", "")}}));
  const int offset = s.hall.utc_offset_minutes;
  std::string what = booking_.found.value("item_name", booking_.found.value("category_name", ""));
  std::string verdict, detail;
  ImU32 ink = color::kGood;
  bool can_go = false;
  if (state == "cancelled") verdict = t()("book.state.cancelled"), ink = color::kMuted;
  else if (state == "checked_in") verdict = t()("book.state.checked_in"), ink = color::kMuted;
  else if (state == "no_show" || arrival == "missed") verdict = t()("book.missed"), detail = t()("book.missed_detail"), ink = color::kBad;
  else if (booking_.cancelling) verdict = t()("book.cancel_ask"), can_go = true, ink = color::kPaused;
  else if (arrival == "early")
    verdict = t()("book.early", {{"at", hhmm(booking_.found.value("check_in_from_ms", int64_t(0)), offset)}}), ink = color::kPaused;
  else if (arrival == "on_time") verdict = t()("book.on_time"), detail = t()("book.on_time_detail"), can_go = true;
  else verdict = t()("book.late"), detail = t()("book.late_detail"), ink = color::kPaused, can_go = true;  // said before the ticket prints
  std::vector<std::pair<std::string, std::string>> facts{{t()("book.what"), what}, {t()("book.when"), b.value("day", "") + " " + b.value("slot", "")},
                                                         {"", verdict}};
  if (!detail.empty()) facts.push_back({"", detail});
  float gap = 24 * u;
  draw_facts(c, {gap, content_top() + 110 * u, W - 2 * gap, 0}, facts, heading(), ink);
  if (!booking_.error.empty()) c.text_in(body(), {gap, H - 380 * u, W - 2 * gap, 80 * u}, color::kBad, booking_.error, Align::Center);
  float bw = (W - 3 * gap) / 2;
  if (touch_button(c, "back", {gap, H - 150 * u - gap, bw, 150 * u}, t()("nav.back"), {color::kPanelEdge, color::kText, heading(), 16}))
    booking_.code.clear(), go(Page::CheckIn);
  const char* label = booking_.cancelling ? "book.cancel_go" : arrival == "late" ? "book.take_late" : "book.take";
  if (touch_button(c, "check_in_go", {2 * gap + bw, H - 150 * u - gap, bw, 150 * u}, busy() ? "…" : t()(label),
                   {booking_.cancelling ? color::kBad : color::kGood, color::kGround, heading(), 16}, can_go && !busy())) {
    const std::string code = b.value("code", "");
    const bool cancelling = booking_.cancelling;
    worker_.post([this, code, cancelling]() -> std::function<void()> {
      Reply r = client_.call(cancelling ? "cancel_booking" : "check_in", {{"code", code}}, std::string(cancelling ? "kiosk-cancel-" : "kiosk-check-in-") + code);
      return [this, r, cancelling] {
        if (!r.ok) {
          booking_.error = booking_error(r);
          return;
        }
        if (cancelling) {
          notice_ = t()("book.cancelled");
          go(Page::Notice);
          return;
        }
        ticket_answered(r);  // shown and printed as any ticket
      };
    });
  }
}

}  // namespace hall::kiosk
