// The hall server's links to the province (docs/UPSTREAM.md):
//
// UpstreamPush sends every rating and every 差评 follow-up change to the
// 好差评 platform. The records are written to the `upstream` table in the
// same transaction as the change itself, so none is lost; this thread sends
// them one by one with their idempotency key, retrying with backoff and
// jitter until the platform acknowledges (at least once; the key lets it
// drop a duplicate). Its own SQLite connection; the hall never waits on it.
//
// CasePull polls the approval system for case status and applies what it
// learns as ordinary bus commands (accept_case, advance_case, finish_case)
// with deterministic idempotency keys, so a repeated poll changes nothing.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "shared/config.h"
#include "shared/curve.h"

struct sqlite3;

namespace hall {

struct UpstreamStatus {
  int64_t pending = 0, failed = 0, sent = 0;   // records by state
  int64_t last_success_ms = 0;                 // wall clock of the last acknowledged record (0 = never)
  int64_t attempts = 0, errors = 0;            // requests made, requests that did not succeed
  std::string last_error;
  int64_t polls = 0, poll_errors = 0, last_poll_ok_ms = 0, cases_applied = 0;  // case pull
};

class Upstream {
 public:
  // db_path: the hall database; commands: an endpoint of this hall server for the case pull.
  Upstream(const UpstreamConfig& config, std::string hall_id, std::string db_path, std::string commands, CurveKeys keys = {});
  ~Upstream();
  void start();
  void stop();
  void poke();                    // records were queued: send now
  UpstreamStatus status() const;

 private:
  void push_loop();
  void pull_loop();
  bool push_due();                // sends what is due; false when nothing was
  void count();
  void pull_once();
  UpstreamConfig config_;
  std::string hall_id_, db_path_, commands_;
  CurveKeys keys_;
  sqlite3* db_ = nullptr;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false, poked_ = false;
  UpstreamStatus status_;
  std::string cursor_;            // the approval system's cursor, kept in the meta table
  std::thread push_, pull_;
};

}  // namespace hall
