// Working-day calendar (工作日): weekends off, public holidays off, make-up
// working days (调休) on. The holiday lists are data (assets/calendar.json),
// published on the bus so every program counts days the same way.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

namespace hall {

using Day = std::chrono::sys_days;

std::optional<Day> parse_day(const std::string& text);  // "2026-11-22" → Day; nullopt when malformed
std::string format_day(Day day);                        // Day → "2026-11-22"
Day day_of(int64_t epoch_ms, int utc_offset_minutes);   // local calendar day of an instant
int minute_of_day(int64_t epoch_ms, int utc_offset_minutes);  // local minutes since midnight

class WorkCalendar {
 public:
  WorkCalendar() = default;
  static WorkCalendar from_json(const nlohmann::json& j);  // throws std::runtime_error naming the bad entry
  nlohmann::json to_json() const;

  bool is_working_day(Day day) const;                     // weekday not a holiday, or a make-up day
  Day add_working_days(Day from, int n) const;            // the n-th working day after `from` (n=0 → from)
  int working_days_between(Day from, Day to) const;       // working days in (from, to]; 0 when to <= from

 private:
  std::set<Day> holidays_;  // 法定节假日 falling on any day
  std::set<Day> workdays_;  // 调休上班 (weekend days that are working days)
};

}  // namespace hall
