// hall-county: gathers a county's halls into PostgreSQL and publishes the
// county's state on its own bus. Each hall server (the authority of its
// hall) connects to the county's feed socket and sends what it committed,
// in order, from where the county says it has it. The county keeps every
// hall's state in memory as well (read back from PostgreSQL at start), so
// a stored batch reaches the county's screens without a query.
// Protocol: docs/COUNTY.md.
#pragma once

#include <atomic>
#include <map>
#include <set>
#include <vector>
#include <string>

#include "county/store.h"
#include "shared/county_stats.h"

namespace hall::county {

struct CountyOptions {
  std::string database;                        // libpq connection string
  std::string feed = "tcp://127.0.0.1:5570";   // ROUTER: halls send here, screens ask for snapshots here
  std::string updates = "tcp://127.0.0.1:5571";  // XPUB: the county's bus (updates, heartbeats)
  int64_t silent_after_ms = 60000;             // not heard from this long: shown as silent, never as current
  int aggregate_ms = 1000;                     // rankings, warnings and trends are recomputed at most this often
  CountyInfo county;                           // who the county is and the rules of its figures (county.json)
  std::string upstream_feed;                   // the level above (a city's hall-county); empty: none
};

// county.json (docs/COUNTY.md §8); throws ConfigError naming the file, the key and what is wrong.
CountyOptions load_county_config(const std::string& path);

class CountyServer {
 public:
  explicit CountyServer(CountyOptions o);     // connects to PostgreSQL, migrates, loads every hall; throws naming what failed
  void run();                                 // until stop()
  void stop() { stopping_ = true; }
  // One request from a hall, answered: the whole feed protocol, without sockets (tests, fuzzing).
  nlohmann::json handle(const nlohmann::json& request);
  // Many requests as they came off the socket, answered in the same order:
  // the batches and heartbeats among them are stored with one commit
  // (CountyStore::store_many), so a hall's batch never waits behind a
  // hundred other halls' fsyncs. Halls whose `have` moved go into `moved`.
  std::vector<nlohmann::json> handle_all(const std::vector<nlohmann::json>& requests, std::set<std::string>* moved = nullptr);
  // Every hall with its status and today's headline figures, each computed
  // by shared/stats from the state the county holds (docs/COUNTY.md).
  nlohmann::json overview(int64_t now_ms);
  // What the county's bus carries at now_ms (shared/county_stats).
  CountyState state(int64_t now_ms);

 private:
  struct Member {
    HallRecord record;
    HallState state;
    HallStats stats;
    bool stale_stats = true;                  // state changed since stats were computed
  };
  // Stores the batches (and heartbeats) of requests[first, last) at once;
  // their replies go into `replies`.
  void store_group(const std::vector<nlohmann::json>& requests, const std::vector<size_t>& which, std::vector<nlohmann::json>& replies,
                   std::set<std::string>* moved);
  void load_members();
  Member& member(const std::string& id);      // throws CountyError for a hall that never said hello
  void refresh(int64_t now_ms, bool all);     // stats of changed halls (all: every hall, the clock moved)
  std::vector<CountyMember> view();
  CountyOptions o_;
  CountyStore store_;
  std::map<std::string, Member> members_;
  bool changed_ = false;                      // a hall's state changed since the last publish
  std::atomic<bool> stopping_{false};
};

}  // namespace hall::county
