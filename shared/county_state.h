// CountyState: what the county server publishes on its own bus, and the
// mirror every county leader screen keeps (the same Clone pattern as a
// hall's: key → value, seq, epoch; docs/COUNTY.md §7).
//
// Entity keys:
//   county                CountyInfo: who the county is, the rules its figures follow
//   hall/<id>             CountyHall: one hall's status and headline figures
//   ranking/<period>      Ranking: today, week, month, year
//   warnings              Warnings: every 四色预警 card, most severe first
//   trend/<scope>         Trend: "county", "township/<township hall id>" (the township with its villages), or a hall id
//
// Every figure in them is computed by shared/county_stats from the halls'
// own states with shared/stats, so a county screen and a hall board agree.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "shared/model.h"

namespace hall {

enum class CardColor { Red, Orange, Yellow, Blue };  // 红 橙 黄 蓝, most severe first
const char* card_color_name(CardColor c);             // "红牌" …

// The county config's "warnings": for each measure the value at which each
// colour is given (a colour left out is never given for it). A card's colour
// is the most severe any of its reasons reached.
struct WarningRule {
  std::map<CardColor, double> at;                     // colour → threshold
  bool operator==(const WarningRule&) const = default;
};
struct WarningThresholds {
  WarningRule overdue_cases{{{CardColor::Red, 3}, {CardColor::Orange, 1}}};          // open cases past the promised day, ≥
  WarningRule followups_overdue{{{CardColor::Red, 3}, {CardColor::Orange, 1}}};      // 差评 not followed up in time, ≥
  WarningRule good_rate_below{{{CardColor::Orange, 0.90}, {CardColor::Yellow, 0.95}}};  // this month's 好评率, <
  int good_rate_min_ratings = 20;                     // the floor only judges a month with this many ratings
  WarningRule wait_minutes_above{{{CardColor::Yellow, 40}, {CardColor::Blue, 20}}};  // today's mean wait, >
  bool operator==(const WarningThresholds&) const = default;
};

struct CountyInfo {
  std::string id, name, level = "county", parent;    // a county reports to its city (parent) the same way
  int min_ratings = 30;                               // ranked by 好评率 only with this many ratings in the period
  int min_cases = 10;                                 // ranked by 提前办结率 only with this many finished cases
  int silent_after_ms = 60000;
  int64_t at_ms = 0;                                  // when these figures were computed (county clock)
  WarningThresholds warnings;
  bool operator==(const CountyInfo&) const = default;
};

struct CountyHall {
  std::string id, name, level, parent, township;     // township: the township hall a village belongs to ("" for the county hall)
  std::string status = "silent";                      // online, silent, refused
  int64_t last_heard_ms = 0;                          // 0: never heard
  std::string refused;                                // why the feed is held
  std::string day;                                    // the hall's business day
  int waiting = 0, windows_open = 0, windows_total = 0;
  int tickets_today = 0, served_today = 0;
  int ratings_today = 0, good_today = 0;
  int ratings_month = 0, good_month = 0;
  int64_t mean_wait_ms = 0;
  int overdue_cases = 0, open_cases = 0;
  int followups_overdue = 0;
  double compression = 0, early_rate = 0;            // the hall's 压缩率 and 提前办结率 (shared/stats)
  int finished_cases = 0;
  // 预约 of today (shared/stats AppointmentFigures): bookings not cancelled, check-ins,
  // no-shows, and the lane's promise (on-time check-ins due to be called, of them called in time).
  int bookings_today = 0, checked_in_today = 0, no_show_today = 0, promise_due = 0, promise_kept = 0;
  bool operator==(const CountyHall&) const = default;
};

// One line of a ranking. `score` is what it is ordered by; `rate` and
// `volume` are shown beside each other so a reader sees both.
struct RankEntry {
  std::string id, name, level;                        // a hall, a township, a department or an item
  std::string detail;                                 // e.g. the hall of a department, or "3 个大厅"
  double rate = 0;                                    // 好评率 / 压缩率 / 提前办结率, 0..1
  int volume = 0;                                     // ratings (or finished cases) in the period
  double score = 0;                                   // the lower bound the rule ranks by
  bool ranked = true;                                 // false: too few in the period, listed after the ranked ones
  bool operator==(const RankEntry&) const = default;
};

struct Ranking {
  std::string period;                                 // today, week, month, year
  std::string from_day, to_day;                       // inclusive, the county's day
  int min_ratings = 30, min_cases = 10;               // the volume rule (CountyInfo)
  std::vector<RankEntry> townships, halls, departments;   // by 好评率 (ratings as volume)
  std::vector<RankEntry> items_compression;           // by 压缩率 (items as volume: structural, no luck in it)
  std::vector<RankEntry> items_early;                 // by 提前办结率 (finished cases as volume)
  std::vector<RankEntry> levels;                      // county / township / village totals
  bool operator==(const Ranking&) const = default;
};

struct WarningCard {
  std::string hall_id, hall_name, township, department;  // department empty: the whole hall
  CardColor color = CardColor::Blue;
  std::vector<std::string> reasons;                   // each a sentence with its figure and the threshold
  bool operator==(const WarningCard&) const = default;
};
struct Warnings {
  std::vector<WarningCard> cards;
  bool operator==(const Warnings&) const = default;
};

struct TrendPoint {
  std::string label;                                  // "2026-11-23", "2026-W48", "2026-11"
  int issued = 0, served = 0, ratings = 0, good = 0, bad = 0;
  int64_t mean_wait_ms = 0;                           // weighted by tickets served
  bool operator==(const TrendPoint&) const = default;
};
struct Trend {
  std::string scope, name;
  std::vector<TrendPoint> days, weeks, months;        // oldest first: 7 days, 12 weeks, 12 months, today included
  bool operator==(const Trend&) const = default;
};

struct CountyState {
  uint64_t seq = 0;
  CountyInfo county;
  std::map<std::string, CountyHall> halls;
  std::map<std::string, Ranking> rankings;
  Warnings warnings;
  std::map<std::string, Trend> trends;

  // The same contract as HallState::apply: throws std::invalid_argument for an
  // unknown kind or a value of the wrong shape.
  void apply(const std::string& key, const json& value);
  json get(const std::string& key) const;
  std::vector<std::pair<std::string, json>> entities() const;
  // The entities that differ from `before` (null for one gone), compared as
  // values, not as JSON: the county's whole state is diffed every second.
  std::vector<std::pair<std::string, json>> changes_from(const CountyState& before) const;
  void clear();
};

// Any entities by key, read without understanding them: what a relay keeps.
struct RawState {
  uint64_t seq = 0;
  std::map<std::string, json> values;
  void apply(const std::string& key, const json& value) {
    if (value.is_null()) values.erase(key);
    else values[key] = value;
  }
  std::vector<std::pair<std::string, json>> entities() const { return {values.begin(), values.end()}; }
  void clear() { values.clear(); }
};

NLOHMANN_JSON_SERIALIZE_ENUM(CardColor, {{CardColor::Red, "red"}, {CardColor::Orange, "orange"}, {CardColor::Yellow, "yellow"}, {CardColor::Blue, "blue"}})
void to_json(json& j, const WarningRule& r);
void from_json(const json& j, WarningRule& r);
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(WarningThresholds, overdue_cases, followups_overdue, good_rate_below, good_rate_min_ratings,
                                                wait_minutes_above)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(CountyInfo, id, name, level, parent, min_ratings, min_cases, silent_after_ms, at_ms, warnings)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(CountyHall, id, name, level, parent, township, status, last_heard_ms, refused, day, waiting,
                                                windows_open, windows_total, tickets_today, served_today, ratings_today, good_today,
                                                ratings_month, good_month, mean_wait_ms, overdue_cases, open_cases, followups_overdue,
                                                compression, early_rate, finished_cases, bookings_today, checked_in_today,
                                                no_show_today, promise_due, promise_kept)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RankEntry, id, name, level, detail, rate, volume, score, ranked)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Ranking, period, from_day, to_day, min_ratings, min_cases, townships, halls, departments,
                                                items_compression, items_early, levels)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(WarningCard, hall_id, hall_name, township, department, color, reasons)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Warnings, cards)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(TrendPoint, label, issued, served, ratings, good, bad, mean_wait_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Trend, scope, name, days, weeks, months)

}  // namespace hall
