// The hall's side of the county feed (docs/COUNTY.md): a thread that sends
// what this hall committed to the county server, in order, from where the
// county says it has it, over its own connection to the hall's database
// (the feed table, written in the same transaction as each change). Nothing
// at the hall waits on it: with the county away for days the rows wait.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "shared/config.h"

struct sqlite3;

namespace hall {

struct CountyFeedStatus {
  bool connected = false;                // the last exchange with the county worked
  uint64_t have = 0;                     // what the county has of this hall
  int64_t last_ack_ms = 0;               // wall clock of its last acknowledgement
  std::string refused;                   // why the county holds this hall's feed (back in time, another database)
  std::string last_error;
};

class CountyFeed {
 public:
  CountyFeed(CountyLink link, HallInfo hall, std::string db_path);  // throws naming the database
  ~CountyFeed();
  void start();
  void stop();
  void poke();                           // something was committed: send now
  CountyFeedStatus status() const;

 private:
  void run();
  bool exchange(void* socket, const std::string& request, std::string& reply);  // false: no answer in time
  CountyLink link_;
  HallInfo hall_;
  std::string db_path_;
  sqlite3* db_ = nullptr;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false, poked_ = false;
  CountyFeedStatus status_;
  std::thread thread_;
};

}  // namespace hall
