// BusPublisher: the serving half of the Clone pattern (docs/PROTOCOL.md §6)
// for the servers that are not a hall server: the county server publishes
// its own state with it, a relay re-publishes what it mirrors. It keeps the
// entities as they were last published, numbers each change, answers
// snapshots from one encoding per sequence (a thousand screens joining at
// once cost one), and sends heartbeats when idle.
//
// Bounded memory: a subscriber that stops reading keeps at most kUpdateHwm
// messages queued (then loses the rest, sees a gap and resyncs), a client
// that stops reading replies at most kReplyHwm (docs/PROTOCOL.md §9).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace zmq {
class socket_t;
class message_t;
}

namespace hall {

using json = nlohmann::json;

constexpr int kUpdateHwm = 1000;   // messages queued per subscriber
constexpr int kUpdateSndbuf = 128 * 1024;  // bytes of kernel send buffer per subscriber (SO_SNDBUF; loopback would autotune to ~4 MB)
constexpr int kReplyHwm = 1000;    // replies queued per client (a pipelining client stays well under it)

// A ROUTER's (or an envelope-carrying DEALER's) messages: every frame but the
// last is the envelope, the last the body.
// One whole message without waiting (its frames come together); false when none is waiting.
bool recv_message(zmq::socket_t& socket, std::vector<zmq::message_t>& parts);
// `body` sent under the envelope of `parts` (every frame of it but the last); never blocks.
void send_under(zmq::socket_t& socket, std::vector<zmq::message_t>& parts, const std::string& body);

class BusPublisher {
 public:
  // `pub` is a bound XPUB (or PUB) socket; its send high-water mark is set here.
  explicit BusPublisher(zmq::socket_t& pub, std::string epoch = {});
  const std::string& epoch() const { return epoch_; }
  uint64_t seq() const { return seq_; }

  // Publishes one update with the next seq; nothing when `changes` is empty.
  void publish(const std::vector<std::pair<std::string, json>>& changes, int64_t at_ms);
  // A relay: takes over another server's numbering (its epoch and seq) and
  // state, as a snapshot of it gave them; nothing is published.
  void adopt(std::string epoch, uint64_t seq, std::vector<std::pair<std::string, json>> entities);
  // A relay: publishes an update under the upstream's seq (must be seq() + 1)
  // and wall clock, so a screen cannot tell the relay from the server.
  void forward(uint64_t seq, int64_t at_ms, int64_t wall_us, const std::vector<std::pair<std::string, json>>& changes);
  // A heartbeat when nothing went out for kHeartbeatMs; true when one was sent.
  bool heartbeat_if_due(int64_t at_ms);
  int next_heartbeat_in_ms() const;  // real ms until one is due
  // The whole reply to a snapshot request with this id (docs/PROTOCOL.md §6).
  std::string snapshot_reply(const std::string& id);
  const std::map<std::string, json>& entities() const { return entities_; }

 private:
  void send(const char* topic, const std::string& body);
  zmq::socket_t& pub_;
  std::string epoch_;
  uint64_t seq_ = 0;
  std::map<std::string, json> entities_;
  int64_t last_sent_ms_ = 0;               // steady clock
  uint64_t snapshot_seq_ = UINT64_MAX;
  std::string snapshot_json_;
};

}  // namespace hall
