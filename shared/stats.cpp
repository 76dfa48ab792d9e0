#include "shared/stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "shared/clock.h"

namespace hall {

void Score::add(int level) {
  ++total;
  if (is_good(level)) ++good;
  if (is_bad(level)) ++bad;
}

std::string percent_text(double f) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", f * 100);
  return buf;
}

int64_t percentile(std::vector<int64_t> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t rank = size_t(std::ceil(p * values.size()));
  return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

static int64_t mean(const std::vector<int64_t>& v) {
  if (v.empty()) return 0;
  int64_t sum = 0;
  for (auto x : v) sum += x;
  return sum / int64_t(v.size());
}

namespace {

struct QueueTimes {
  std::vector<int64_t> waits, services;
};

// Open windows able to call from a category.
int open_windows_for(const HallState& s, const Category& cat) {
  int n = 0;
  for (int w : cat.windows) {
    auto it = s.windows.find(w);
    if (it != s.windows.end() && it->second.state == WindowState::Open) ++n;
  }
  return n;
}

int64_t estimate(int ahead, int64_t mean_service_ms, int open_windows) {
  if (open_windows <= 0) return -1;
  return int64_t(double(ahead) * mean_service_ms / open_windows);
}

}  // namespace

QueueDigest digest_queues(const HallState& s) {
  QueueDigest d;
  std::map<std::string, std::vector<const Ticket*>> waiting;
  std::map<int, std::vector<const Ticket*>> targeted;
  std::map<std::string, std::vector<int64_t>> services;
  for (const auto& [key, t] : s.tickets) {
    if (t.state == TicketState::Waiting) (t.target_window ? targeted[t.target_window] : waiting[t.category]).push_back(&t);
    if (t.day == s.hall.day && t.state == TicketState::Done) services[t.category].push_back(std::max<int64_t>(0, service_ms(t)));
  }
  auto in_order = [&d](std::vector<const Ticket*>& list) {
    std::sort(list.begin(), list.end(), [](const Ticket* a, const Ticket* b) { return called_before(*a, *b); });
    std::vector<std::string> keys;
    for (const Ticket* t : list) {
      d.place[t->key] = int(keys.size());
      keys.push_back(t->key);
    }
    return keys;
  };
  for (const auto& [code, cat] : s.categories) {
    QueueDigest::Line& line = d.categories[code];
    line.waiting = in_order(waiting[code]);
    const auto& done = services[code];
    line.service_ms = done.empty() ? int64_t(cat.default_service_s) * 1000 : mean(done);
    line.open_windows = open_windows_for(s, cat);
  }
  for (auto& [window, list] : targeted) d.transferred_to[window] = in_order(list);
  return d;
}

TicketProgress ticket_progress(const HallState& s, const QueueDigest& d, const std::string& key) {
  TicketProgress p;
  auto it = s.tickets.find(key);
  if (it == s.tickets.end()) return p;
  const Ticket& t = it->second;
  p.found = true;
  p.key = t.key;
  p.number = t.number;
  p.day = t.day;
  p.category = t.category;
  if (auto c = s.categories.find(t.category); c != s.categories.end()) p.category_name = c->second.name;
  if (auto i = s.items.find(t.item); i != s.items.end()) p.item_name = i->second.name;
  p.state = t.state;
  p.window = t.window;
  p.recalls = t.recalls;
  p.called_ms = t.called_ms;
  p.rated = t.rated;
  if (t.state != TicketState::Waiting) return p;
  auto line = d.categories.find(t.category);
  if (auto at = d.place.find(t.key); at != d.place.end()) p.ahead = at->second;
  if (t.target_window) {
    auto w = s.windows.find(t.target_window);
    const bool open = w != s.windows.end() && w->second.state == WindowState::Open;
    p.estimated_wait_ms = line == d.categories.end() ? -1 : estimate(p.ahead, line->second.service_ms, open ? 1 : 0);
  } else if (line != d.categories.end()) {
    p.estimated_wait_ms = estimate(p.ahead, line->second.service_ms, line->second.open_windows);
  }
  return p;
}

// Approval time: limits from the catalogue, actual days from cases.
ApprovalTally approval_tally(const HallState& s, Day today, const std::function<bool(const Case&)>& include) {
  ApprovalTally t;
  std::map<std::string, std::vector<int64_t>> actual_by_item, actual_by_department;
  std::vector<int64_t> actual_all;
  t.all.name = s.hall.name;
  for (const auto& [code, item] : s.items) {
    auto& it = t.items[code];
    it.name = item.name;
    auto& dep = t.departments[item.department];
    dep.name = item.department;
    for (auto* a : {&it, &dep, &t.all}) {
      ++a->items;
      a->legal_days += item.legal_days;
      a->promised_days += item.promised_days;
    }
  }
  for (const auto& [number, c] : s.cases) {
    if (!include(c)) continue;
    auto item_it = t.items.find(c.item);
    ApprovalFigures* targets[3] = {item_it == t.items.end() ? nullptr : &item_it->second, &t.departments[c.department], &t.all};
    if (targets[1]->name.empty()) targets[1]->name = c.department;
    for (auto* a : targets) {
      if (!a) continue;
      if (c.state == CaseState::Finished) {
        ++a->finished;
        if (c.actual_days < c.promised_days) ++a->early;
        if (c.actual_days == 0) ++a->on_the_spot;
      } else {
        ++a->open;
        auto due = parse_day(c.due_day);
        if (due && *due < today) ++a->overdue;
      }
    }
    if (c.state == CaseState::Finished) {
      actual_all.push_back(c.actual_days);
      actual_by_item[c.item].push_back(c.actual_days);
      actual_by_department[c.department].push_back(c.actual_days);
    }
  }
  auto finish = [](ApprovalFigures& a, const std::vector<int64_t>& actual) {
    a.compression = a.legal_days ? double(a.legal_days - a.promised_days) / a.legal_days : 0.0;
    if (!actual.empty()) {
      double sum = 0;
      for (auto d : actual) sum += double(d);
      a.mean_actual_days = sum / double(actual.size());
    }
    a.early_rate = a.finished ? double(a.early) / a.finished : 0.0;
  };
  for (auto& [code, a] : t.items) finish(a, actual_by_item[code]);
  for (auto& [name, a] : t.departments) finish(a, actual_by_department[name]);
  finish(t.all, actual_all);
  return t;
}

HallStats compute_stats(const HallState& s, int64_t now_ms) {
  HallStats st;
  st.day = s.hall.day;
  const int offset = s.hall.utc_offset_minutes;
  const Day today = parse_day(s.hall.day).value_or(day_of(now_ms, offset));
  const std::string month = format_day(today).substr(0, 7);

  std::map<std::string, QueueTimes> times;
  std::map<std::string, int> waiting;  // per category, whatever the ticket's day
  std::vector<int64_t> all_waits, all_services;
  for (const auto& [key, t] : s.tickets) {
    if (t.state == TicketState::Waiting) ++waiting[t.category];
    if (t.day != st.day) continue;
    ++st.today.issued;
    int hour = minute_of_day(t.issued_ms, offset) / 60;
    if (hour >= 0 && hour < 24) ++st.arrivals_by_hour[hour];
    if (t.transfers > 0) ++st.today.transferred;
    switch (t.state) {
      case TicketState::Waiting: ++st.today.waiting; break;
      case TicketState::Called:
      case TicketState::Serving: ++st.today.in_service; break;
      case TicketState::Done: ++st.today.served; break;
      case TicketState::NoShow: ++st.today.no_show; break;
    }
    if (t.called_ms > 0) {
      times[t.category].waits.push_back(t.wait_ms);
      all_waits.push_back(t.wait_ms);
    }
    if (t.state == TicketState::Done) {
      int64_t service = std::max<int64_t>(0, service_ms(t));
      times[t.category].services.push_back(service);
      all_services.push_back(service);
    }
  }
  st.today.mean_wait_ms = mean(all_waits);
  st.today.mean_service_ms = mean(all_services);

  for (const auto& [n, w] : s.windows) {
    if (w.state == WindowState::Open) ++st.today.windows_open;
    else if (w.state == WindowState::Paused) ++st.today.windows_paused;
    else ++st.today.windows_closed;
  }

  for (const auto& [code, cat] : s.categories) {
    QueueFigures q;
    q.code = code;
    q.name = cat.name;
    q.prefix = cat.prefix;
    q.waiting = waiting[code];
    q.open_windows = open_windows_for(s, cat);
    const auto& qt = times[code];
    q.mean_wait_ms = mean(qt.waits);
    q.p90_wait_ms = percentile(qt.waits, 0.9);
    q.mean_service_ms = mean(qt.services);
    q.p90_service_ms = percentile(qt.services, 0.9);
    int64_t service = qt.services.empty() ? int64_t(cat.default_service_s) * 1000 : q.mean_service_ms;
    q.estimated_wait_ms = estimate(q.waiting, service, q.open_windows);
    st.queues.push_back(q);
  }

  std::sort(st.queues.begin(), st.queues.end(), [](const QueueFigures& a, const QueueFigures& b) { return a.prefix < b.prefix; });

  for (const auto& [key, r] : s.ratings) {
    bool is_today = r.day == st.day;
    bool is_month = r.day.substr(0, 7) == month;
    if (is_today) {
      ++st.today.ratings;
      if (is_bad(r.level)) ++st.today.bad_ratings;
      st.hall_today.add(r.level);
      if (r.window) st.window_today[r.window].add(r.level);
      if (!r.staff_id.empty()) st.staff_today[r.staff_id].add(r.level);
      if (!r.department.empty()) st.department_today[r.department].add(r.level);
    }
    if (is_month) {
      st.hall_month.add(r.level);
      if (r.window) st.window_month[r.window].add(r.level);
      if (!r.staff_id.empty()) st.staff_month[r.staff_id].add(r.level);
      if (!r.department.empty()) st.department_month[r.department].add(r.level);
    }
  }

  for (const auto& [key, f] : s.followups) {
    ++st.followups.bad_total;
    if (f.state == FollowUpState::Closed) {
      ++st.followups.closed;
      continue;
    }
    ++st.followups.open;
    switch (followup_urgency(f, s, format_day(today))) {
      case FollowUpUrgency::Overdue: ++st.followups.overdue; break;
      case FollowUpUrgency::DueSoon: ++st.followups.due_soon; break;
      case FollowUpUrgency::None: break;
    }
  }
  if (st.followups.bad_total) st.followups.closed_rate = double(st.followups.closed) / st.followups.bad_total;

  // 预约 of today: bookings, check-ins, no-shows and the lane's promise.
  for (const auto& [code, b] : s.bookings) {
    if (b.day != st.day) continue;
    for (AppointmentFigures* f : {&st.appointments, &st.appointments_by_category[b.category]}) {
      if (b.state == BookingState::Cancelled) {
        ++f->cancelled;
        continue;
      }
      ++f->bookings;
      if (b.state == BookingState::NoShow) ++f->no_show;
      if (b.state != BookingState::CheckedIn) continue;
      ++f->checked_in;
      if (b.late) {
        ++f->late;
        continue;
      }
      ++f->on_time;
      const int64_t deadline = b.start_ms + int64_t(s.hall.appointments.promise_minutes) * 60'000;
      auto t = s.tickets.find(b.ticket);
      const int64_t called = t == s.tickets.end() ? 0 : t->second.called_ms;
      if (called > 0 || now_ms > deadline) ++f->promise_due;
      if (called > 0 && called <= deadline) ++f->promise_kept;
    }
  }
  auto rates = [](AppointmentFigures& f) {
    if (f.checked_in + f.no_show) f.no_show_rate = double(f.no_show) / (f.checked_in + f.no_show);
    if (f.promise_due) f.promise_rate = double(f.promise_kept) / f.promise_due;
  };
  rates(st.appointments);
  for (auto& [code, f] : st.appointments_by_category) rates(f);

  // 帮办: how many asked, how fast staff answered (asked → taken).
  std::vector<int64_t> answers;
  for (const auto& [id, h] : s.helps) {
    if (h.day != st.day) continue;
    ++st.help.asked;
    if (h.state == HelpState::Open) ++st.help.open, st.help.longest_open_ms = std::max(st.help.longest_open_ms, now_ms - h.asked_ms);
    else if (h.state == HelpState::Taken) ++st.help.taken;
    else if (h.state == HelpState::Done) ++st.help.done;
    else ++st.help.cancelled;
    if (h.taken_ms > 0) answers.push_back(h.taken_ms - h.asked_ms);
  }
  st.help.answered = int(answers.size());
  st.help.answer_p50_ms = percentile(answers, 0.5);
  st.help.answer_p90_ms = percentile(answers, 0.9);

  ApprovalTally approval = approval_tally(s, today, [](const Case&) { return true; });
  st.items = std::move(approval.items);
  st.departments = std::move(approval.departments);
  st.approval = std::move(approval.all);
  return st;
}

FollowUpUrgency followup_urgency(const FollowUp& f, const HallState& s, const std::string& today_text) {
  if (f.state == FollowUpState::Closed) return FollowUpUrgency::None;
  auto due = parse_day(f.due_day);
  auto today = parse_day(today_text);
  if (!due || !today) return FollowUpUrgency::None;
  if (*due < *today) return FollowUpUrgency::Overdue;
  if (*due <= s.calendar.add_working_days(*today, 1)) return FollowUpUrgency::DueSoon;
  return FollowUpUrgency::None;
}

double department_score(const HallStats& st, const std::string& department) {
  auto score = st.department_month.find(department);
  double good = score == st.department_month.end() ? 0 : score->second.good_rate();
  auto a = st.departments.find(department);
  if (a == st.departments.end()) return good * 0.6;
  return good * 0.6 + a->second.compression * 0.4 - 0.02 * a->second.overdue;
}

json score_json(const Score& s) {
  return json{{"total", s.total}, {"good", s.good}, {"bad", s.bad}, {"good_rate", s.good_rate()}};
}

template <class Map>
static json scores_json(const Map& m) {
  json j = json::object();
  for (const auto& [k, v] : m) j[json(k).is_string() ? json(k).get<std::string>() : std::to_string(json(k).get<int>())] = score_json(v);
  return j;
}

json approval_json(const ApprovalFigures& a) {
  return json{{"name", a.name},           {"items", a.items},
              {"legal_days", a.legal_days}, {"promised_days", a.promised_days},
              {"compression", a.compression}, {"finished", a.finished},
              {"mean_actual_days", a.mean_actual_days}, {"early", a.early},
              {"early_rate", a.early_rate}, {"open", a.open},
              {"overdue", a.overdue},       {"on_the_spot", a.on_the_spot}};
}

json to_json(const HallStats& st) {
  json j;
  j["day"] = st.day;
  const auto& t = st.today;
  j["today"] = {{"issued", t.issued},       {"waiting", t.waiting},       {"in_service", t.in_service},
                {"served", t.served},       {"no_show", t.no_show},       {"transferred", t.transferred},
                {"ratings", t.ratings},     {"bad_ratings", t.bad_ratings}, {"windows_open", t.windows_open},
                {"mean_wait_ms", t.mean_wait_ms}, {"mean_service_ms", t.mean_service_ms},
                {"windows_paused", t.windows_paused}, {"windows_closed", t.windows_closed}};
  j["queues"] = json::array();
  for (const auto& q : st.queues)
    j["queues"].push_back({{"code", q.code}, {"name", q.name}, {"prefix", q.prefix}, {"waiting", q.waiting},
                           {"open_windows", q.open_windows}, {"mean_wait_ms", q.mean_wait_ms},
                           {"p90_wait_ms", q.p90_wait_ms}, {"mean_service_ms", q.mean_service_ms},
                           {"p90_service_ms", q.p90_service_ms}, {"estimated_wait_ms", q.estimated_wait_ms}});
  j["ratings"] = {{"hall_today", score_json(st.hall_today)},
                  {"hall_month", score_json(st.hall_month)},
                  {"window_today", scores_json(st.window_today)},
                  {"window_month", scores_json(st.window_month)},
                  {"staff_today", scores_json(st.staff_today)},
                  {"staff_month", scores_json(st.staff_month)},
                  {"department_today", scores_json(st.department_today)},
                  {"department_month", scores_json(st.department_month)}};
  j["followups"] = {{"bad_total", st.followups.bad_total}, {"open", st.followups.open},
                    {"closed", st.followups.closed},       {"overdue", st.followups.overdue},
                    {"due_soon", st.followups.due_soon},   {"closed_rate", st.followups.closed_rate}};
  auto appointment_json = [](const AppointmentFigures& f) {
    return json{{"bookings", f.bookings},     {"checked_in", f.checked_in}, {"on_time", f.on_time},           {"late", f.late},
                {"no_show", f.no_show},       {"cancelled", f.cancelled},   {"no_show_rate", f.no_show_rate}, {"promise_due", f.promise_due},
                {"promise_kept", f.promise_kept}, {"promise_rate", f.promise_rate}};
  };
  j["appointments"] = {{"hall", appointment_json(st.appointments)}, {"categories", json::object()}};
  for (const auto& [code, f] : st.appointments_by_category) j["appointments"]["categories"][code] = appointment_json(f);
  j["help"] = {{"asked", st.help.asked},       {"open", st.help.open},         {"taken", st.help.taken},
               {"done", st.help.done},         {"cancelled", st.help.cancelled}, {"answered", st.help.answered},
               {"answer_p50_ms", st.help.answer_p50_ms}, {"answer_p90_ms", st.help.answer_p90_ms}, {"longest_open_ms", st.help.longest_open_ms}};
  j["approval"] = {{"departments", json::object()}, {"items", json::object()}, {"hall", approval_json(st.approval)}};
  for (const auto& [k, a] : st.departments) j["approval"]["departments"][k] = approval_json(a);
  for (const auto& [k, a] : st.items) j["approval"]["items"][k] = approval_json(a);
  j["arrivals_by_hour"] = st.arrivals_by_hour;
  return j;
}

std::string wait_minutes_text(int64_t ms) {
  if (ms < 0) return "—";
  int64_t m = (ms + 59'999) / 60'000;
  if (m <= 1) return "1 分钟内";
  return "约 " + std::to_string(m) + " 分钟";
}

bool within_opening_hours(const HallState& s, int64_t now_ms) {
  auto hhmm = [](const std::string& t) { return t.size() == 5 ? std::stoi(t.substr(0, 2)) * 60 + std::stoi(t.substr(3, 2)) : 0; };
  const int m = minute_of_day(now_ms, s.hall.utc_offset_minutes);
  return m >= hhmm(s.hall.opens) && m < hhmm(s.hall.closes);
}

RemoteOffer remote_offer(const HallState& s, const std::string& code, int64_t now_ms) {
  RemoteOffer o;
  auto cat = s.categories.find(code);
  if (cat == s.categories.end()) {
    o.why_not = "unknown_category";
    return o;
  }
  auto hhmm = [](const std::string& t) { return t.size() == 5 ? std::stoi(t.substr(0, 2)) * 60 + std::stoi(t.substr(3, 2)) : 0; };
  const int opens = hhmm(s.hall.opens), closes = hhmm(s.hall.closes);
  const int day_visits = std::max(0, closes - opens) * 60 / std::max(60, cat->second.default_service_s);
  o.quota = int(s.hall.remote_share * day_visits * int(cat->second.windows.size()));
  for (const auto& [key, t] : s.tickets) o.taken += t.remote && t.day == s.hall.day && t.category == code;
  const int now = minute_of_day(now_ms, s.hall.utc_offset_minutes);
  if (s.hall.remote_share <= 0) o.why_not = "off";
  else if (now < opens || now >= closes) o.why_not = "closed";
  else if (now >= closes - s.hall.remote_stop_min) o.why_not = "closing";
  else if (o.taken >= o.quota) o.why_not = "full";
  o.allowed = o.why_not.empty();
  return o;
}

bool offers_appointments(const HallState& s, const std::string& code) {
  auto cat = s.categories.find(code);
  return s.hall.appointments.enabled && cat != s.categories.end() &&
         std::find(cat->second.lanes.begin(), cat->second.lanes.end(), Lane::Appointment) != cat->second.lanes.end();
}

int slot_capacity(const HallState& s, const std::string& code) {
  auto cat = s.categories.find(code);
  if (cat == s.categories.end()) return 0;
  const AppointmentRules& r = s.hall.appointments;
  const double visits = double(r.slot_minutes) * 60.0 / std::max(60, cat->second.default_service_s) * double(cat->second.windows.size());
  return int((1.0 - r.walk_in_share) * visits + 1e-9);
}

std::vector<Slot> day_slots(const HallState& s, const std::string& code, const std::string& day_text, int64_t now_ms, std::string* why) {
  std::vector<Slot> out;
  auto say = [&](const char* w) {
    if (why) *why = w;
    return out;
  };
  if (!offers_appointments(s, code)) return say("no_appointments");
  auto day = parse_day(day_text);
  if (!day || format_day(*day) != day_text) return say("bad_day");
  const AppointmentRules& r = s.hall.appointments;
  const Day today = parse_day(s.hall.day).value_or(day_of(now_ms, s.hall.utc_offset_minutes));
  if (*day < today || *day > today + std::chrono::days{r.days_ahead}) return say("out_of_range");
  if (!s.calendar.is_working_day(*day)) return say("not_a_working_day");
  auto hhmm = [](const std::string& t) { return t.size() == 5 ? std::stoi(t.substr(0, 2)) * 60 + std::stoi(t.substr(3, 2)) : 0; };
  const int capacity = slot_capacity(s, code);
  std::map<std::string, int> booked;
  for (const auto& [c, b] : s.bookings)
    if (b.category == code && b.day == day_text && b.state != BookingState::Cancelled) ++booked[b.slot];
  for (int m = hhmm(s.hall.opens); m + r.slot_minutes <= hhmm(s.hall.closes); m += r.slot_minutes) {
    Slot sl;
    char text[16];
    std::snprintf(text, sizeof text, "%02d:%02d", m / 60, m % 60);
    sl.slot = text;
    sl.start_ms = parse_local_datetime(day_text + "T" + sl.slot, s.hall.utc_offset_minutes);
    sl.end_ms = sl.start_ms + int64_t(r.slot_minutes) * 60'000;
    sl.capacity = capacity;
    sl.booked = booked[sl.slot];
    if (now_ms >= sl.start_ms) sl.why_not = "past";
    else if (now_ms >= sl.start_ms - int64_t(r.release_before_minutes) * 60'000) sl.why_not = "released";
    else if (sl.free() == 0) sl.why_not = "full";
    sl.open = sl.why_not.empty();
    out.push_back(sl);
  }
  if (why) why->clear();
  return out;
}

std::string arrival_of(const Booking& b, const AppointmentRules& r, int64_t now) {
  if (now < b.start_ms - int64_t(r.early_minutes) * 60'000) return "early";
  if (now <= b.start_ms + int64_t(r.late_minutes) * 60'000) return "on_time";
  if (now < b.end_ms) return "late";
  return "missed";
}

std::vector<HallAlert> hall_alerts(const HallState& s, const HallStats& st, int64_t now_ms) {
  std::vector<HallAlert> out;
  for (const auto& q : st.queues)
    if (q.waiting > 0 && (q.estimated_wait_ms > 30 * 60000 || q.open_windows == 0))
      out.push_back({"queue",
                     q.name + "：等候 " + std::to_string(q.waiting) + " 人，" +
                         (q.open_windows ? "预计 " + wait_minutes_text(q.estimated_wait_ms) : "无窗口受理"),
                     false, q.code});
  for (const auto& [n, w] : s.windows)
    if (w.state == WindowState::Paused)
      out.push_back({"window", std::to_string(n) + " 号窗口暂停" + (w.pause_reason.empty() ? "" : "（" + w.pause_reason + "）"), false,
                     std::to_string(n)});
  // Overdue cases in one line, the worst departments first.
  std::vector<std::pair<int, std::string>> overdue;
  int overdue_total = 0;
  for (const auto& [dep, a] : st.departments)
    if (a.overdue) overdue.push_back({a.overdue, dep}), overdue_total += a.overdue;
  std::sort(overdue.rbegin(), overdue.rend());
  if (overdue_total) {
    std::string text = "超期办件 " + std::to_string(overdue_total) + " 件：";
    for (size_t i = 0; i < overdue.size() && i < 3; ++i) text += (i ? "、" : "") + overdue[i].second + " " + std::to_string(overdue[i].first);
    if (overdue.size() > 3) text += " 等";
    out.push_back({"overdue_cases", text, true, ""});
  }
  if (st.followups.overdue) out.push_back({"followup_overdue", "差评整改超期 " + std::to_string(st.followups.overdue) + " 件", true, ""});
  if (st.followups.due_soon) out.push_back({"followup_due", "差评整改临期 " + std::to_string(st.followups.due_soon) + " 件", false, ""});
  // 办不成事 / 投诉 left at the kiosks and not answered yet.
  int unresolved = 0, complaints = 0;
  for (const auto& [id, cp] : s.complaints) {
    if (cp.state != ComplaintState::Open) continue;
    if (cp.kind == ComplaintKind::Unresolved) ++unresolved;
    else if (cp.kind == ComplaintKind::Complaint) ++complaints;
  }
  if (unresolved) out.push_back({"unresolved", "“办不成事”待处理 " + std::to_string(unresolved) + " 件", true, ""});
  if (complaints) out.push_back({"complaint", "投诉待处理 " + std::to_string(complaints) + " 件", false, ""});
  // Kiosks and evaluators that cannot keep citizens' input on disk (report_device).
  for (const auto& [id, d] : s.devices)
    if (d.storage == "full")
      out.push_back({"storage", (d.window ? std::to_string(d.window) + " 号窗口评价器" : std::string("自助终端 ") + d.id) + " 存储已满", true, id});
  // A screen gone silent while citizens are in the hall (a dark board, a dead kiosk); at night screens may sleep.
  if (within_opening_hours(s, now_ms))
    for (const auto& [id, d] : s.devices)
      if (d.silent) out.push_back({"silent_device", "终端失联：" + id + (d.page.empty() ? "" : "（" + d.page + "）"), true, id});
  // 帮办: a citizen waiting for a person, oldest first; red once nobody has taken it for two minutes.
  std::vector<const HelpRequest*> helps;
  for (const auto& [id, h] : s.helps)
    if (h.state == HelpState::Open || h.state == HelpState::Taken) helps.push_back(&h);
  std::sort(helps.begin(), helps.end(), [](const HelpRequest* a, const HelpRequest* b) { return a->asked_ms < b->asked_ms; });
  for (const HelpRequest* h : helps) {
    const int64_t minutes = std::max<int64_t>(0, (now_ms - h->asked_ms) / 60000);
    const std::string where = h->place.empty() ? "自助终端 " + h->device : h->place;
    out.push_back({"help",
                   h->state == HelpState::Open ? "呼叫帮办：" + where + "，已等 " + std::to_string(minutes) + " 分钟"
                                               : "帮办：" + where + "，" + h->taken_by + " 已前往",
                   h->state == HelpState::Open && minutes >= 2, h->id});
  }
  std::stable_sort(out.begin(), out.end(), [](const HallAlert& x, const HallAlert& y) { return x.severe && !y.severe; });
  return out;
}

}  // namespace hall
