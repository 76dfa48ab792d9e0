// What the benchmark programs share: percentiles, a child process's CPU and
// memory from /proc, spawning and stopping the real programs, and reading
// the per-frame trace files the screen programs write with --trace.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support.h"

namespace hall::bench {

inline double percentile_ms(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t rank = size_t(std::ceil(p * double(v.size())));
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}


struct ProcStat {
  double cpu_s = 0;
  long rss_kb = 0;
};
inline ProcStat proc_stat(pid_t pid) {
  ProcStat p;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  auto close = line.rfind(')');
  std::istringstream rest(line.substr(close + 2));
  std::string field;
  unsigned long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stoul(field);
    if (i == 15) stime = std::stoul(field);
  }
  p.cpu_s = double(utime + stime) / double(sysconf(_SC_CLK_TCK));
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) p.rss_kb = std::stol(line.substr(6));
  return p;
}

inline pid_t spawn(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    if (!getenv("BENCH_VERBOSE")) {
      int devnull = open("/dev/null", O_WRONLY);
      dup2(devnull, STDERR_FILENO);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

inline void stop(pid_t pid) {
  kill(pid, SIGTERM);
  int status;
  waitpid(pid, &status, 0);
}

// A trace's frames as (bus sequence, wall clock µs): tests/support.h reads the file.
inline std::vector<std::pair<uint64_t, int64_t>> read_trace(const std::string& path) {
  std::vector<std::pair<uint64_t, int64_t>> out;
  for (const auto& f : test::read_trace_frames(path)) out.push_back({f.seq, f.us});
  return out;
}

// Waits (up to 30 s) for the first frame drawn from a synced mirror; its wall clock µs, or 0.
// Waits until the trace has more than `known` frames and none came for
// quiet_ms (the burst a tap caused is over); false after give_up_ms.
inline bool trace_quiet_after(const std::string& trace, size_t known, int quiet_ms, int give_up_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(give_up_ms);
  size_t seen = known;
  auto last_change = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() < deadline) {
    size_t n = read_trace(trace).size();
    auto now = std::chrono::steady_clock::now();
    if (n != seen) seen = n, last_change = now;
    else if (n > known && now - last_change >= std::chrono::milliseconds(quiet_ms)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling the file the program writes
  }
  return false;
}

inline int64_t first_synced_frame_us(const std::string& trace) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    for (auto& [seq, us] : read_trace(trace))
      if (seq > 0) return us;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // polling the file the program writes
  }
  return 0;
}

}  // namespace hall::bench
