#include "shared/mirror.h"

#include <chrono>
#include <deque>

#include <zmq.hpp>

#include "shared/clock.h"

namespace hall {

namespace {

using steady = std::chrono::steady_clock;

}  // namespace

bool decode_update(const std::string& body, Update& u) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return false;
  auto v = j.find("v"), seq = j.find("seq"), epoch = j.find("epoch"), wall = j.find("wall_us"), changes = j.find("changes");
  if (v == j.end() || !v->is_number_integer() || v->get<int64_t>() != kProtocolVersion) return false;
  if (seq == j.end() || !seq->is_number_unsigned()) return false;
  if (epoch == j.end() || !epoch->is_string()) return false;
  u.seq = seq->get<uint64_t>();
  u.epoch = epoch->get<std::string>();
  u.wall_us = wall != j.end() && wall->is_number_integer() ? wall->get<int64_t>() : 0;
  u.changes = changes != j.end() && changes->is_array() ? std::move(*changes) : json::array();
  return true;
}

template <class State>
std::vector<std::string> apply_changes(State& state, const json& changes) {
  std::vector<std::string> keys;
  if (!changes.is_array()) return keys;
  for (const auto& c : changes) {
    if (!c.is_object() || !c.contains("key") || !c["key"].is_string()) continue;
    const std::string key = c["key"];
    try {
      state.apply(key, c.contains("value") ? c["value"] : json());
      keys.push_back(key);
    } catch (const std::exception&) {
      // An entity this client cannot read (newer server): keep the rest.
    }
  }
  return keys;
}

template <class State>
std::optional<BasicSnapshot<State>> decode_snapshot_of(const std::string& reply, const std::string& id) {
  json j = json::parse(reply, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  auto rid = j.find("id"), ok = j.find("ok"), result = j.find("result");
  if (rid == j.end() || !rid->is_string() || *rid != id || ok == j.end() || *ok != true) return std::nullopt;
  if (result == j.end() || !result->is_object()) return std::nullopt;
  auto entities = result->find("entities"), seq = result->find("seq"), epoch = result->find("epoch");
  if (entities == result->end() || !entities->is_array() || seq == result->end() || !seq->is_number_unsigned() ||
      epoch == result->end() || !epoch->is_string())
    return std::nullopt;
  BasicSnapshot<State> s;
  try {
    for (const auto& e : *entities) {
      if (!e.is_object() || !e.contains("key") || !e["key"].is_string() || !e.contains("value")) return std::nullopt;
      s.state.apply(e["key"].get<std::string>(), e["value"]);
    }
  } catch (const std::exception&) {
    return std::nullopt;
  }
  s.state.seq = seq->get<uint64_t>();
  s.epoch = epoch->get<std::string>();
  return s;
}

template <class State>
Mirror<State>::Mirror(std::string command_endpoint, std::string update_endpoint, MirrorOptions options)
    : command_endpoint_(std::move(command_endpoint)),
      update_endpoint_(std::move(update_endpoint)),
      options_(options),
      context_(new zmq::context_t(1)),
      control_endpoint_("inproc://mirror-control-" + random_key()) {}

template <class State>
Mirror<State>::~Mirror() {
  stop();
  delete static_cast<zmq::context_t*>(context_);
}

template <class State>
void Mirror<State>::on_change(std::function<void(const MirrorChange&)> callback) {
  std::lock_guard lock(mutex_);
  callback_ = std::move(callback);
}

template <class State>
State Mirror<State>::copy() const {
  std::lock_guard lock(mutex_);
  return state_;
}

template <class State>
std::string Mirror<State>::epoch() const {
  std::lock_guard lock(mutex_);
  return epoch_;
}

template <class State>
void Mirror<State>::start() {
  if (running_.exchange(true)) return;
  auto& ctx = *static_cast<zmq::context_t*>(context_);
  auto control = std::make_shared<zmq::socket_t>(ctx, zmq::socket_type::pair);
  control->bind(control_endpoint_);
  // The bound end is the one the agent polls (a PAIR talks to one peer:
  // stop()'s poke connects to it). Handed over before the thread starts.
  agent_ = std::thread([this, control] { run(control.get()); });
}

template <class State>
void Mirror<State>::stop() {
  if (!running_.exchange(false)) return;
  {
    zmq::socket_t poke(*static_cast<zmq::context_t*>(context_), zmq::socket_type::pair);
    poke.set(zmq::sockopt::linger, 0);
    poke.connect(control_endpoint_);
    poke.send(zmq::str_buffer("stop"), zmq::send_flags::dontwait);
    if (agent_.joinable()) agent_.join();
  }
}

template <class State>
bool Mirror<State>::wait_until(const std::function<bool(const State&)>& pred, int timeout_ms) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return pred(state_); });
}

template <class State>
bool Mirror<State>::wait_for_seq(uint64_t seq, int timeout_ms) const {
  return wait_until([seq](const State& s) { return s.seq >= seq; }, timeout_ms);
}

template <class State>
void Mirror<State>::run(void* control_socket) {
  auto& ctx = *static_cast<zmq::context_t*>(context_);
  zmq::socket_t& control = *static_cast<zmq::socket_t*>(control_socket);

  zmq::socket_t sub(ctx, zmq::socket_type::sub);
  sub.set(zmq::sockopt::linger, 0);
  sub.set(zmq::sockopt::subscribe, "");
  sub.set(zmq::sockopt::rcvhwm, 100000);
  apply_client_curve(sub, options_.curve);
  sub.connect(update_endpoint_);

  std::unique_ptr<zmq::socket_t> dealer;
  std::string snapshot_id;
  steady::time_point snapshot_sent{};
  std::deque<Update> queued;        // updates heard while waiting for the snapshot
  std::string epoch;                // server instance the state belongs to
  bool want_snapshot = true;
  int snapshot_timeout_ms = options_.snapshot_timeout_ms;
  steady::time_point last_heard = steady::now();

  auto request_snapshot = [&] {
    dealer = std::make_unique<zmq::socket_t>(ctx, zmq::socket_type::dealer);
    dealer->set(zmq::sockopt::linger, 0);
    dealer->set(zmq::sockopt::rcvhwm, 0);
    apply_client_curve(*dealer, options_.curve);
    dealer->connect(command_endpoint_);
    Request req;
    req.id = snapshot_id = random_key();
    req.cmd = "snapshot";
    dealer->send(zmq::buffer(encode_request(req)), zmq::send_flags::none);
    snapshot_sent = steady::now();
    want_snapshot = false;
  };

  auto notify = [&](const MirrorChange& change) {
    std::function<void(const MirrorChange&)> cb;
    {
      std::lock_guard lock(mutex_);
      cb = callback_;
    }
    changed_.notify_all();
    if (cb) cb(change);
  };

  // Applies one update in order; false means a gap (resync needed).
  auto apply_update = [&](const Update& u) -> bool {
    if (u.epoch != epoch) return false;
    if (u.seq <= seq_) return true;  // already contained in the snapshot
    if (u.seq != seq_ + 1) return false;
    MirrorChange change;
    change.seq = u.seq;
    change.published_us = u.wall_us;
    {
      std::lock_guard lock(mutex_);
      change.keys = apply_changes(state_, u.changes);
      state_.seq = u.seq;
      seq_ = u.seq;
    }
    notify(change);
    return true;
  };

  while (running_) {
    if (want_snapshot) request_snapshot();

    std::vector<zmq::pollitem_t> items{{control.handle(), 0, ZMQ_POLLIN, 0}, {sub.handle(), 0, ZMQ_POLLIN, 0}};
    if (dealer) items.push_back({dealer->handle(), 0, ZMQ_POLLIN, 0});
    auto now = steady::now();
    auto silence_deadline = last_heard + std::chrono::milliseconds(options_.stale_after_ms);
    auto wake = silence_deadline;
    if (dealer) wake = std::min(wake, snapshot_sent + std::chrono::milliseconds(snapshot_timeout_ms));
    auto timeout = std::max<int64_t>(1, std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count());
    zmq::poll(items.data(), items.size(), std::chrono::milliseconds(timeout));

    if (items[0].revents & ZMQ_POLLIN) break;

    if (items[1].revents & ZMQ_POLLIN) {
      // Drain everything waiting on SUB before redrawing anything.
      while (true) {
        zmq::message_t topic, body;
        if (!sub.recv(topic, zmq::recv_flags::dontwait)) break;
        if (!topic.more() || !sub.recv(body, zmq::recv_flags::none)) continue;
        while (body.more()) (void)sub.recv(body, zmq::recv_flags::none);  // ignore extra frames
        last_heard = steady::now();
        last_heard_ms_ = wall_ms();
        if (stale_ && synced_ && !dealer) {
          stale_ = false;
          notify(MirrorChange{seq_, false, {}});
        }
        Update u;
        if (!decode_update(body.to_string(), u)) continue;
        if (dealer) {  // snapshot pending: keep it for later
          if (topic.to_string() == kTopicUpdate) queued.push_back(std::move(u));
          continue;
        }
        bool in_order = topic.to_string() == kTopicUpdate ? apply_update(u) : (u.epoch == epoch && u.seq <= seq_);
        if (!in_order) {  // gap, restarted server or heartbeat ahead of us
          want_snapshot = true;
          ++resyncs_;
          break;
        }
      }
    }

    if (dealer && items.size() > 2 && (items[2].revents & ZMQ_POLLIN)) {
      zmq::message_t msg;
      (void)dealer->recv(msg);
      if (auto snap = decode_snapshot_of<State>(msg.to_string(), snapshot_id)) {
        {
          std::lock_guard lock(mutex_);
          state_ = std::move(snap->state);
          seq_ = state_.seq;
          epoch = epoch_ = snap->epoch;
        }
        dealer.reset();
        snapshot_timeout_ms = options_.snapshot_timeout_ms;
        synced_ = true;
        stale_ = false;
        last_heard = steady::now();
        last_heard_ms_ = wall_ms();
        notify(MirrorChange{seq_, true, {}});
        while (!queued.empty()) {
          if (!apply_update(queued.front())) {
            want_snapshot = true;
            ++resyncs_;
            break;
          }
          queued.pop_front();
        }
        queued.clear();
      }
    }

    now = steady::now();
    if (now >= last_heard + std::chrono::milliseconds(options_.stale_after_ms)) {
      if (!stale_) {
        stale_ = true;
        notify(MirrorChange{seq_, false, {}});
      }
      last_heard = now;  // retry the snapshot once per stale period
      if (!dealer) {
        want_snapshot = true;
        ++resyncs_;
      }
    }
    if (dealer && now >= snapshot_sent + std::chrono::milliseconds(snapshot_timeout_ms)) {
      queued.clear();
      want_snapshot = true;  // the server did not answer: a fresh socket, a fresh request…
      snapshot_timeout_ms = std::min(snapshot_timeout_ms * 2, 30000);  // …given longer, so a busy server is not swamped
    }
  }
}

template class Mirror<HallState>;
template class Mirror<CountyState>;
template class Mirror<RawState>;
template std::optional<BasicSnapshot<HallState>> decode_snapshot_of(const std::string&, const std::string&);
template std::optional<BasicSnapshot<CountyState>> decode_snapshot_of(const std::string&, const std::string&);
template std::optional<BasicSnapshot<RawState>> decode_snapshot_of(const std::string&, const std::string&);
template std::vector<std::string> apply_changes(HallState&, const json&);
template std::vector<std::string> apply_changes(CountyState&, const json&);
template std::vector<std::string> apply_changes(RawState&, const json&);

}  // namespace hall
