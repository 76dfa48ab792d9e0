#include "county/server.h"

#include <cstdio>

#include <zmq.hpp>

namespace hall::county {

using nlohmann::json;

CountyServer::CountyServer(CountyOptions o) : o_(std::move(o)), store_(o_.database) {}

namespace {
json refusal(const std::string& why) { return json{{"type", "error"}, {"message", why}}; }

HallInfo hall_of(const json& h) {
  if (!h.is_object()) throw std::invalid_argument("'hall' must be an object with id, name, level and parent");
  return {h.value("id", ""), h.value("name", ""), h.value("level", ""), h.value("parent", "")};
}
}  // namespace

json CountyServer::handle(const json& req) {
  try {
    if (!req.is_object() || !req.contains("type") || !req["type"].is_string()) return refusal("a request is a JSON object with a 'type'");
    const std::string type = req["type"];
    if (type == "hello") {
      Cursor c = store_.hello(hall_of(req.value("hall", json())), req.value("db_id", ""), req.value("seq", uint64_t(0)));
      if (!c.refused.empty()) {
        std::fprintf(stderr, "hall-county: %s\n", c.refused.c_str());
        return json{{"type", "refused"}, {"have", c.have}, {"message", c.refused}};
      }
      return json{{"type", "cursor"}, {"have", c.have}};
    }
    if (type == "changes") {
      std::vector<Change> changes;
      const json& list = req.value("changes", json::array());
      if (!list.is_array()) return refusal("'changes' must be an array");
      uint64_t last = 0;
      for (const auto& c : list) {
        Change ch{c.at("seq").get<uint64_t>(), c.at("key").get<std::string>(), c.value("value", json()), c.value("at_ms", int64_t(0))};
        if (ch.seq < last) return refusal("changes must be in sequence order");
        last = ch.seq;
        changes.push_back(std::move(ch));
      }
      uint64_t have = store_.store(req.value("hall_id", ""), req.value("db_id", ""), changes);
      return json{{"type", "ack"}, {"have", have}};
    }
    return refusal("unknown request type '" + type + "'");
  } catch (const CountyError& e) {
    return refusal(e.what());
  } catch (const std::exception& e) {
    return refusal(std::string("malformed request: ") + e.what());
  }
}

void CountyServer::run() {
  zmq::context_t context{1};
  zmq::socket_t router{context, zmq::socket_type::router};
  router.set(zmq::sockopt::linger, 0);
  router.set(zmq::sockopt::rcvtimeo, 200);  // look at stopping_ this often
  router.bind(o_.feed);
  std::printf("ready %s\n", o_.feed.c_str());
  std::fflush(stdout);
  while (!stopping_) {
    zmq::message_t id, body;
    if (!router.recv(id)) continue;
    if (!id.more() || !router.recv(body)) continue;
    while (body.more()) {  // a client that sent more frames than the protocol has: drop the rest
      zmq::message_t extra;
      if (!router.recv(extra)) break;
      body = std::move(extra);
    }
    json reply;
    json req = json::parse(body.to_string_view(), nullptr, false);
    reply = req.is_discarded() ? refusal("a request must be one JSON object") : handle(req);
    router.send(id, zmq::send_flags::sndmore);
    router.send(zmq::buffer(reply.dump()), zmq::send_flags::none);
  }
}

}  // namespace hall::county
