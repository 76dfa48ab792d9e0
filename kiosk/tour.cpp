// The docs tour: walks a live kiosk through every page as a citizen would
// (injected taps against a running hall server) and saves each page as a
// PNG. deploy/screenshots.sh runs it in both modes and both orientations.
#include "kiosk/tour.h"

#include <algorithm>
#include <cstdio>
#include <functional>

#include "shared/ui/driver.h"

namespace hall::kiosk {

namespace {

struct Tour {
  Kiosk& k;
  std::string dir, suffix;
  bool half = false;
  int saved = 0, missed = 0;

  void settle() {  // frames until nothing is left to draw (new glyphs, an answer on its way)
    ui::drive(k, [&] { return !k.screen().frame_needs_redraw() && !k.busy(); }, 3000);
    k.frame(1);
  }
  void shot(const std::string& name) {
    settle();
    std::string path = dir + "/kiosk-" + name + suffix + ".png";
    if (half ? k.screen().save_png_half(path) : k.screen().save_png(path)) ++saved;
    else std::fprintf(stderr, "hall-kiosk: tour: cannot write %s\n", path.c_str()), ++missed;
  }
  bool tap(const std::string& id) {
    if (ui::tap(k, id)) return true;
    std::fprintf(stderr, "hall-kiosk: tour: no button '%s' on this page\n", id.c_str());
    ++missed;
    return false;
  }
  std::string first(const std::string& prefix) {  // the first drawn button, not greyed, whose id starts with prefix
    k.frame(1);
    for (const auto& b : ui::drawn_buttons())
      if (b.enabled && b.id.rfind(prefix, 0) == 0) return b.id;
    return "";
  }
  // Writes on the pad where the page draws it.
  void write(const std::vector<Corners>& strokes) {
    k.frame(1);
    const ui::DrawnButton* pad = nullptr;
    for (const auto& b : ui::drawn_buttons())
      if (b.id == "hand_pad") pad = &b;
    if (!pad) {
      std::fprintf(stderr, "hall-kiosk: tour: no writing pad on this page\n");
      ++missed;
      return;
    }
    for (const auto& s : strokes) ui::stroke(k, finger_points(s, pad->rect.x, pad->rect.y, pad->rect.w, pad->rect.h));
  }
  void type_keys(const std::string& text) {
    for (char ch : text) tap(ch == ' ' ? std::string("key_space") : std::string("key_") + ch);
  }
};

}  // namespace

int run_tour(Kiosk& k, const std::string& dir, const std::string& suffix, bool half) {
  Tour t{k, dir, suffix, half};
  k.mirror().wait_until([](const HallState& s) { return !s.items.empty(); }, 15000);
  HallState s = k.mirror().copy();
  t.shot("home");
  k.open(Page::Categories);
  t.shot("categories");
  for (const auto& b : (k.frame(1), ui::drawn_buttons())) {
    if (b.id.rfind("cat_", 0) != 0) continue;
    std::string code = b.id.substr(4);
    if (!s.categories.count(code) || s.categories.at(code).lanes.empty()) continue;
    t.tap(b.id);
    break;
  }
  if (k.page() == Page::Lane) {
    t.shot("lane");
    t.tap("lane_normal");
    ui::drive(k, [&] { return k.page() == Page::Ticket; });
    t.shot("ticket");
  }
  k.open(Page::Guide);
  t.shot("guide");
  t.tap("tab_1");
  if (std::string g = t.first("group_"); !g.empty()) t.tap(g);
  t.shot("guide-theme");
  if (std::string i = t.first("item_"); !i.empty()) t.tap(i);
  t.shot("item");
  k.open(Page::Search);
  t.type_keys("QY");
  t.shot("search");
  // A case the hall has: its number on the keypad, then its status.
  std::string number;
  size_t most = 0;
  for (const auto& [n, c] : s.cases)
    if (c.state == CaseState::Accepted && c.steps.size() > most) number = n, most = c.steps.size();
  k.open(Page::Lookup);
  t.type_keys(number);
  t.shot("lookup");
  if (!number.empty()) {
    t.tap("lookup_go");
    ui::drive(k, [&] { return k.page() == Page::CaseResult; });
    t.shot("case");
  }
  // A visit finished a while ago and not rated (the simulator rates most
  // visits right after they finish: the oldest unrated ones stay so).
  std::vector<std::pair<int64_t, std::string>> served;
  HallState now = k.mirror().copy();
  for (const auto& [key, tk] : now.tickets)
    if (tk.state == TicketState::Done && !tk.rated && tk.day == now.hall.day) served.emplace_back(tk.done_ms, tk.number);
  std::sort(served.begin(), served.end());
  k.open(Page::RateEntry);
  bool levels = false;
  for (size_t i = 0; i < served.size() && i < 3 && !levels; ++i) {
    if (i > 0) k.open(Page::RateEntry);
    t.type_keys(served[i].second);
    if (i == 0) t.shot("rate-entry");
    levels = t.tap("rate_next") && k.page() == Page::RateLevels;
  }
  if (levels) {
    t.shot("rate-levels");
    t.tap("level2");
    t.tap("reason0");
    t.tap("reason3");
    t.tap("comment1");
    t.shot("rate-reasons");
    t.tap("rate_write");  // 写几句: their own words, by pinyin
    t.type_keys("CHUANGKOU ");
    t.type_keys("TAISHAO");
    t.shot("rate-comment");
    t.tap("back");
    t.tap("rate_submit");
    ui::drive(k, [&] { return !k.status().empty(); }, 5000);
    t.shot("rate-done");
  } else {
    std::fprintf(stderr, "hall-kiosk: tour: no unrated visit to rate\n");
    ++t.missed;
  }
  k.open(Page::Complaint);
  t.tap("phrase1");
  if (std::string a = t.first("about_"); !a.empty()) t.tap(a);
  t.shot("complaint");
  t.tap("complaint_next");
  t.type_keys("QINGZENGJIA");  // pinyin: the words offered in the bar over the keys
  t.shot("complaint-pinyin");
  t.tap("cand_0");
  t.type_keys("ZHIYIN ");
  t.shot("complaint-text");
  t.tap("ime_hand");  // 手写: 事 written on the pad, the characters offered after its strokes
  t.write(sample_shi());
  t.shot("complaint-handwriting");
  k.ask_now();
  t.shot("idle-question");
  k.open(Page::Policies);
  t.shot("policies");
  if (std::string p = t.first("policy_"); !p.empty()) t.tap(p);
  t.shot("policy");
  // 预约: book a slot of a later day, then look the code up as at check-in.
  if (s.hall.appointments.enabled) {
    k.open(Page::Appointment);
    t.shot("appointment");
    t.tap("book.new");
    t.shot("book-category");
    if (std::string cat = t.first("company"); !cat.empty()) t.tap(cat);
    if (std::string day = t.first("day_"); !day.empty()) {
      std::string later = day;
      for (const auto& b : (k.frame(1), ui::drawn_buttons()))
        if (b.id.rfind("day_", 0) == 0 && b.id > later) { later = b.id; break; }  // tomorrow's or later: every slot open
      t.shot("book-day");
      t.tap(later);
      ui::drive(k, [&] { return k.page() == Page::BookSlot; }, 5000);
    }
    t.shot("book-slot");
    if (std::string slot = t.first("slot_"); !slot.empty()) t.tap(slot);
    t.type_keys("1391234567" + std::to_string(std::hash<std::string>{}(suffix) % 10));  // each run of the tour its own person
    t.shot("book-phone");
    t.tap("book_go");
    ui::drive(k, [&] { return k.page() == Page::BookDone; }, 5000);
    t.shot("book-done");
    std::string code;
    ui::drive(k, [&] { return !k.mirror().copy().bookings.empty(); }, 5000);
    for (const auto& [c, b] : k.mirror().copy().bookings) code = c;
    k.open(Page::Appointment);
    t.tap("book.check_in");
    t.type_keys(code);
    t.shot("check-in");
    t.tap("code_go");
    ui::drive(k, [&] { return k.page() == Page::CheckInConfirm; }, 5000);
    t.shot("check-in-confirm");
  }
  // 呼叫帮办 from the categories page, then cancelled (the tour's request must not send staff walking).
  k.open(Page::Categories);
  t.tap("help");
  ui::drive(k, [&] { return !k.busy() && k.page() == Page::Help; }, 5000);
  t.shot("help");
  t.tap("help_cancel");
  ui::drive(k, [&] { return !k.busy(); }, 5000);
  k.open(Page::Home);
  k.frame(1);
  for (int i = 0; i < 5; ++i) ui::tap_at(k, 40, 40);  // the staff corner
  t.shot("maintenance-pin");
  for (char ch : k.options().maintenance_pin) t.tap(std::string("pin_") + ch);
  t.tap("pin_ok");
  t.shot("maintenance");
  k.open(Page::Home);
  std::printf("tour%s: %d pages saved in %s, %d step(s) missed\n", suffix.c_str(), t.saved, dir.c_str(), t.missed);
  return t.missed == 0 ? 0 : 1;
}

}  // namespace hall::kiosk
