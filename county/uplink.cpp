#include "county/uplink.h"

#include <chrono>
#include <cstdio>
#include <map>

#include <zmq.hpp>

#include "county/store.h"

namespace hall::county {

using nlohmann::json;

Uplink::Uplink(std::string database, std::string feed) : database_(std::move(database)), feed_(std::move(feed)) {}
Uplink::~Uplink() { stop(); }
void Uplink::start() { thread_ = std::thread([this] { run(); }); }
void Uplink::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void Uplink::run() {
  zmq::context_t context{1};
  std::string last_error;
  auto complain = [&](const std::string& why) {
    if (why != last_error) std::fprintf(stderr, "hall-county: reporting to %s: %s\n", feed_.c_str(), why.c_str());
    last_error = why;
  };
  while (!stop_) {
    try {
      CountyStore store(database_);  // its own connection: the county's loop never waits on this one
      zmq::socket_t socket{context, zmq::socket_type::dealer};
      socket.set(zmq::sockopt::linger, 0);
      socket.set(zmq::sockopt::rcvtimeo, 5000);
      socket.connect(feed_);
      auto ask = [&](const json& request) {
        socket.send(zmq::buffer(request.dump()));
        zmq::message_t reply;
        if (!socket.recv(reply)) throw CountyError("no answer within 5000 ms");
        return json::parse(reply.to_string_view());
      };
      std::map<std::string, uint64_t> above;  // hall → what the level above has of it
      while (!stop_) {
        bool sent = false;
        for (const HallRecord& h : store.halls()) {
          if (!h.refused.empty()) continue;  // a hall the county holds back is not passed on either
          const std::string db = store.db_id(h.info.id);
          if (!above.count(h.info.id)) {
            json answer = ask({{"type", "hello"}, {"hall", {{"id", h.info.id}, {"name", h.info.name}, {"level", h.info.level}, {"parent", h.info.parent}}},
                               {"db_id", db}, {"seq", h.have}});
            if (answer.value("type", "") != "cursor") {
              complain(h.info.id + ": " + answer.value("message", "refused"));
              continue;
            }
            above[h.info.id] = answer.value("have", uint64_t(0));
          }
          if (above[h.info.id] >= h.have) continue;
          std::vector<Change> changes = store.changes_after(h.info.id, above[h.info.id], 500);
          if (changes.empty()) continue;
          json list = json::array();
          for (const Change& c : changes) list.push_back({{"seq", c.seq}, {"key", c.key}, {"value", c.value}, {"at_ms", c.at_ms}});
          json ack = ask({{"type", "changes"}, {"hall_id", h.info.id}, {"db_id", db}, {"changes", std::move(list)}});
          if (ack.value("type", "") != "ack") {
            complain(h.info.id + ": " + ack.value("message", "refused"));
            above.erase(h.info.id);  // say hello again next time
            continue;
          }
          above[h.info.id] = ack.value("have", above[h.info.id]);
          sent = true;
          last_error.clear();
        }
        if (!sent) std::this_thread::sleep_for(std::chrono::milliseconds(200));  // new changes are looked for this often
      }
    } catch (const std::exception& e) {
      complain(e.what());
      for (int i = 0; i < 20 && !stop_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

}  // namespace hall::county
