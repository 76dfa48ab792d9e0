#include "shared/publisher.h"

#include <chrono>

#include <zmq.hpp>

#include "shared/protocol.h"

namespace hall {

namespace {
int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
int64_t wall_us_now() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}
json changes_json(const std::vector<std::pair<std::string, json>>& changes) {
  json list = json::array();
  for (const auto& [key, value] : changes) list.push_back({{"key", key}, {"value", value}});
  return list;
}
}  // namespace

bool recv_message(zmq::socket_t& socket, std::vector<zmq::message_t>& parts) {
  parts.clear();
  zmq::message_t part;
  if (!socket.recv(part, zmq::recv_flags::dontwait)) return false;
  bool more = part.more();
  parts.push_back(std::move(part));
  while (more) {  // a multipart message arrives whole
    zmq::message_t next;
    if (!socket.recv(next, zmq::recv_flags::none)) break;
    more = next.more();
    parts.push_back(std::move(next));
  }
  return true;
}

void send_under(zmq::socket_t& socket, std::vector<zmq::message_t>& parts, const std::string& body) {
  for (size_t i = 0; i + 1 < parts.size(); ++i) socket.send(parts[i], zmq::send_flags::sndmore | zmq::send_flags::dontwait);
  socket.send(zmq::buffer(body), zmq::send_flags::dontwait);
}

BusPublisher::BusPublisher(zmq::socket_t& pub, std::string epoch) : pub_(pub), epoch_(epoch.empty() ? random_key() : std::move(epoch)) {
  pub_.set(zmq::sockopt::sndhwm, kUpdateHwm);
  pub_.set(zmq::sockopt::sndbuf, kUpdateSndbuf);
  last_sent_ms_ = steady_ms();
}

void BusPublisher::send(const char* topic, const std::string& body) {
  pub_.send(zmq::buffer(std::string(topic)), zmq::send_flags::sndmore);
  pub_.send(zmq::buffer(body), zmq::send_flags::none);
  last_sent_ms_ = steady_ms();
}

void BusPublisher::publish(const std::vector<std::pair<std::string, json>>& changes, int64_t at_ms) {
  if (changes.empty()) return;
  forward(seq_ + 1, at_ms, wall_us_now(), changes);
}

void BusPublisher::adopt(std::string epoch, uint64_t seq, std::vector<std::pair<std::string, json>> entities) {
  epoch_ = std::move(epoch);
  seq_ = seq;
  entities_.clear();
  for (auto& [key, value] : entities) entities_[key] = std::move(value);
  snapshot_seq_ = UINT64_MAX;
}

void BusPublisher::forward(uint64_t seq, int64_t at_ms, int64_t wall_us, const std::vector<std::pair<std::string, json>>& changes) {
  for (const auto& [key, value] : changes) {
    if (value.is_null()) entities_.erase(key);
    else entities_[key] = value;
  }
  seq_ = seq;
  json body{{"v", kProtocolVersion}, {"epoch", epoch_}, {"seq", seq_}, {"at_ms", at_ms}, {"wall_us", wall_us}, {"changes", changes_json(changes)}};
  send(kTopicUpdate, body.dump());
}

bool BusPublisher::heartbeat_if_due(int64_t at_ms) {
  if (steady_ms() - last_sent_ms_ < kHeartbeatMs) return false;
  json body{{"v", kProtocolVersion}, {"epoch", epoch_}, {"seq", seq_}, {"at_ms", at_ms}};
  send(kTopicHeartbeat, body.dump());
  return true;
}

int BusPublisher::next_heartbeat_in_ms() const {
  int64_t left = kHeartbeatMs - (steady_ms() - last_sent_ms_);
  return left < 1 ? 1 : int(left);
}

std::string BusPublisher::snapshot_reply(const std::string& id) {
  if (snapshot_seq_ != seq_) {
    json entities = json::array();
    for (const auto& [key, value] : entities_) entities.push_back({{"key", key}, {"value", value}});
    snapshot_json_ = json{{"epoch", epoch_}, {"seq", seq_}, {"entities", std::move(entities)}}.dump();
    snapshot_seq_ = seq_;
  }
  return "{\"v\":" + std::to_string(kProtocolVersion) + ",\"id\":" + json(id).dump() + ",\"ok\":true,\"seq\":" + std::to_string(seq_) +
         ",\"result\":" + snapshot_json_ + "}";
}

}  // namespace hall
