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
};

class CountyServer {
 public:
  explicit CountyServer(CountyOptions o);     // connects to PostgreSQL and migrates; throws naming what failed
  void run();                                 // until stop()
  void stop() { stopping_ = true; }
  // One request from a hall, answered: the whole protocol, without sockets (tests, fuzzing).
  nlohmann::json handle(const nlohmann::json& request);

 private:
  CountyOptions o_;
  CountyStore store_;
  std::atomic<bool> stopping_{false};
};

}  // namespace hall::county
