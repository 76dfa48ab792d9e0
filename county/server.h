// hall-county: gathers a county's halls into PostgreSQL. Each hall server
// (the authority of its hall) connects to the county's feed socket and
// sends what it committed, in order, from where the county says it has it.
// Protocol: docs/COUNTY.md.
#pragma once

#include <atomic>
#include <string>

#include "county/store.h"

namespace hall::county {

struct CountyOptions {
  std::string database;                      // libpq connection string
  std::string feed = "tcp://127.0.0.1:5570";   // ROUTER: halls connect here
  int64_t silent_after_ms = 60000;           // not heard from this long: shown as silent, never as current
};

class CountyServer {
 public:
  explicit CountyServer(CountyOptions o);     // connects to PostgreSQL and migrates; throws naming what failed
  void run();                                 // until stop()
  void stop() { stopping_ = true; }
  // One request from a hall, answered: the whole protocol, without sockets (tests, fuzzing).
  nlohmann::json handle(const nlohmann::json& request);
  // Every hall with its status and today's headline figures, each computed
  // by shared/stats from the state the county holds (docs/COUNTY.md).
  nlohmann::json overview(int64_t now_ms);

 private:
  CountyOptions o_;
  CountyStore store_;
  std::atomic<bool> stopping_{false};
};

}  // namespace hall::county
