#include "shared/mirror.h"

#include <chrono>
#include <deque>

#include <zmq.hpp>

#include "shared/clock.h"

namespace hall {

namespace {

using steady = std::chrono::steady_clock;

struct Update {
  uint64_t seq = 0;
  std::string epoch;
  int64_t wall_us = 0;
  json changes;
};

}  // namespace

HallMirror::HallMirror(std::string command_endpoint, std::string update_endpoint, MirrorOptions options)
    : command_endpoint_(std::move(command_endpoint)),
      update_endpoint_(std::move(update_endpoint)),
      options_(options),
      context_(new zmq::context_t(1)),
      control_endpoint_("inproc://mirror-control-" + random_key()) {}

HallMirror::~HallMirror() {
  stop();
  delete static_cast<zmq::context_t*>(context_);
}

void HallMirror::on_change(std::function<void(const MirrorChange&)> callback) {
  std::lock_guard lock(mutex_);
  callback_ = std::move(callback);
}

HallState HallMirror::copy() const {
  std::lock_guard lock(mutex_);
  return state_;
}

void HallMirror::start() {
  if (running_.exchange(true)) return;
  auto& ctx = *static_cast<zmq::context_t*>(context_);
  auto control = std::make_shared<zmq::socket_t>(ctx, zmq::socket_type::pair);
  control->bind(control_endpoint_);
  agent_ = std::thread([this, control] {
    (void)control;  // the bound end lives as long as the agent
    run();
  });
}

void HallMirror::stop() {
  if (!running_.exchange(false)) return;
  {
    zmq::socket_t poke(*static_cast<zmq::context_t*>(context_), zmq::socket_type::pair);
    poke.set(zmq::sockopt::linger, 0);
    poke.connect(control_endpoint_);
    poke.send(zmq::str_buffer("stop"), zmq::send_flags::dontwait);
    if (agent_.joinable()) agent_.join();
  }
}

bool HallMirror::wait_until(const std::function<bool(const HallState&)>& pred, int timeout_ms) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return pred(state_); });
}

bool HallMirror::wait_for_seq(uint64_t seq, int timeout_ms) const {
  return wait_until([seq](const HallState& s) { return s.seq >= seq; }, timeout_ms);
}

void HallMirror::run() {
  auto& ctx = *static_cast<zmq::context_t*>(context_);
  zmq::socket_t control(ctx, zmq::socket_type::pair);
  control.connect(control_endpoint_);

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
      for (const auto& c : u.changes) {
        const std::string key = c.value("key", "");
        try {
          state_.apply(key, c.contains("value") ? c["value"] : json());
          change.keys.push_back(key);
        } catch (const std::exception&) {
          // An entity this client cannot read (newer server): keep the rest.
        }
      }
      state_.seq = u.seq;
      seq_ = u.seq;
    }
    notify(change);
    return true;
  };

  auto parse_update = [](const std::string& body, Update& u) -> bool {
    json j = json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.value("v", 0) != kProtocolVersion) return false;
    u.seq = j.value("seq", uint64_t{0});
    u.epoch = j.value("epoch", "");
    u.wall_us = j.value("wall_us", int64_t{0});
    u.changes = j.value("changes", json::array());
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
        if (!parse_update(body.to_string(), u)) continue;
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
      json j = json::parse(msg.to_string(), nullptr, false);
      if (!j.is_discarded() && j.value("id", "") == snapshot_id && j.value("ok", false)) {
        const json& r = j["result"];
        HallState fresh;
        bool good = true;
        try {
          for (const auto& e : r.at("entities")) fresh.apply(e.at("key").get<std::string>(), e.at("value"));
        } catch (const std::exception&) {
          good = false;
        }
        if (good) {
          fresh.seq = r.value("seq", uint64_t{0});
          {
            std::lock_guard lock(mutex_);
            state_ = std::move(fresh);
            seq_ = state_.seq;
            epoch = r.value("epoch", "");
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

}  // namespace hall
