#include "county/server.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <tuple>

#include <zmq.hpp>

#include "county/uplink.h"
#include "shared/clock.h"
#include "shared/config.h"
#include "shared/county_stats.h"
#include "shared/protocol.h"
#include "shared/publisher.h"

namespace hall::county {

using nlohmann::json;

CountyOptions load_county_config(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path + ": cannot be read");
  json j = json::parse(in, nullptr, false);
  if (j.is_discarded()) throw ConfigError(path + ": is not JSON");
  ConfigReader top(path, j, "");
  top.only({"county", "database", "feed", "updates", "silent_after_ms", "ranking", "warnings", "upstream_feed", "note"});
  CountyOptions o;
  o.upstream_feed = top.get<std::string>("upstream_feed", "");
  if (!o.upstream_feed.empty() && o.upstream_feed.rfind("tcp://", 0) != 0) top.fail("upstream_feed", "must be a tcp:// address of the level above's feed");
  ConfigReader c(path, top.must<json>("county"), "county");
  c.only({"id", "name", "level", "parent"});
  o.county.id = c.text("id");
  o.county.name = c.text("name");
  o.county.level = c.get<std::string>("level", "county");
  o.county.parent = c.get<std::string>("parent", "");
  o.database = top.get<std::string>("database", "");
  o.feed = top.get<std::string>("feed", o.feed);
  o.updates = top.get<std::string>("updates", o.updates);
  o.silent_after_ms = top.get<int64_t>("silent_after_ms", o.silent_after_ms);
  if (o.silent_after_ms < 1000) top.fail("silent_after_ms", "must be at least 1000 (ms)");
  if (top.has("ranking")) {
    ConfigReader r(path, top.must<json>("ranking"), "ranking");
    r.only({"min_ratings", "min_cases"});
    o.county.min_ratings = r.get<int>("min_ratings", o.county.min_ratings);
    o.county.min_cases = r.get<int>("min_cases", o.county.min_cases);
    if (o.county.min_ratings < 1) r.fail("min_ratings", "must be at least 1");
    if (o.county.min_cases < 1) r.fail("min_cases", "must be at least 1");
  }
  if (top.has("warnings")) {
    ConfigReader w(path, top.must<json>("warnings"), "warnings");
    w.only({"overdue_cases", "followups_overdue", "good_rate_below", "good_rate_min_ratings", "wait_minutes_above"});
    auto rule = [&](const char* key, WarningRule& into) {
      if (!w.has(key)) return;
      try {
        into = w.must<json>(key).get<WarningRule>();
      } catch (const std::invalid_argument& e) {
        w.fail(key, e.what());
      }
    };
    rule("overdue_cases", o.county.warnings.overdue_cases);
    rule("followups_overdue", o.county.warnings.followups_overdue);
    rule("good_rate_below", o.county.warnings.good_rate_below);
    rule("wait_minutes_above", o.county.warnings.wait_minutes_above);
    o.county.warnings.good_rate_min_ratings = w.get<int>("good_rate_min_ratings", o.county.warnings.good_rate_min_ratings);
    for (const auto& [color, at] : o.county.warnings.good_rate_below.at)
      if (at <= 0 || at > 1) w.fail("good_rate_below", "a 好评率 floor is a fraction between 0 and 1 (0.95), not " + std::to_string(at));
  }
  o.county.silent_after_ms = int(o.silent_after_ms);
  return o;
}

CountyServer::CountyServer(CountyOptions o) : o_(std::move(o)), store_(o_.database) {
  o_.county.silent_after_ms = int(o_.silent_after_ms);
  load_members();
}

void CountyServer::load_members() {
  for (HallRecord& r : store_.halls()) {
    auto& m = members_[r.info.id];
    m.record = std::move(r);
    m.state = store_.hall_state(m.record.info.id);
    m.stale_stats = true;
  }
  changed_ = true;
}

CountyServer::Member& CountyServer::member(const std::string& id) {
  auto it = members_.find(id);
  if (it == members_.end()) throw CountyError("hall '" + id + "' has not said hello");
  return it->second;
}

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
      const HallInfo info = hall_of(req.value("hall", json()));
      Cursor c = store_.hello(info, req.value("db_id", ""), req.value("seq", uint64_t(0)));
      auto& m = members_[info.id];
      m.record.info = info;
      m.record.have = c.have;
      m.record.refused = c.refused;
      m.record.last_heard_ms = wall_ms();
      m.stale_stats = changed_ = true;
      if (!c.refused.empty()) {
        std::fprintf(stderr, "hall-county: %s\n", c.refused.c_str());
        return json{{"type", "refused"}, {"have", c.have}, {"message", c.refused}};
      }
      return json{{"type", "cursor"}, {"have", c.have}};
    }
    if (type == "changes" || type == "heartbeat") return handle_all({req}).at(0);
    const int64_t now = req.contains("now_ms") ? req.at("now_ms").get<int64_t>() : wall_ms();
    if (type == "overview") return overview(now);
    if (type == "figures") {
      const std::string id = req.value("hall_id", "");
      if (!members_.count(id)) return refusal("figures: no hall '" + id + "' at this county");
      return json{{"type", "figures"}, {"hall_id", id}, {"figures", to_json(compute_stats(members_[id].state, now))}};
    }
    return refusal("unknown request type '" + type + "'");
  } catch (const CountyError& e) {
    return refusal(e.what());
  } catch (const std::exception& e) {
    return refusal(std::string("malformed request: ") + e.what());
  }
}

namespace {
bool is_batch(const json& req) {
  return req.is_object() && req.contains("type") && req["type"].is_string() && (req["type"] == "changes" || req["type"] == "heartbeat");
}
}  // namespace

std::vector<json> CountyServer::handle_all(const std::vector<json>& requests, std::set<std::string>* moved) {
  std::vector<json> replies(requests.size());
  std::vector<size_t> group;  // batches waiting for one commit; any other request stores them first (a hello must see them)
  for (size_t i = 0; i < requests.size(); ++i) {
    if (is_batch(requests[i])) {
      group.push_back(i);
      continue;
    }
    store_group(requests, group, replies, moved);
    group.clear();
    const std::string id = requests[i].is_object() ? requests[i].value("hall_id", "") : "";
    const uint64_t before = members_.count(id) ? members_[id].record.have : 0;
    replies[i] = handle(requests[i]);
    if (moved && members_.count(id) && members_[id].record.have != before) moved->insert(id);
  }
  store_group(requests, group, replies, moved);
  return replies;
}

void CountyServer::store_group(const std::vector<json>& requests, const std::vector<size_t>& which, std::vector<json>& replies,
                               std::set<std::string>* moved) {
  if (which.empty()) return;
  std::vector<Batch> batches;
  std::vector<size_t> stored;  // index into requests of each batch
  for (size_t i : which) {
    const json& req = requests[i];
    try {
      Batch b{req.value("hall_id", ""), req.value("db_id", ""), {}};
      if (req["type"] == "changes") {
        const json& list = req.value("changes", json::array());
        if (!list.is_array()) throw CountyError("'changes' must be an array");
        uint64_t last = 0;
        for (const auto& c : list) {
          Change ch{c.at("seq").get<uint64_t>(), c.at("key").get<std::string>(), c.value("value", json()), c.value("at_ms", int64_t(0))};
          if (ch.seq < last) throw CountyError("changes must be in sequence order");
          last = ch.seq;
          b.changes.push_back(std::move(ch));
        }
      }
      batches.push_back(std::move(b));
      stored.push_back(i);
    } catch (const CountyError& e) {
      replies[i] = refusal(e.what());
    } catch (const std::exception& e) {
      replies[i] = refusal(std::string("malformed request: ") + e.what());
    }
  }
  std::vector<Stored> results;
  try {
    results = store_.store_many(batches);
  } catch (const CountyError& e) {
    for (size_t i : stored) replies[i] = refusal(e.what());  // PostgreSQL away: nothing acknowledged, the halls send again
    return;
  }
  // Durable now: the county's copy in memory follows, each change applied once.
  const int64_t now = wall_ms();
  for (size_t n = 0; n < batches.size(); ++n) {
    const size_t i = stored[n];
    if (!results[n].refused.empty()) {
      replies[i] = refusal(results[n].refused);
      continue;
    }
    Member& m = members_[batches[n].hall_id];  // said hello: store_many checked
    const uint64_t before = m.record.have;
    for (const Change& c : batches[n].changes) {
      if (c.seq <= m.record.have) continue;
      try {
        m.state.apply(c.key, c.value);
      } catch (const std::exception&) {
        // a kind this county server does not know yet: stored all the same
      }
    }
    m.state.seq = m.record.have = std::max(m.record.have, results[n].have);
    m.record.last_heard_ms = now;
    if (m.record.have != before) {
      m.stale_stats = changed_ = true;
      if (moved) moved->insert(batches[n].hall_id);
    }
    replies[i] = json{{"type", "ack"}, {"have", m.record.have}};
  }
}

void CountyServer::refresh(int64_t now_ms, bool all) {
  for (auto& [id, m] : members_) {
    if (!m.stale_stats && !all) continue;
    m.stats = compute_stats(m.state, now_ms);
    m.stale_stats = false;
  }
}

std::vector<CountyMember> CountyServer::view() {
  std::vector<CountyMember> out;
  for (auto& [id, m] : members_)
    out.push_back({m.record.info.id, m.record.info.name, m.record.info.level, m.record.info.parent, m.record.last_heard_ms, m.record.refused,
                   &m.state, &m.stats});
  return out;
}

CountyState CountyServer::state(int64_t now_ms) {
  refresh(now_ms, true);
  return county_state(view(), o_.county, now_ms);
}

json CountyServer::overview(int64_t now_ms) {
  // County hall first, then each township with its villages under it.
  refresh(now_ms, true);
  auto members = view();
  auto rank = [](const std::string& level) { return level == "county" ? 0 : level == "township" ? 1 : 2; };
  std::stable_sort(members.begin(), members.end(), [&](const CountyMember& a, const CountyMember& b) {
    return std::tuple(township_of(a), rank(a.level), a.id) < std::tuple(township_of(b), rank(b.level), b.id);
  });
  json out = json::array();
  for (const CountyMember& m : members) {
    const CountyHall h = county_hall(m, now_ms, o_.silent_after_ms);
    out.push_back({{"id", h.id}, {"name", h.name}, {"level", h.level}, {"parent", h.parent}, {"township", h.township}, {"status", h.status},
                   {"last_heard_ms", h.last_heard_ms}, {"data_age_ms", h.last_heard_ms ? now_ms - h.last_heard_ms : -1},
                   {"waiting", h.waiting}, {"windows_open", h.windows_open}, {"tickets_today", h.tickets_today},
                   {"ratings_today", h.ratings_today}, {"good_rate", h.ratings_today ? json(double(h.good_today) / h.ratings_today) : json()},
                   {"overdue_cases", h.overdue_cases}, {"refused", h.refused}});
  }
  return json{{"type", "overview"}, {"now_ms", now_ms}, {"silent_after_ms", o_.silent_after_ms}, {"halls", std::move(out)}};
}

namespace {
// A screen's request on the county bus (docs/PROTOCOL.md §3): snapshot and ping.
std::string bus_answer(const std::string& frame, BusPublisher& bus) {
  try {
    Request req = parse_request(frame);
    if (req.cmd == "snapshot") return bus.snapshot_reply(req.id);
    if (req.cmd == "ping") return ok_reply(req.id, bus.seq(), json{{"epoch", bus.epoch()}}).dump();
    return error_reply(req.id, err::kUnknownCommand, "the county bus answers snapshot and ping, not '" + req.cmd + "'").dump();
  } catch (const BusError& e) {
    return error_reply("", e.code, e.what()).dump();
  }
}

}  // namespace

void CountyServer::run() {
  zmq::context_t context{1};
  zmq::socket_t router{context, zmq::socket_type::router};
  router.set(zmq::sockopt::linger, 0);
  router.set(zmq::sockopt::sndhwm, kReplyHwm);
  router.bind(o_.feed);
  zmq::socket_t pub{context, zmq::socket_type::pub};
  pub.set(zmq::sockopt::linger, 0);
  BusPublisher bus(pub);
  pub.bind(o_.updates);
  int64_t last_aggregate = 0;
  CountyState published;  // what the bus carries now, as values: the next aggregate is diffed against it
  auto publish_all = [&](int64_t now) {
    const auto t0 = std::chrono::steady_clock::now();
    CountyState s = state(now);
    const auto t1 = std::chrono::steady_clock::now();
    bus.publish(s.changes_from(published), now);
    published = std::move(s);
    if (getenv("HALL_COUNTY_TIMING"))
      std::fprintf(stderr, "hall-county: aggregate %lld us, publish %lld us\n",
                   (long long)std::chrono::duration_cast<std::chrono::microseconds>(t1 - t0).count(),
                   (long long)std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t1).count());
    last_aggregate = now;
    changed_ = false;
  };
  publish_all(wall_ms());
  std::unique_ptr<Uplink> uplink;
  if (!o_.upstream_feed.empty()) {
    uplink = std::make_unique<Uplink>(o_.database, o_.upstream_feed);
    uplink->start();
  }
  std::printf("ready %s %s\n", o_.feed.c_str(), o_.updates.c_str());
  std::fflush(stdout);
  std::set<std::string> moved;  // halls whose state changed since their row went out
  while (!stopping_) {
    const int64_t now = wall_ms();
    int wait = std::min<int>(200, bus.next_heartbeat_in_ms());  // look at stopping_ this often
    if (changed_) wait = std::max<int64_t>(0, std::min<int64_t>(wait, last_aggregate + o_.aggregate_ms - now));
    zmq::pollitem_t items[] = {{router.handle(), 0, ZMQ_POLLIN, 0}};
    zmq::poll(items, 1, std::chrono::milliseconds(wait));
    // Drain what came, then publish once: a burst of batches is one update.
    // Drain what came (a bounded round), answer the bus's requests at once,
    // store the halls' batches with one commit, then publish once.
    std::vector<std::vector<zmq::message_t>> feed;
    std::vector<json> requests;
    std::vector<zmq::message_t> parts;
    while (requests.size() < 1000 && recv_message(router, parts)) {
      if (parts.size() < 2) continue;  // no routing id: not a request
      const std::string frame = parts.back().to_string();
      json req = json::parse(frame, nullptr, false);
      if (req.is_object() && req.contains("cmd")) {
        send_under(router, parts, bus_answer(frame, bus));
        continue;
      }
      requests.push_back(req.is_discarded() ? json("not JSON") : std::move(req));
      feed.push_back(std::move(parts));
      parts.clear();
    }
    if (!requests.empty()) {
      const auto t0 = std::chrono::steady_clock::now();
      std::vector<json> replies = handle_all(requests, &moved);
      for (size_t i = 0; i < feed.size(); ++i) send_under(router, feed[i], replies[i].dump());
      if (getenv("HALL_COUNTY_TIMING"))
        std::fprintf(stderr, "hall-county: %zu requests stored and answered in %lld us\n", requests.size(),
                     (long long)std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count());
    }
    const int64_t after = wall_ms();
    if (!moved.empty()) {
      // A hall's own row at once (a commit reaches the leader's screen in milliseconds);
      // rankings, warnings and trends with the next aggregate.
      refresh(after, false);
      std::vector<CountyMember> members;
      for (const CountyMember& m : view())
        if (moved.count(m.id)) members.push_back(m);
      std::vector<std::pair<std::string, json>> rows;
      for (const auto& m : members) {
        CountyHall row = county_hall(m, after, o_.silent_after_ms);
        if (published.halls.count(m.id) && published.halls[m.id] == row) continue;
        rows.emplace_back("hall/" + m.id, row);
        published.halls[m.id] = std::move(row);
      }
      bus.publish(rows, after);
      moved.clear();
    }
    // The clock moves statuses (silent) and days: every hall again now and then.
    const int64_t clock_moves = std::max<int64_t>(o_.aggregate_ms, std::min<int64_t>(5000, o_.silent_after_ms / 3));
    if ((changed_ && after - last_aggregate >= o_.aggregate_ms) || after - last_aggregate >= clock_moves) publish_all(after);
    bus.heartbeat_if_due(after);
  }
}

}  // namespace hall::county
