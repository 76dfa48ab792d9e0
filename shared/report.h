// The hall's report for a day, a month or any range of days: what a hall
// manager forwards upward (好评率 by window, staff and department; 差评 and
// their follow-up; queue figures; approval-time figures). Made from a hall
// state (the server's or a mirror's) with the same tallies as the live
// figures in stats.h, so the report and the boards agree on a day.
//
// Where the days come from: ratings stay live for HallInfo::rating_keep_days;
// a day older than that counts from its daystat (the hall's and each
// department's tally kept at closing), so window and staff figures and the
// list of 差评 cover only the days from `ratings_from` on. The report says so.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "shared/stats.h"

namespace hall {

struct ReportDay {                        // one business day of the range that has figures
  std::string day;
  int issued = 0, served = 0, no_show = 0;
  int64_t mean_wait_ms = 0, mean_service_ms = 0;
  Score score;
  bool live = false;                      // today, from the live tickets (not yet closed)
};

struct ReportBadRating {                  // one 差评 of the range and where its follow-up stands
  std::string key, day, ticket, channel, comment, department, staff_id, staff_name;
  int level = 1, window = 0;
  std::vector<std::string> reasons;
  bool followed = false;                  // a follow-up exists
  FollowUpState state = FollowUpState::Open;
  std::string due_day, closed_day, last_note;
  bool overdue = false;                   // open past its due day (as of the report's day)
};

struct HallReport {
  std::string hall_id, hall_name;
  std::string from, to;                   // the days asked for, inclusive
  std::string made_day;                   // the hall's day when it was made
  std::string ratings_from;               // first day whose window/staff figures and 差评 list are whole
  std::vector<ReportDay> days;            // oldest first
  ReportDay total;                        // sums; waits and services weighted by tickets called / served
  std::map<int, Score> windows;
  std::map<std::string, Score> staff;
  std::map<std::string, Score> departments;
  std::vector<ReportBadRating> bad;       // oldest first
  FollowUpFigures followups;              // of the 差评 above: 差评整改率 of the range
  ApprovalTally approval;                 // cases finished in the range, and those still open
};

// Throws std::invalid_argument naming the fault: a day not YYYY-MM-DD, from
// after to, or more than 366 days.
HallReport hall_report(const HallState& state, const std::string& from, const std::string& to, int64_t now_ms);
json to_json(const HallReport& report);

}  // namespace hall
