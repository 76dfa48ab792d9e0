// HallClient: sends commands to the hall server and waits for the reply.
// Every command carries an idempotency key; on silence the client reconnects
// and retries with the same key (Lazy Pirate), so a retry never creates a
// second ticket or rating. Thread-safe: one request at a time per client.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include <zmq.hpp>

#include "shared/curve.h"
#include "shared/protocol.h"

namespace hall {

struct Reply {
  bool ok = false;
  uint64_t seq = 0;            // sequence at which the change is visible in mirrors
  json result;                 // on success
  std::string code;            // on failure: a typed error code (err::…)
  std::string message;         // on failure: human-readable
};

struct ClientOptions {
  int timeout_ms = 2000;       // wait this long for each attempt
  int attempts = 3;            // then give up with err::kTimeout
  CurveKeys curve = curve_from_environment();  // CURVE keys for a secured bus; none = plain TCP
};

class HallClient {
 public:
  explicit HallClient(std::string endpoint, ClientOptions options = {});
  ~HallClient();

  // Sends a command; a fresh idempotency key is made when `key` is empty.
  Reply call(const std::string& cmd, const json& args = json::object(), std::string key = "");
  // Sends a raw frame and returns the raw reply (tests of malformed input).
  std::optional<std::string> call_raw(const std::string& frame, int timeout_ms);
  const std::string& endpoint() const { return endpoint_; }

 private:
  void reconnect();
  std::string endpoint_;
  ClientOptions options_;
  std::mutex mutex_;
  zmq::context_t context_{1};
  std::unique_ptr<zmq::socket_t> socket_;
};

}  // namespace hall
