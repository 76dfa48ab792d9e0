// Mirror: a thread-safe copy of a bus server's state (a hall's, a county's), kept current over
// the bus (ZeroMQ Guide, Clone pattern). A background agent thread owns the
// sockets: it subscribes first, then asks for a snapshot, then applies queued
// updates newer than the snapshot. A gap in the sequence, a new server epoch
// or silence past the stale timeout makes it resync by itself; meanwhile the
// last known state stays readable and is marked stale.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "shared/county_state.h"
#include "shared/curve.h"
#include "shared/protocol.h"
#include "shared/state.h"

namespace hall {

// What a client reads off the bus, decoded without trusting it: a body of
// any shape gives false / nullopt, never an exception (fuzzed: fuzz/).
struct Update {
  uint64_t seq = 0;
  std::string epoch;
  int64_t wall_us = 0;
  json changes = json::array();         // [{key, value}…], each checked when applied
};
bool decode_update(const std::string& body, Update& out);  // an update's or heartbeat's body
// A mirror's State is any keyed state with apply(key, value) (throwing for an
// entity it cannot read), entities(), clear() and seq: HallState (a hall's
// bus), CountyState (a county's bus), RawState (a relay: any bus, unread).
template <class State>
struct BasicSnapshot {
  std::string epoch;
  State state;                          // state.seq is the snapshot's seq
};
using Snapshot = BasicSnapshot<HallState>;
// A snapshot reply to the request `id`; nullopt when it is not one, or any entity is unreadable.
template <class State>
std::optional<BasicSnapshot<State>> decode_snapshot_of(const std::string& reply, const std::string& id);
inline std::optional<Snapshot> decode_snapshot(const std::string& reply, const std::string& id) { return decode_snapshot_of<HallState>(reply, id); }
// Applies an update's changes; entities this client cannot read are skipped. Returns the keys applied.
template <class State>
std::vector<std::string> apply_changes(State& state, const json& changes);

struct MirrorOptions {
  int stale_after_ms = kStaleAfterMs;   // silence this long → stale, resync
  int snapshot_timeout_ms = 2000;       // snapshot request retried after this
  CurveKeys curve = curve_from_environment();  // CURVE keys for a secured bus; none = plain TCP
};

struct MirrorChange {
  uint64_t seq = 0;
  bool resynced = false;                // a full snapshot replaced the state
  std::vector<std::string> keys;        // entities changed (empty on resync)
  int64_t published_us = 0;             // server's wall clock when it published (0 on resync)
};

template <class State>
class Mirror {
 public:
  Mirror(std::string command_endpoint, std::string update_endpoint, MirrorOptions options = {});
  ~Mirror();                            // stops the agent

  void start();
  void stop();

  // Runs f(const State&) under the mirror's lock; keep it short.
  template <class F>
  auto read(F&& f) const {
    std::lock_guard lock(mutex_);
    return f(state_);
  }
  State copy() const;

  // Called on the agent thread after each change is applied (no lock held).
  void on_change(std::function<void(const MirrorChange&)> callback);

  bool synced() const { return synced_; }            // had a snapshot at least once
  bool stale() const { return stale_; }              // silent past the timeout
  uint64_t seq() const { return seq_; }
  std::string epoch() const;                         // the server run the state belongs to ("" before the first snapshot)
  int64_t last_heard_ms() const { return last_heard_ms_; }  // wall clock of the last message
  int resyncs() const { return resyncs_; }           // snapshots taken after the first

  // Waits until pred(state) holds or the timeout passes; true when it held.
  bool wait_until(const std::function<bool(const State&)>& pred, int timeout_ms) const;
  bool wait_for_seq(uint64_t seq, int timeout_ms) const;

 private:
  void run(void* control);             // control: the bound zmq PAIR that stop() pokes
  std::string command_endpoint_, update_endpoint_;
  MirrorOptions options_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  State state_;
  std::string epoch_;                   // guarded by mutex_
  std::function<void(const MirrorChange&)> callback_;
  std::atomic<bool> running_{false}, synced_{false}, stale_{true};
  std::atomic<uint64_t> seq_{0};
  std::atomic<int64_t> last_heard_ms_{0};
  std::atomic<int> resyncs_{0};
  std::thread agent_;
  void* context_ = nullptr;             // zmq::context_t, owned
  std::string control_endpoint_;        // inproc pipe that wakes the agent to stop
};

using HallMirror = Mirror<HallState>;      // a hall's bus (hall server or a relay of it)
using CountyMirror = Mirror<CountyState>;  // a county's bus (county server or a relay of it)
using RawMirror = Mirror<RawState>;        // any bus, entities kept unread (hall-relay)

}  // namespace hall
