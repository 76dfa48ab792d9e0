#include "shared/calendar.h"

#include <cstdio>
#include <stdexcept>

namespace hall {

using namespace std::chrono;

std::optional<Day> parse_day(const std::string& text) {
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) return std::nullopt;
  year_month_day ymd{year{y}, month{m}, std::chrono::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd};
}

std::string format_day(Day day) {
  year_month_day ymd{day};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
  return buf;
}

Day day_of(int64_t epoch_ms, int utc_offset_minutes) {
  auto local = sys_time<milliseconds>{milliseconds{epoch_ms}} + minutes{utc_offset_minutes};
  return floor<days>(local);
}

int minute_of_day(int64_t epoch_ms, int utc_offset_minutes) {
  auto local = sys_time<milliseconds>{milliseconds{epoch_ms}} + minutes{utc_offset_minutes};
  return int(duration_cast<minutes>(local - floor<days>(local)).count());
}

WorkCalendar WorkCalendar::from_json(const nlohmann::json& j) {
  WorkCalendar cal;
  auto read = [&](const char* key, std::set<Day>& into) {
    if (!j.contains(key)) return;
    if (!j[key].is_array()) throw std::runtime_error(std::string("calendar: '") + key + "' must be a list of dates");
    for (const auto& v : j[key]) {
      auto d = v.is_string() ? parse_day(v.get<std::string>()) : std::nullopt;
      if (!d) throw std::runtime_error(std::string("calendar: '") + key + "' has a bad date " + v.dump() +
                                       " (want YYYY-MM-DD)");
      into.insert(*d);
    }
  };
  read("holidays", cal.holidays_);
  read("workdays", cal.workdays_);
  for (Day d : cal.workdays_)
    if (cal.holidays_.count(d)) throw std::runtime_error("calendar: " + format_day(d) + " is both a holiday and a make-up working day");
  return cal;
}

nlohmann::json WorkCalendar::to_json() const {
  nlohmann::json j{{"holidays", nlohmann::json::array()}, {"workdays", nlohmann::json::array()}};
  for (Day d : holidays_) j["holidays"].push_back(format_day(d));
  for (Day d : workdays_) j["workdays"].push_back(format_day(d));
  return j;
}

bool WorkCalendar::is_working_day(Day day) const {
  if (workdays_.count(day)) return true;
  if (holidays_.count(day)) return false;
  weekday wd{day};
  return wd != Saturday && wd != Sunday;
}

Day WorkCalendar::add_working_days(Day from, int n) const {
  Day d = from;
  while (n > 0) {
    d += days{1};
    if (is_working_day(d)) --n;
  }
  return d;
}

int WorkCalendar::working_days_between(Day from, Day to) const {
  int n = 0;
  for (Day d = from + days{1}; d <= to; d += days{1})
    if (is_working_day(d)) ++n;
  return n;
}

}  // namespace hall
