#include "shared/clock.h"

#include <cstdio>

#include "shared/calendar.h"

namespace hall {

HallClock::HallClock(int64_t start_ms, double scale) : simulated_(true), start_ms_(start_ms), scale_(scale) {}

HallClock HallClock::manual(int64_t at_ms) {
  HallClock c;
  c.manual_ = c.simulated_ = true;
  c.manual_ms_ = at_ms;
  return c;
}

int64_t HallClock::now_ms() const {
  if (manual_) return manual_ms_;
  if (!simulated_) return wall_ms();
  auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - origin_).count();
  return start_ms_ + int64_t(elapsed * scale_);
}

int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int64_t wall_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

int64_t parse_local_datetime(const std::string& text, int utc_offset_minutes) {
  if (text.size() != 16 || text[10] != 'T') return -1;
  auto day = parse_day(text.substr(0, 10));
  unsigned hh = 0, mm = 0;
  char tail = 0;
  if (!day || std::sscanf(text.c_str() + 11, "%2u:%2u%c", &hh, &mm, &tail) != 2 || hh > 23 || mm > 59) return -1;
  int64_t day_ms = int64_t(day->time_since_epoch().count()) * 86400000LL;
  return day_ms + (int64_t(hh) * 60 + mm - utc_offset_minutes) * 60000LL;
}

}  // namespace hall
