// HallServer: the sockets around the engine. One thread, one loop:
// drain the ROUTER, run the commands, commit them in one durable transaction
// (group commit), reply, then publish one update with the next sequence
// number. Heartbeats go out when nothing else did for kHeartbeatMs.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "hall/engine.h"
#include "hall/health.h"
#include "hall/store.h"
#include "shared/clock.h"
#include "shared/config.h"

namespace hall {

class HallServer {
 public:
  HallServer(HallConfig config, HallClock clock);  // opens the database, loads the state; throws on failure
  ~HallServer();
  void run(const std::atomic<bool>& stop);        // serves until stop becomes true
  uint64_t seq() const { return seq_; }

 private:
  struct Pending;
  void load();
  void handle(const std::string& body, std::vector<Pending>& batch);
  void flush(std::vector<Pending>& batch);
  json answer_query(const Request& req);
  void publish(const char* topic, const json& body);
  bool queue_upstream(const std::string& key, const json& value, int64_t now);
  void count_subscriptions();
  void refresh_figures();
  void authorize(const std::string& user, const CommandSpec& spec, const Request& req) const;  // throws BusError(forbidden)

  HallConfig config_;
  HallClock clock_;
  HallState state_;
  Engine engine_;
  std::unique_ptr<Store> store_;
  uint64_t seq_ = 0;
  std::string epoch_;  // changes each start: clients resync when it does
  // The encoded snapshot of seq_: screens that join together (a hall
  // powering up, a server restart) share one encoding instead of each
  // costing a full serialization.
  uint64_t snapshot_seq_ = UINT64_MAX;
  std::string snapshot_json_;
  const std::string& encoded_snapshot();
  int64_t last_publish_ms_ = 0;
  int64_t last_housekeeping_ms_ = 0;
  bool forget_old_keys_ = false;  // set at a day's rollover
  struct Sockets;
  std::unique_ptr<Sockets> sockets_;
  std::pair<std::string, std::string> self_keys_;  // CURVE: the case pull's own key pair
  std::unique_ptr<Upstream> upstream_;           // the province's platforms; null when not configured
  std::unique_ptr<class CountyFeed> county_;     // the county server; null when not configured
  bool feeding_ = false;                         // changes go into the feed table for the county
  std::mutex figures_mutex_;                     // figures_ is read by the HTTP thread
  HealthFigures figures_;
  int64_t figures_refreshed_ms_ = 0;
  std::unique_ptr<HealthServer> health_;
};

}  // namespace hall
