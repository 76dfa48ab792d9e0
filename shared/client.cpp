#include "shared/client.h"

#include <chrono>

namespace hall {

HallClient::HallClient(std::string endpoint, ClientOptions options)
    : endpoint_(std::move(endpoint)), options_(options) {
  reconnect();
}

HallClient::~HallClient() = default;

void HallClient::reconnect() {
  socket_ = std::make_unique<zmq::socket_t>(context_, zmq::socket_type::dealer);
  socket_->set(zmq::sockopt::linger, 0);
  apply_client_curve(*socket_, options_.curve);
  socket_->connect(endpoint_);
}

std::optional<std::string> HallClient::call_raw(const std::string& frame, int timeout_ms) {
  std::lock_guard lock(mutex_);
  socket_->send(zmq::buffer(frame), zmq::send_flags::none);
  zmq::pollitem_t item{socket_->handle(), 0, ZMQ_POLLIN, 0};
  if (zmq::poll(&item, 1, std::chrono::milliseconds(timeout_ms)) <= 0) {
    reconnect();
    return std::nullopt;
  }
  zmq::message_t msg;
  (void)socket_->recv(msg);
  return msg.to_string();
}

Reply HallClient::call(const std::string& cmd, const json& args, std::string key) {
  Request req;
  req.id = random_key();
  req.cmd = cmd;
  req.args = args;
  // Every request carries a key: a command needs one, a query ignores it (docs/PROTOCOL.md §5).
  req.key = key.empty() ? random_key() : std::move(key);
  const std::string frame = encode_request(req);

  std::lock_guard lock(mutex_);
  using clock = std::chrono::steady_clock;
  for (int attempt = 0; attempt < options_.attempts; ++attempt) {
    socket_->send(zmq::buffer(frame), zmq::send_flags::none);
    auto deadline = clock::now() + std::chrono::milliseconds(options_.timeout_ms);
    while (true) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
      if (left.count() <= 0) break;
      zmq::pollitem_t item{socket_->handle(), 0, ZMQ_POLLIN, 0};
      if (zmq::poll(&item, 1, left) <= 0) break;
      zmq::message_t msg;
      (void)socket_->recv(msg);
      json j = json::parse(msg.to_string(), nullptr, false);
      if (j.is_discarded() || j.value("id", "") != req.id) continue;  // a late reply to an earlier attempt
      Reply r;
      r.ok = j.value("ok", false);
      if (r.ok) {
        r.seq = j.value("seq", uint64_t{0});
        r.result = j.value("result", json::object());
      } else {
        r.code = j["error"].value("code", "");
        r.message = j["error"].value("message", "");
      }
      return r;
    }
    reconnect();  // Lazy Pirate: the old socket may hold a dead connection
  }
  Reply r;
  r.code = err::kTimeout;
  r.message = "no reply from the hall server at " + endpoint_ + " after " + std::to_string(options_.attempts) +
              " attempts of " + std::to_string(options_.timeout_ms) + " ms";
  return r;
}

}  // namespace hall
