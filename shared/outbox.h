// Outbox: commands a citizen gave that must reach the hall server even if
// the bus is down (a rating, a complaint). Each is written to its own file
// and fsynced before put() returns; a background thread delivers them with
// their idempotency key until the server answers, so a crash or a network
// cut neither loses one nor delivers one twice.
//
// When the disk cannot take it (full, read-only, I/O error) the program
// stays up: the entry is kept in memory and delivered directly as soon as
// the server answers, put() says it is not on disk so the page can tell
// the citizen plainly, and the fault is reported on the bus (report_device)
// so managers see it; when a write works again that is reported too.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "shared/client.h"

namespace hall {

// Who this outbox belongs to, for the report_device command.
struct DeviceIdentity {
  std::string id;      // "evaluator-5", "kiosk-1"; empty: no reports
  std::string kind;    // kiosk, evaluator
  int window = 0;      // an evaluator's window (its key may act only for it)
};

struct Kept {
  std::string key;     // the idempotency key; the delivery callback names it
  bool on_disk = true; // false: only in memory (the disk refused it): lost if the program stops before delivery
  std::string error;   // why not on disk
};

class Outbox {
 public:
  // dir is created if missing; throws std::runtime_error naming it when unusable.
  Outbox(std::string dir, std::string command_endpoint, int retry_ms = 2000, DeviceIdentity device = {}, CurveKeys curve = {});
  ~Outbox();
  Kept put(const std::string& cmd, const json& args);         // on disk on return, unless Kept says why not
  size_t pending() const;                                     // entries not yet delivered (on disk and in memory)
  bool storage_ok() const { return storage_ok_; }             // the last write worked
  void start();                                               // the delivery thread
  void stop();
  // Called on the delivery thread with each final answer (ok, or a refusal
  // that a retry cannot change, e.g. already_rated).
  void on_delivered(std::function<void(const std::string& key, const Reply&)> callback);

 private:
  void run();
  void deliver_all();
  bool deliver(HallClient& client, const json& entry, const std::string& file);  // false: the server is away
  std::string dir_, endpoint_;
  int retry_ms_;
  DeviceIdentity device_;
  CurveKeys curve_;
  std::atomic<bool> storage_ok_{true};
  bool reported_ok_ = true;      // what the server was last told (delivery thread)
  std::string storage_error_;    // under mutex_
  std::vector<json> in_memory_;  // under mutex_: entries the disk refused, oldest first
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false, poked_ = false;
  std::function<void(const std::string&, const Reply&)> callback_;
  std::thread thread_;
};

}  // namespace hall
