// A screen program telling the hall who it is and that it is alive
// (report_device, docs/PROTOCOL.md): its id, program, version, the page it
// shows, how long since someone touched it, its printer's paper. Sent on
// its own thread, at once when the page changes and otherwise every third
// of the hall's device_silent_after_s, so a frame never waits on the bus.
// It also carries a picture a manager asked for (put_screenshot, in parts).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "shared/client.h"
#include "shared/outbox.h"

namespace hall {

class DeviceReporter {
 public:
  DeviceReporter(std::string commands, CurveKeys curve, DeviceIdentity who, std::string program, bool screenshots);
  ~DeviceReporter();
  void start();
  void stop();
  void set_page(const std::string& page);           // a new page is reported at once
  void touched(int64_t wall_ms);                     // a citizen's or staff member's input, now
  void set_paper(const std::string& paper);          // ok, low, out ("" = none)
  void set_interval_ms(int ms);                      // from the hall's device_silent_after_s / 3
  void send_picture(int64_t asked_ms, std::string png);  // the PNG of what it shows, for that ask
  int reports() const;                               // answered reports so far (tests)
  const DeviceIdentity& who() const { return who_; }

 private:
  void run();
  std::string commands_;
  CurveKeys curve_;
  DeviceIdentity who_;
  std::string program_;
  bool screenshots_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::string page_, paper_;
  int64_t last_input_wall_ms_ = 0;
  int interval_ms_ = 30000;
  bool due_ = true, stop_ = false;
  bool interval_changed_ = false;  // the hall's silent_after_s arrived: the next report is due sooner (or later)
  int reports_ = 0;
  int64_t picture_asked_ms_ = 0;
  std::string picture_;
  std::thread thread_;
};

extern const char* const kProgramVersion;  // the project's version, as CMake knows it

}  // namespace hall
