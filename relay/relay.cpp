#include "relay/relay.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

#include <zmq.hpp>

#include "shared/clock.h"
#include "shared/protocol.h"
#include "shared/publisher.h"

namespace hall {

Relay::Relay(RelayOptions o)
    : o_(std::move(o)), mirror_(o_.upstream_commands, o_.upstream_updates, MirrorOptions{kStaleAfterMs, 2000, o_.curve}), context_(new zmq::context_t(1)) {
  mirror_.on_change([this](const MirrorChange& change) {
    if (!change.resynced && change.keys.empty()) return;  // stale or fresh again: the heartbeats say it
    News n;
    n.resync = change.resynced;
    n.seq = change.seq;
    n.wall_us = change.published_us;
    n.epoch = mirror_.epoch();
    // On the mirror's own thread, right after it applied the change: its state is exactly at change.seq.
    mirror_.read([&](const RawState& s) {
      if (auto hall = s.values.find("hall"); hall != s.values.end() && hall->second.is_object())
        hall_silent_after_s_ = hall->second.value("device_silent_after_s", 90);
      if (change.resynced) {
        n.entities = s.entities();
      } else {
        for (const std::string& key : change.keys) {
          auto it = s.values.find(key);
          n.entities.emplace_back(key, it == s.values.end() ? json() : it->second);
        }
      }
      return 0;
    });
    std::lock_guard lock(mutex_);
    news_.push_back(std::move(n));
    // Wake the relay's loop now, not at its next look: a screen behind a relay is a few µs behind the server.
    if (!wake_) {
      auto* push = new zmq::socket_t(*static_cast<zmq::context_t*>(context_), zmq::socket_type::push);
      push->set(zmq::sockopt::linger, 0);
      push->set(zmq::sockopt::sndhwm, 1);
      push->connect("inproc://relay-wake");
      wake_ = push;
    }
    static_cast<zmq::socket_t*>(wake_)->send(zmq::str_buffer("!"), zmq::send_flags::dontwait);
  });
}

Relay::~Relay() {
  if (reporter_) reporter_->stop();
  mirror_.stop();
  delete static_cast<zmq::socket_t*>(wake_);
  delete static_cast<zmq::context_t*>(context_);
}

void Relay::run() {
  zmq::context_t& context = *static_cast<zmq::context_t*>(context_);
  zmq::socket_t woken{context, zmq::socket_type::pull};
  woken.set(zmq::sockopt::linger, 0);
  woken.bind("inproc://relay-wake");
  zmq::socket_t router{context, zmq::socket_type::router};
  router.set(zmq::sockopt::linger, 0);
  router.set(zmq::sockopt::sndhwm, kReplyHwm);
  router.bind(o_.commands);
  zmq::socket_t pub{context, zmq::socket_type::pub};
  pub.set(zmq::sockopt::linger, 0);
  BusPublisher bus(pub);
  pub.bind(o_.updates);
  zmq::socket_t upstream{context, zmq::socket_type::dealer};  // requests passed on, each with its client's envelope
  upstream.set(zmq::sockopt::linger, 0);
  apply_client_curve(upstream, o_.curve);
  upstream.connect(o_.upstream_commands);
  mirror_.start();
  std::printf("ready %s %s (relaying %s)\n", o_.commands.c_str(), o_.updates.c_str(), o_.upstream_updates.c_str());
  std::fflush(stdout);
  bool synced = false;
  // Snapshot requests that came while the relay had nothing current to give:
  // answered the moment it has (a screen's retry can wait 30 s; this cannot).
  struct Waiting {
    std::vector<zmq::message_t> envelope;
    std::string id;
  };
  std::deque<Waiting> waiting;
  constexpr size_t kMaxWaiting = 10000;
  while (!stopping_) {
    zmq::pollitem_t items[] = {{router.handle(), 0, ZMQ_POLLIN, 0}, {upstream.handle(), 0, ZMQ_POLLIN, 0}, {woken.handle(), 0, ZMQ_POLLIN, 0}};
    zmq::poll(items, 3, std::chrono::milliseconds(200));  // woken by the mirror's news; a heartbeat is due at most this late
    zmq::message_t poke;
    while (woken.recv(poke, zmq::recv_flags::dontwait)) {
    }
    std::deque<News> news;
    {
      std::lock_guard lock(mutex_);
      news.swap(news_);
    }
    if (const int silent_after = hall_silent_after_s_; silent_after > 0) {
      if (!reporter_) {
        std::string id = o_.device;
        if (id.empty()) {
          char host[64] = "";
          gethostname(host, sizeof host - 1);
          id = std::string("relay@") + host;
        }
        reporter_ = std::make_unique<DeviceReporter>(o_.upstream_commands, o_.curve, DeviceIdentity{id, "relay", 0}, "hall-relay", false);
        reporter_->set_page("relay");
        reporter_->start();
      }
      reporter_->set_interval_ms(silent_after * 1000 / 3);
    }
    for (News& n : news) {
      if (n.resync || n.epoch != bus.epoch() || n.seq != bus.seq() + 1) {
        // Taken over whole: screens see the new seq or epoch and resync from here, not from upstream.
        bus.adopt(n.epoch, n.seq, std::move(n.entities));
        synced = true;
        std::fprintf(stderr, "hall-relay: synced with %s at seq %llu\n", o_.upstream_commands.c_str(), (unsigned long long)n.seq);
        continue;
      }
      bus.forward(n.seq, 0, n.wall_us, n.entities);
    }
    std::vector<zmq::message_t> parts;
    while (recv_message(router, parts)) {  // screens' requests
      if (parts.size() < 2) continue;
      const std::string frame = parts.back().to_string();
      bool local = false;
      try {
        Request req = parse_request(frame);
        if (req.cmd == "snapshot") {
          local = true;
          if (synced && !mirror_.stale()) {
            send_under(router, parts, bus.snapshot_reply(req.id));
          } else {  // like a server that is gone, no answer yet: it comes when the upstream is heard again
            if (waiting.size() >= kMaxWaiting) waiting.pop_front();
            parts.pop_back();
            waiting.push_back({std::move(parts), req.id});
          }
        }
      } catch (const BusError&) {
        // the upstream answers it, with the same error a screen would get from the server
      }
      if (!local) {  // passed up under the client's envelope
        for (size_t i = 1; i < parts.size(); ++i) upstream.send(parts[i - 1], zmq::send_flags::sndmore);
        upstream.send(parts.back(), zmq::send_flags::dontwait);
      }
    }
    while (recv_message(upstream, parts)) {  // the upstream's replies, each under the envelope it was sent with
      if (parts.size() < 2) continue;
      for (size_t i = 0; i + 1 < parts.size(); ++i) router.send(parts[i], zmq::send_flags::sndmore);
      router.send(parts.back(), zmq::send_flags::dontwait);
    }
    if (synced && !mirror_.stale()) {
      for (Waiting& w : waiting) {
        w.envelope.emplace_back();  // the body's place: send_under sends all but the last
        send_under(router, w.envelope, bus.snapshot_reply(w.id));
      }
      waiting.clear();
      bus.heartbeat_if_due(0);
    }
  }
  mirror_.stop();
}

}  // namespace hall
