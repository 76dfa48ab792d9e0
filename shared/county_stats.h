// The county's figures, computed from each hall's state with shared/stats:
// the one definition of every figure, so a county screen and a hall board
// never disagree on a hall. Pure functions; the county server publishes
// what they return (CountyState) and the tests feed them known figures.
#pragma once

#include <string>
#include <vector>

#include "shared/county_state.h"
#include "shared/stats.h"

namespace hall {

// One hall as the county holds it.
struct CountyMember {
  std::string id, name, level, parent;                // level: county, township or village
  int64_t last_heard_ms = 0;
  std::string refused;
  const HallState* state = nullptr;
  const HallStats* stats = nullptr;                   // compute_stats(*state, now)
};

// The township hall a hall belongs to: itself for a township, its parent for a village, "" for the county hall.
std::string township_of(const CountyMember& m);

CountyHall county_hall(const CountyMember& m, int64_t now_ms, int64_t silent_after_ms);

struct Period {
  std::string name, from, to;                         // inclusive days
};
// today, week (Monday to today), month (the 1st to today), year (1 January to today).
Period period_of(const std::string& name, const std::string& today);
inline const std::vector<std::string>& period_names() {
  static const std::vector<std::string> names{"today", "week", "month", "year"};
  return names;
}

// The volume rule: a rate is ranked by the lower bound of its 95 % Wilson
// interval, so three 好评 out of three (bound 0.44) cannot top 2,950 out of
// 3,000 (bound 0.98); and below the county's minimum volume it is listed
// after every ranked entry, marked 样本不足, ordered by volume.
double wilson_lower_bound(int good, int total);

// 好评 tally of a hall over a period: live ratings for days this month and
// later (what the hall's own 本月 uses), closed days' tallies (daystat) before.
Score ratings_in(const HallState& s, const Period& p);
std::map<std::string, Score> department_ratings_in(const HallState& s, const Period& p);

Ranking rank_county(const std::vector<CountyMember>& members, const CountyInfo& county, const std::string& period, const std::string& today);
Warnings warn_county(const std::vector<CountyMember>& members, const WarningThresholds& t);
// Days (7), weeks (12, by Monday) and months (12) for the halls given, today included from the live state.
Trend trend_of(const std::string& scope, const std::string& name, const std::vector<const CountyMember*>& halls, const std::string& today);

// Everything the county publishes, keyed as its bus carries it. The county's
// day ("today" of the rankings and trends) is the newest business day among its halls.
CountyState county_state(const std::vector<CountyMember>& members, const CountyInfo& county, int64_t now_ms);

}  // namespace hall
