// Test support: real hall-server processes on 127.0.0.1, temporary
// directories, free ports and waiting on conditions with a deadline.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hall::test {

using json = nlohmann::json;

std::string temp_dir(const std::string& tag);             // a fresh directory under /tmp
int free_port();                                          // a TCP port on 127.0.0.1 nobody listens on
std::string write_file(const std::string& path, const std::string& text);

// Polls `cond` until it holds or `timeout_ms` passes; true when it held.
bool eventually(const std::function<bool()>& cond, int timeout_ms = 5000);

// A small hall for tests: 3 categories, 4 windows, 4 staff, the real catalogue and calendar.
json test_hall_config(const std::string& database, int commands_port, int updates_port);
// A busy hall for benchmarks: `windows` windows over 10 categories.
json busy_hall_config(int windows);

// A hall-server child process. Starts on construction, waits for "ready".
class ServerProcess {
 public:
  // `config` replaces the small test hall (its database and bus are set here).
  ServerProcess(const std::string& dir, std::vector<std::string> extra_args = {}, json config = nullptr);
  ~ServerProcess();                           // SIGTERM, then wait
  void start();                               // (re)starts on the same config, database and ports
  void kill9();                               // SIGKILL and reap: a crash
  void stop();                                // SIGTERM and reap
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  std::string commands() const { return "tcp://127.0.0.1:" + std::to_string(commands_port_); }
  std::string updates() const { return "tcp://127.0.0.1:" + std::to_string(updates_port_); }
  int updates_port() const { return updates_port_; }
  std::string config_path() const { return config_path_; }
  std::string database() const { return database_; }
  std::string log() const;                    // what the server wrote to stderr

 private:
  std::string dir_, config_path_, database_, log_path_;
  std::vector<std::string> extra_;
  int commands_port_ = 0, updates_port_ = 0;
  pid_t pid_ = -1;
};

// Any program of this project as a child process (a county server, a relay):
// started with `argv`, stdout and stderr to `log_path`, ready once its log
// says "ready". Stopped with SIGTERM on destruction.
class Program {
 public:
  Program(std::vector<std::string> argv, std::string log_path);  // starts it; throws when it is not ready within 20 s
  ~Program();
  void start();                               // again, same arguments (the log is appended to)
  void stop(int sig = 15);                    // the signal (SIGTERM, SIGKILL), then reap
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  std::string log() const;

 private:
  std::vector<std::string> argv_;
  std::string log_path_;
  pid_t pid_ = -1;
  size_t ready_seen_ = 0;                     // "ready" lines already in the log
};

// A real full filesystem: a small tmpfs mounted at `dir` (made if missing)
// and filled to the last byte, so every write there fails with ENOSPC.
// Needs root (CI runs as root); throws naming what failed. Unmounted on destruction.
class FullDisk {
 public:
  explicit FullDisk(const std::string& dir);
  ~FullDisk();
  void make_room();  // frees the filler: writes work again

 private:
  std::string dir_;
};

// What a screen program's --trace says of its frames: the bus sequence, the
// wall clock µs when the frame was drawn, the page it left on (the kiosk).
struct TraceFrame {
  uint64_t seq = 0;
  int64_t us = 0;
  int page = -1;
};
std::vector<TraceFrame> read_trace_frames(const std::string& path);
// A tap at t0_us that left `page_before`: the µs from the tap to its first
// frame, to the first frame that reports the new page (the runner throws
// away a frame that switched pages half way and draws the new page whole in
// the same turn, so that frame shows it complete), and to the end of the
// burst of frames it caused (frames < 500 ms apart). Nothing when the page
// never changed.
struct TapFrames {
  double first_ms = 0, complete_ms = 0, burst_ms = 0;
};
std::optional<TapFrames> tap_frames(const std::vector<TraceFrame>& frames, size_t from, int page_before, int64_t t0_us);

// Runs a program to completion; returns its exit status and captured output.
struct RunResult {
  int status = -1;
  std::string output;
};
RunResult run_program(const std::vector<std::string>& argv, int timeout_ms = 20000);

}  // namespace hall::test
