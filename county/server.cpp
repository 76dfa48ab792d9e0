#include "county/server.h"

#include <algorithm>
#include <cstdio>
#include <tuple>

#include <zmq.hpp>

#include "shared/clock.h"
#include "shared/stats.h"

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
    if (type == "heartbeat") {
      const std::string id = req.value("hall_id", "");
      store_.heard(id, req.value("db_id", ""));
      return json{{"type", "ack"}, {"have", store_.have(id)}};
    }
    const int64_t now = req.contains("now_ms") ? req.at("now_ms").get<int64_t>() : wall_ms();
    if (type == "overview") return overview(now);
    if (type == "figures") {
      const std::string id = req.value("hall_id", "");
      const auto halls = store_.halls();
      if (std::none_of(halls.begin(), halls.end(), [&](const HallRecord& h) { return h.info.id == id; }))
        return refusal("figures: no hall '" + id + "' at this county");
      return json{{"type", "figures"}, {"hall_id", id}, {"figures", to_json(compute_stats(store_.hall_state(id), now))}};
    }
    return refusal("unknown request type '" + type + "'");
  } catch (const CountyError& e) {
    return refusal(e.what());
  } catch (const std::exception& e) {
    return refusal(std::string("malformed request: ") + e.what());
  }
}

json CountyServer::overview(int64_t now_ms) {
  // County hall first, then each township with its villages under it.
  auto halls = store_.halls();
  auto township_of = [&](const HallRecord& h) { return h.info.level == "village" ? h.info.parent : h.info.level == "township" ? h.info.id : ""; };
  auto rank = [](const std::string& level) { return level == "county" ? 0 : level == "township" ? 1 : 2; };
  std::stable_sort(halls.begin(), halls.end(), [&](const HallRecord& a, const HallRecord& b) {
    return std::tuple(township_of(a), rank(a.info.level), a.info.id) < std::tuple(township_of(b), rank(b.info.level), b.info.id);
  });
  json out = json::array();
  for (const HallRecord& h : halls) {
    const HallStats st = compute_stats(store_.hall_state(h.info.id), now_ms);
    const bool silent = h.last_heard_ms == 0 || now_ms - h.last_heard_ms > o_.silent_after_ms;
    out.push_back({{"id", h.info.id}, {"name", h.info.name}, {"level", h.info.level}, {"parent", h.info.parent}, {"township", township_of(h)},
                   {"status", !h.refused.empty() ? "refused" : silent ? "silent" : "online"}, {"last_heard_ms", h.last_heard_ms},
                   {"data_age_ms", h.last_heard_ms ? now_ms - h.last_heard_ms : -1}, {"waiting", st.today.waiting},
                   {"windows_open", st.today.windows_open}, {"tickets_today", st.today.issued}, {"ratings_today", st.hall_today.total},
                   {"good_rate", st.hall_today.total ? json(st.hall_today.good_rate()) : json()}, {"overdue_cases", st.approval.overdue},
                   {"refused", h.refused}});
  }
  return json{{"type", "overview"}, {"now_ms", now_ms}, {"silent_after_ms", o_.silent_after_ms}, {"halls", std::move(out)}};
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
