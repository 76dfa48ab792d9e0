// The hall's clock. Real time in production; in the demo and simulations it
// can start at a chosen instant and run faster (e.g. 60×), so a whole hall day
// passes in minutes while every figure stays in hall time.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace hall {

class HallClock {
 public:
  HallClock() = default;                                  // real time
  HallClock(int64_t start_ms, double scale);              // hall time = start + elapsed × scale
  static HallClock manual(int64_t at_ms);                  // stands still until advanced (tests)
  void advance(int64_t ms) { manual_ms_ += ms; }           // moves a manual clock forward
  int64_t now_ms() const;                                  // hall time, ms since epoch
  double scale() const { return scale_; }
  bool simulated() const { return simulated_; }

 private:
  bool simulated_ = false;
  bool manual_ = false;
  int64_t manual_ms_ = 0;
  int64_t start_ms_ = 0;
  double scale_ = 1.0;
  std::chrono::steady_clock::time_point origin_ = std::chrono::steady_clock::now();
};

int64_t wall_ms();  // real wall-clock time, ms since epoch
int64_t wall_us();  // real wall-clock time, µs since epoch (latency measurements)
// "2026-11-22T08:30" (local, with offset in minutes) → epoch ms; -1 when malformed.
int64_t parse_local_datetime(const std::string& text, int utc_offset_minutes);

}  // namespace hall
