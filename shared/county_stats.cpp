#include "shared/county_stats.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <set>
#include <tuple>

#include "shared/calendar.h"

namespace hall {

std::string township_of(const CountyMember& m) {
  if (m.level == "village") return m.parent;
  if (m.level == "township") return m.id;
  return "";
}

CountyHall county_hall(const CountyMember& m, int64_t now_ms, int64_t silent_after_ms) {
  CountyHall h;
  h.id = m.id, h.name = m.name, h.level = m.level, h.parent = m.parent, h.township = township_of(m);
  h.last_heard_ms = m.last_heard_ms;
  h.refused = m.refused;
  const bool silent = m.last_heard_ms == 0 || now_ms - m.last_heard_ms > silent_after_ms;
  h.status = !m.refused.empty() ? "refused" : silent ? "silent" : "online";
  if (!m.state || !m.stats) return h;
  const HallStats& st = *m.stats;
  h.day = m.state->hall.day;
  h.waiting = st.today.waiting;
  h.windows_open = st.today.windows_open;
  h.windows_total = int(m.state->windows.size());
  h.tickets_today = st.today.issued;
  h.served_today = st.today.served;
  h.ratings_today = st.hall_today.total, h.good_today = st.hall_today.good;
  h.ratings_month = st.hall_month.total, h.good_month = st.hall_month.good;
  h.mean_wait_ms = st.today.mean_wait_ms;
  h.overdue_cases = st.approval.overdue, h.open_cases = st.approval.open;
  h.followups_overdue = st.followups.overdue;
  h.compression = st.approval.compression, h.early_rate = st.approval.early_rate, h.finished_cases = st.approval.finished;
  const AppointmentFigures& ap = st.appointments;
  h.bookings_today = ap.bookings, h.checked_in_today = ap.checked_in, h.no_show_today = ap.no_show;
  h.promise_due = ap.promise_due, h.promise_kept = ap.promise_kept;
  return h;
}

Period period_of(const std::string& name, const std::string& today) {
  using namespace std::chrono;
  const Day d = parse_day(today).value_or(Day{});
  Period p{name, today, today};
  const year_month_day ymd{d};
  if (name == "week") p.from = format_day(d - days{(weekday{d}.c_encoding() + 6) % 7});
  else if (name == "month") p.from = format_day(Day{ymd.year() / ymd.month() / 1});
  else if (name == "year") p.from = format_day(Day{ymd.year() / January / 1});
  return p;
}

double wilson_lower_bound(int good, int total) {
  if (total <= 0) return 0;
  const double z = 1.96, n = total, phat = double(good) / n;
  const double centre = phat + z * z / (2 * n);
  const double margin = z * std::sqrt((phat * (1 - phat) + z * z / (4 * n)) / n);
  return (centre - margin) / (1 + z * z / n);
}

namespace {
// Days before this are read from the closed days' tallies, later ones from the live ratings.
std::string live_from(const Period& p) { return std::max(p.from, p.to.substr(0, 8) + "01"); }
}  // namespace

Score ratings_in(const HallState& s, const Period& p) {
  Score sc;
  const std::string live = live_from(p);
  for (const auto& [key, r] : s.ratings)
    if (r.day >= live && r.day <= p.to) sc.add(r.level);
  for (auto it = s.daystats.lower_bound(p.from); it != s.daystats.end() && it->first < live; ++it) {
    sc.total += it->second.ratings, sc.good += it->second.good, sc.bad += it->second.bad;
  }
  return sc;
}

std::map<std::string, Score> department_ratings_in(const HallState& s, const Period& p) {
  std::map<std::string, Score> out;
  const std::string live = live_from(p);
  for (const auto& [key, r] : s.ratings)
    if (!r.department.empty() && r.day >= live && r.day <= p.to) out[r.department].add(r.level);
  for (auto it = s.daystats.lower_bound(p.from); it != s.daystats.end() && it->first < live; ++it)
    for (const auto& [dep, gt] : it->second.good_total_by_department) out[dep].good += gt.first, out[dep].total += gt.second;
  return out;
}

namespace {

struct Tally {
  std::string name, level;
  int good = 0, total = 0;
  std::set<std::string> halls;
};

RankEntry rated(const std::string& id, const Tally& t, int min_volume) {
  RankEntry e;
  e.id = id, e.name = t.name, e.level = t.level;
  e.volume = t.total;
  e.rate = t.total ? double(t.good) / t.total : 0;
  e.score = wilson_lower_bound(t.good, t.total);
  e.ranked = t.total >= min_volume;
  if (t.halls.size() > 1) e.detail = std::to_string(t.halls.size()) + " 个大厅";
  return e;
}

// Ranked ones by their lower bound (then volume), then the rest by volume.
void order(std::vector<RankEntry>& v) {
  std::stable_sort(v.begin(), v.end(), [](const RankEntry& a, const RankEntry& b) {
    if (a.ranked != b.ranked) return a.ranked;
    if (a.ranked && a.score != b.score) return a.score > b.score;
    if (a.volume != b.volume) return a.volume > b.volume;
    return a.id < b.id;
  });
}

const char* level_words(const std::string& level) { return level == "county" ? "县级" : level == "township" ? "镇级" : "村级"; }

}  // namespace

Ranking rank_county(const std::vector<CountyMember>& members, const CountyInfo& county, const std::string& period, const std::string& today) {
  const Period p = period_of(period, today);
  Ranking r;
  r.period = p.name, r.from_day = p.from, r.to_day = p.to;
  r.min_ratings = county.min_ratings, r.min_cases = county.min_cases;
  std::map<std::string, Tally> townships, departments, levels;
  struct ItemTally {
    std::string name;
    int legal = 0, promised = 0, finished = 0, early = 0;
    std::set<std::string> halls;
  };
  std::map<std::string, ItemTally> items;
  std::map<std::string, std::string> names;
  for (const auto& m : members) names[m.id] = m.name;
  for (const auto& m : members) {
    if (!m.state) continue;
    const HallState& s = *m.state;
    const Score sc = ratings_in(s, p);
    Tally mine{m.name, m.level, sc.good, sc.total, {m.id}};
    r.halls.push_back(rated(m.id, mine, county.min_ratings));
    for (const std::string& group : {township_of(m)}) {
      if (group.empty()) continue;
      Tally& t = townships[group];
      t.name = names.count(group) ? names[group] : group, t.level = "township";
      t.good += sc.good, t.total += sc.total, t.halls.insert(m.id);
    }
    Tally& l = levels[m.level];
    l.name = level_words(m.level), l.level = m.level, l.good += sc.good, l.total += sc.total, l.halls.insert(m.id);
    for (const auto& [dep, score] : department_ratings_in(s, p)) {
      Tally& d = departments[dep];
      d.name = dep, d.good += score.good, d.total += score.total, d.halls.insert(m.id);
    }
    for (const auto& [code, item] : s.items) {
      ItemTally& it = items[code];
      if (it.name.empty()) it.name = item.name;
      it.legal += item.legal_days, it.promised += item.promised_days, it.halls.insert(m.id);
    }
    for (const auto& [number, c] : s.cases) {
      if (c.state != CaseState::Finished || c.finished_day < p.from || c.finished_day > p.to) continue;
      ItemTally& it = items[c.item];
      if (it.name.empty()) it.name = c.item;
      ++it.finished;
      if (c.actual_days < c.promised_days) ++it.early;  // shared/stats: 提前办结 = finished before the promise
    }
  }
  for (const auto& [id, t] : townships) r.townships.push_back(rated(id, t, county.min_ratings));
  for (const auto& [id, t] : departments) r.departments.push_back(rated(id, t, county.min_ratings));
  for (const char* level : {"county", "township", "village"})
    if (levels.count(level)) r.levels.push_back(rated(level, levels[level], county.min_ratings));
  order(r.townships), order(r.halls), order(r.departments);
  for (const auto& entry : items) {
    const std::string& code = entry.first;
    const ItemTally& it = entry.second;
    auto hall_count = [&] { return it.halls.size() > 1 ? std::to_string(it.halls.size()) + " 个大厅" : std::string(); };
    if (it.legal > 0) {
      RankEntry e{code, it.name, "", hall_count(), double(it.legal - it.promised) / it.legal, int(it.halls.size()), 0, true};
      e.score = e.rate;  // a catalogue figure: no luck in it, every item ranked
      r.items_compression.push_back(e);
    }
    if (it.finished > 0) {
      RankEntry e{code, it.name, "", hall_count(), double(it.early) / it.finished, it.finished, wilson_lower_bound(it.early, it.finished),
                  it.finished >= county.min_cases};
      r.items_early.push_back(e);
    }
  }
  std::stable_sort(r.items_compression.begin(), r.items_compression.end(), [](const RankEntry& a, const RankEntry& b) { return a.score > b.score; });
  order(r.items_early);
  return r;
}

namespace {

// The most severe colour whose threshold the value crossed.
std::optional<std::pair<CardColor, double>> judge(const WarningRule& rule, double value, const std::function<bool(double, double)>& crossed) {
  for (CardColor c : {CardColor::Red, CardColor::Orange, CardColor::Yellow, CardColor::Blue}) {
    auto it = rule.at.find(c);
    if (it != rule.at.end() && crossed(value, it->second)) return std::pair{c, it->second};
  }
  return std::nullopt;
}

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, v == std::floor(v) ? "%.0f" : "%.1f", v);
  return buf;
}

struct CardMaker {
  WarningCard card;
  bool any = false;
  // A reason, with the line it crossed written the way its figure is (a count, minutes, a rate).
  void add(std::optional<std::pair<CardColor, double>> verdict, const std::string& reason, bool rate = false) {
    if (!verdict) return;
    if (!any || verdict->first < card.color) card.color = verdict->first;
    any = true;
    card.reasons.push_back(reason + "（" + card_color_name(verdict->first) + "线 " +
                           (rate ? percent_text(verdict->second) : number_text(verdict->second)) + "）");
  }
};

const auto at_least = [](double v, double t) { return v >= t; };
const auto below = [](double v, double t) { return v < t; };
const auto above = [](double v, double t) { return v > t; };

}  // namespace

Warnings warn_county(const std::vector<CountyMember>& members, const WarningThresholds& t) {
  Warnings w;
  for (const auto& m : members) {
    if (!m.state || !m.stats) continue;
    const HallStats& st = *m.stats;
    auto start = [&](const std::string& department) {
      CardMaker cm;
      cm.card.hall_id = m.id, cm.card.hall_name = m.name, cm.card.township = township_of(m), cm.card.department = department;
      return cm;
    };
    CardMaker hall_card = start("");
    if (st.followups.overdue > 0)
      hall_card.add(judge(t.followups_overdue, st.followups.overdue, at_least), "差评超期未整改 " + std::to_string(st.followups.overdue) + " 条");
    if (st.hall_month.total >= t.good_rate_min_ratings)
      hall_card.add(judge(t.good_rate_below, st.hall_month.good_rate(), below),
                    "本月好评率 " + percent_text(st.hall_month.good_rate()) + "，" + std::to_string(st.hall_month.total) + " 条评价", true);
    if (st.today.mean_wait_ms > 0)
      hall_card.add(judge(t.wait_minutes_above, st.today.mean_wait_ms / 60000.0, above),
                    "今日平均等候 " + number_text(std::round(st.today.mean_wait_ms / 6000.0) / 10) + " 分钟");  // 20.4, never a rounded 20 over a line of 20
    if (hall_card.any) w.cards.push_back(std::move(hall_card.card));
    std::set<std::string> departments;  // those with cases or items, and those only rated
    for (const auto& [name, a] : st.departments) departments.insert(name);
    for (const auto& [name, score] : st.department_month) departments.insert(name);
    for (const std::string& name : departments) {
      CardMaker dep = start(name);
      auto found = st.departments.find(name);
      const ApprovalFigures a = found == st.departments.end() ? ApprovalFigures{} : found->second;
      if (a.overdue > 0) dep.add(judge(t.overdue_cases, a.overdue, at_least), "超期办件 " + std::to_string(a.overdue) + " 件");
      auto score = st.department_month.find(name);
      if (score != st.department_month.end() && score->second.total >= t.good_rate_min_ratings)
        dep.add(judge(t.good_rate_below, score->second.good_rate(), below),
                "本月好评率 " + percent_text(score->second.good_rate()) + "，" + std::to_string(score->second.total) + " 条评价", true);
      if (dep.any) w.cards.push_back(std::move(dep.card));
    }
  }
  std::stable_sort(w.cards.begin(), w.cards.end(), [](const WarningCard& a, const WarningCard& b) {
    return std::tuple(int(a.color), -int(a.reasons.size()), a.township, a.hall_id, a.department) <
           std::tuple(int(b.color), -int(b.reasons.size()), b.township, b.hall_id, b.department);
  });
  return w;
}

namespace {

struct Sum {
  TrendPoint p;
  int64_t wait_weighted = 0;
  void add(int issued, int served, int ratings, int good, int bad, int64_t mean_wait) {
    p.issued += issued, p.served += served, p.ratings += ratings, p.good += good, p.bad += bad;
    wait_weighted += mean_wait * served;
  }
  TrendPoint done() {
    p.mean_wait_ms = p.served ? wait_weighted / p.served : 0;
    return p;
  }
};

TrendPoint sum_days(const std::vector<const CountyMember*>& halls, const std::string& label, const std::string& from, const std::string& to) {
  Sum s;
  s.p.label = label;
  for (const CountyMember* m : halls) {
    if (!m->state) continue;
    const HallState& st = *m->state;
    for (auto it = st.daystats.lower_bound(from); it != st.daystats.end() && it->first <= to; ++it) {
      if (it->first == st.hall.day) continue;  // the live day counts from the live state
      const DayStat& d = it->second;
      s.add(d.issued, d.served, d.ratings, d.good, d.bad, d.mean_wait_ms);
    }
    if (m->stats && st.hall.day >= from && st.hall.day <= to) {
      const HallStats& h = *m->stats;
      s.add(h.today.issued, h.today.served, h.hall_today.total, h.hall_today.good, h.hall_today.bad, h.today.mean_wait_ms);
    }
  }
  return s.done();
}

}  // namespace

Trend trend_of(const std::string& scope, const std::string& name, const std::vector<const CountyMember*>& halls, const std::string& today) {
  using namespace std::chrono;
  Trend t;
  t.scope = scope, t.name = name;
  const Day d = parse_day(today).value_or(Day{});
  for (int i = 6; i >= 0; --i) {
    const std::string day = format_day(d - days{i});
    t.days.push_back(sum_days(halls, day, day, day));
  }
  const Day monday = d - days{(weekday{d}.c_encoding() + 6) % 7};
  for (int i = 11; i >= 0; --i) {
    const Day from = monday - days{7 * i};
    t.weeks.push_back(sum_days(halls, format_day(from), format_day(from), format_day(from + days{6})));
  }
  const year_month_day ymd{d};
  const year_month this_month{ymd.year(), ymd.month()};
  for (int i = 11; i >= 0; --i) {
    const year_month ym = this_month - months{i};
    const std::string from = format_day(Day{ym / 1}), to = format_day(Day{ym / last});
    t.months.push_back(sum_days(halls, from.substr(0, 7), from, to));
  }
  return t;
}

CountyState county_state(const std::vector<CountyMember>& members, const CountyInfo& county, int64_t now_ms) {
  CountyState cs;
  cs.county = county;
  cs.county.at_ms = now_ms;
  // The county's day is the newest business day among its halls (a demo's
  // halls may run ahead of the wall clock); the clock's own with no hall yet.
  std::string today;
  for (const auto& m : members)
    if (m.state && m.state->hall.day > today) today = m.state->hall.day;
  if (today.empty()) today = format_day(day_of(now_ms, 480));
  for (const auto& m : members) cs.halls[m.id] = county_hall(m, now_ms, county.silent_after_ms);
  for (const auto& period : period_names()) cs.rankings[period] = rank_county(members, county, period, today);
  cs.warnings = warn_county(members, county.warnings);
  std::vector<const CountyMember*> all;
  std::map<std::string, std::vector<const CountyMember*>> by_township;
  for (const auto& m : members) {
    all.push_back(&m);
    if (!township_of(m).empty()) by_township[township_of(m)].push_back(&m);
  }
  cs.trends["county"] = trend_of("county", county.name, all, today);
  for (const auto& m : members) {
    cs.trends[m.id] = trend_of(m.id, m.name, {&m}, today);
    if (m.level == "township") cs.trends["township/" + m.id] = trend_of("township/" + m.id, m.name, by_township[m.id], today);
  }
  return cs;
}

}  // namespace hall
