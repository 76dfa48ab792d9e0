// Reporting upward (四级: a county to its city): the county sends every hall
// it holds to the level above over the same feed protocol a hall uses
// (docs/COUNTY.md), each hall under its own id and database, from the
// county's durable history in PostgreSQL and from where the level above says
// it has it. The level above is just another hall-county; nothing at the
// county waits on it.
#pragma once

#include <atomic>
#include <string>
#include <thread>

namespace hall::county {

class Uplink {
 public:
  Uplink(std::string database, std::string feed);  // feed: the level above's feed socket
  ~Uplink();
  void start();
  void stop();

 private:
  void run();
  std::string database_, feed_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace hall::county
