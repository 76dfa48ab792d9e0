#include "shared/report.h"

#include <stdexcept>

namespace hall {

namespace {

Day day_arg(const std::string& text, const char* name) {
  auto d = parse_day(text);
  if (!d || format_day(*d) != text) throw std::invalid_argument(std::string(name) + ": '" + text + "' is not a day (YYYY-MM-DD)");
  return *d;
}

}  // namespace

HallReport hall_report(const HallState& s, const std::string& from_text, const std::string& to_text, int64_t now_ms) {
  const Day from = day_arg(from_text, "from"), to = day_arg(to_text, "to");
  if (to < from) throw std::invalid_argument("from: " + from_text + " is after to: " + to_text);
  if ((to - from).count() > 365) throw std::invalid_argument("a report covers at most 366 days");
  const HallStats live = compute_stats(s, now_ms);
  const Day today = parse_day(live.day).value_or(day_of(now_ms, s.hall.utc_offset_minutes));

  HallReport r;
  r.hall_id = s.hall.id;
  r.hall_name = s.hall.name;
  r.from = from_text;
  r.to = to_text;
  r.made_day = format_day(today);
  const Day whole_from = std::max(from, today - std::chrono::days{s.hall.rating_keep_days});
  r.ratings_from = format_day(whole_from);

  // Ratings still live: the tallies by window, staff and department, and the 差评.
  std::map<std::string, Score> live_by_day;
  for (const auto& [key, rating] : s.ratings) {
    auto d = parse_day(rating.day);
    if (!d || *d < whole_from || *d > to) continue;
    live_by_day[rating.day].add(rating.level);
    if (rating.window) r.windows[rating.window].add(rating.level);
    if (!rating.staff_id.empty()) r.staff[rating.staff_id].add(rating.level);
    if (!rating.department.empty()) r.departments[rating.department].add(rating.level);
    if (!is_bad(rating.level)) continue;
    ReportBadRating b;
    b.key = key;
    b.day = rating.day;
    b.level = rating.level;
    b.reasons = rating.reasons;
    b.comment = rating.comment;
    b.channel = rating.channel;
    b.window = rating.window;
    b.department = rating.department;
    b.staff_id = rating.staff_id;
    if (auto st = s.staff.find(rating.staff_id); st != s.staff.end()) b.staff_name = st->second.name;
    if (auto t = s.tickets.find(rating.ticket); t != s.tickets.end()) b.ticket = t->second.number;
    else if (!rating.case_number.empty()) b.ticket = rating.case_number;
    else if (auto slash = rating.ticket.rfind('/'); slash != std::string::npos) b.ticket = rating.ticket.substr(slash + 1);
    if (auto f = s.followups.find(key); f != s.followups.end()) {
      b.followed = true;
      b.state = f->second.state;
      b.due_day = f->second.due_day;
      if (!f->second.history.empty()) b.last_note = f->second.history.back().note;
      if (f->second.state == FollowUpState::Closed && !f->second.history.empty())
        b.closed_day = format_day(day_of(f->second.history.back().at_ms, s.hall.utc_offset_minutes));
      b.overdue = followup_urgency(f->second, s, r.made_day) == FollowUpUrgency::Overdue;
      ++r.followups.bad_total;
      if (b.state == FollowUpState::Closed) ++r.followups.closed;
      else {
        ++r.followups.open;
        if (b.overdue) ++r.followups.overdue;
      }
    }
    r.bad.push_back(b);
  }
  std::sort(r.bad.begin(), r.bad.end(), [](const ReportBadRating& a, const ReportBadRating& b) { return std::pair(a.day, a.key) < std::pair(b.day, b.key); });
  if (r.followups.bad_total) r.followups.closed_rate = double(r.followups.closed) / r.followups.bad_total;

  // Day by day: closed days from their daystat, today from the live tickets.
  int64_t waited = 0, called = 0, serviced = 0;
  for (Day d = from; d <= to; d += std::chrono::days{1}) {
    const std::string text = format_day(d);
    ReportDay row;
    row.day = text;
    if (d == today) {
      row.live = true;
      row.issued = live.today.issued;
      row.served = live.today.served;
      row.no_show = live.today.no_show;
      row.mean_wait_ms = live.today.mean_wait_ms;
      row.mean_service_ms = live.today.mean_service_ms;
      row.score = live.hall_today;
    } else if (auto ds = s.daystats.find(text); ds != s.daystats.end()) {
      row.issued = ds->second.issued;
      row.served = ds->second.served;
      row.no_show = ds->second.no_show;
      row.mean_wait_ms = ds->second.mean_wait_ms;
      row.mean_service_ms = ds->second.mean_service_ms;
      row.score.total = ds->second.ratings;
      row.score.good = ds->second.good;
      row.score.bad = ds->second.bad;
      if (d < whole_from)  // older than the live ratings: departments from the day's own tally
        for (const auto& [dep, gt] : ds->second.good_total_by_department) {
          r.departments[dep].good += gt.first;
          r.departments[dep].total += gt.second;
        }
    } else {
      continue;  // no figures: a closed day, or before the hall began
    }
    if (d >= whole_from) row.score = live_by_day[text];  // the live ratings are the whole truth for these days
    r.total.issued += row.issued;
    r.total.served += row.served;
    r.total.no_show += row.no_show;
    r.total.score.total += row.score.total;
    r.total.score.good += row.score.good;
    r.total.score.bad += row.score.bad;
    const int64_t day_called = row.served + row.no_show;
    waited += row.mean_wait_ms * day_called;
    called += day_called;
    serviced += row.mean_service_ms * row.served;
    r.days.push_back(row);
  }
  r.total.day = from_text + " — " + to_text;
  r.total.mean_wait_ms = called ? waited / called : 0;
  r.total.mean_service_ms = r.total.served ? serviced / r.total.served : 0;

  // Approval time: cases finished in the range, and those still open that were accepted by its end.
  r.approval = approval_tally(s, today, [&](const Case& c) {
    if (c.state == CaseState::Finished) {
      auto d = parse_day(c.finished_day);
      return d && *d >= from && *d <= to;
    }
    auto d = parse_day(c.accepted_day);
    return d && *d <= to;
  });
  return r;
}

json to_json(const HallReport& r) {
  auto day_json = [](const ReportDay& d) {
    return json{{"day", d.day},         {"issued", d.issued}, {"served", d.served}, {"no_show", d.no_show}, {"mean_wait_ms", d.mean_wait_ms},
                {"mean_service_ms", d.mean_service_ms}, {"ratings", score_json(d.score)}, {"live", d.live}};
  };
  json j{{"hall", {{"id", r.hall_id}, {"name", r.hall_name}}}, {"from", r.from}, {"to", r.to}, {"made_day", r.made_day},
         {"ratings_from", r.ratings_from}};
  j["days"] = json::array();
  for (const auto& d : r.days) j["days"].push_back(day_json(d));
  j["total"] = day_json(r.total);
  j["windows"] = json::object();
  for (const auto& [n, sc] : r.windows) j["windows"][std::to_string(n)] = score_json(sc);
  j["staff"] = json::object();
  for (const auto& [id, sc] : r.staff) j["staff"][id] = score_json(sc);
  j["departments"] = json::object();
  for (const auto& [name, sc] : r.departments) j["departments"][name] = score_json(sc);
  j["bad"] = json::array();
  for (const auto& b : r.bad)
    j["bad"].push_back({{"key", b.key},           {"day", b.day},       {"ticket", b.ticket},       {"level", b.level},
                        {"reasons", b.reasons},   {"comment", b.comment}, {"channel", b.channel},   {"window", b.window},
                        {"department", b.department}, {"staff_id", b.staff_id}, {"staff_name", b.staff_name}, {"followed", b.followed},
                        {"state", b.state},       {"due_day", b.due_day}, {"closed_day", b.closed_day}, {"last_note", b.last_note},
                        {"overdue", b.overdue}});
  const auto& f = r.followups;
  j["followups"] = {{"bad_total", f.bad_total}, {"open", f.open}, {"closed", f.closed}, {"overdue", f.overdue}, {"closed_rate", f.closed_rate}};
  j["approval"] = {{"all", approval_json(r.approval.all)}, {"items", json::object()}, {"departments", json::object()}};
  for (const auto& [code, a] : r.approval.items) j["approval"]["items"][code] = approval_json(a);
  for (const auto& [name, a] : r.approval.departments) j["approval"]["departments"][name] = approval_json(a);
  return j;
}

}  // namespace hall
