// The hall server's operations port (loopback by default): GET /healthz for
// a service manager or a load balancer, GET /metrics in the Prometheus text
// format. Served by cpp-httplib on its own thread from a snapshot of figures
// the server loop refreshes, so a scrape never touches the hall's state.
#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>
#include <thread>

#include "hall/upstream.h"

namespace httplib { class Server; }

namespace hall {

struct HealthFigures {
  std::string hall_id;
  uint64_t seq = 0;
  int64_t started_ms = 0;
  int64_t loop_ms = 0;                         // wall clock of the server loop's last turn
  bool storage_ok = true;                      // the last commit worked
  std::map<std::string, int> waiting;          // category code → tickets waiting
  int windows_open = 0;
  int devices = 0, devices_silent = 0;         // screen programs that reported; of them, silent now
  std::vector<std::string> silent_devices;     // their ids
  int64_t subscribers = 0;
  int64_t snapshots = 0;                       // snapshots served since start (a storm shows here)
  int64_t commands_ok = 0, commands_refused = 0, storage_failures = 0;
  static constexpr std::array<double, 8> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 1.0};  // seconds
  std::array<int64_t, 9> latency{};            // commands by receipt → reply time, per bucket (last: +Inf)
  double latency_sum_s = 0;
  UpstreamStatus upstream;
  bool upstream_on = false;
};

std::string metrics_text(const HealthFigures& f, int64_t now_ms);   // Prometheus exposition format 0.0.4

class HealthServer {
 public:
  // listen: "HOST:PORT". Throws std::runtime_error naming it when it cannot bind.
  HealthServer(const std::string& listen, std::function<HealthFigures()> figures);
  ~HealthServer();

 private:
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
};

}  // namespace hall
