// hall-relay: mirrors one bus server (a hall server, a county server or
// another relay) and serves its own snapshot and updates to the screens
// behind it, over the same protocol (docs/PROTOCOL.md §6), under the
// upstream's own epoch and sequence numbers: a screen cannot tell a relay
// from the server, and nothing changes in a screen program but an address.
//
// Only the relay asks the upstream for snapshots: a server restart costs
// the upstream one snapshot per relay, a relay restart one, however many
// screens are behind it. Other requests (report_device, a kiosk's
// take_ticket) are passed to the upstream and its replies passed back.
#pragma once

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "shared/device_reporter.h"
#include "shared/mirror.h"

namespace hall {

struct RelayOptions {
  std::string upstream_commands, upstream_updates;  // the server (or relay) it mirrors
  std::string commands = "tcp://127.0.0.1:5655";    // ROUTER: snapshots here, other requests passed upstream
  std::string updates = "tcp://127.0.0.1:5656";     // PUB: updates and heartbeats
  CurveKeys curve = curve_from_environment();       // the relay's keys towards the upstream
  std::string device;                               // the id it reports to a hall under (report_device); "" = relay@host
};

class Relay {
 public:
  explicit Relay(RelayOptions o);
  ~Relay();
  void run();                                       // until stop()
  void stop() { stopping_ = true; }

 private:
  // What the mirror heard, handed from its thread to the relay's.
  struct News {
    bool resync = false;
    std::string epoch;
    uint64_t seq = 0;
    int64_t wall_us = 0;
    std::vector<std::pair<std::string, json>> entities;  // the changes; on resync everything
  };
  RelayOptions o_;
  RawMirror mirror_;
  std::mutex mutex_;
  std::deque<News> news_;
  void* context_ = nullptr;                         // zmq::context_t, owned: the wake-up pipe is inproc
  void* wake_ = nullptr;                            // zmq PUSH on the mirror's thread (guarded by mutex_)
  std::atomic<bool> stopping_{false};
  // A relay of a hall reports itself like a screen (kind relay); of a county, not (no such command there).
  std::atomic<int> hall_silent_after_s_{0};        // from the mirrored hall entity; 0 = not a hall
  std::unique_ptr<DeviceReporter> reporter_;
};

}  // namespace hall
