// Outbox: commands a citizen gave that must reach the hall server even if
// the bus is down (a rating, a complaint). Each is written to its own file
// and fsynced before put() returns; a background thread delivers them with
// their idempotency key until the server answers, so a crash or a network
// cut neither loses one nor delivers one twice.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "shared/client.h"

namespace hall {

class Outbox {
 public:
  // dir is created if missing; throws std::runtime_error naming it when unusable.
  Outbox(std::string dir, std::string command_endpoint, int retry_ms = 2000);
  ~Outbox();
  std::string put(const std::string& cmd, const json& args);  // durable on return; the idempotency key
  size_t pending() const;                                     // files not yet delivered
  void start();                                               // the delivery thread
  void stop();
  // Called on the delivery thread with each final answer (ok, or a refusal
  // that a retry cannot change, e.g. already_rated).
  void on_delivered(std::function<void(const std::string& key, const Reply&)> callback);

 private:
  void run();
  void deliver_all();
  std::string dir_, endpoint_;
  int retry_ms_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false, poked_ = false;
  std::function<void(const std::string&, const Reply&)> callback_;
  std::thread thread_;
};

}  // namespace hall
