// The county's store: every hall's state and history in PostgreSQL 15
// (libpq). The schema is migrated by the program itself on start, in
// numbered steps recorded in schema_version (docs/COUNTY.md). A batch of a
// hall's changes is stored in one transaction, exactly once: (hall, seq,
// key) is the primary key of the history, and a batch must start right
// after what the county has, so nothing is skipped either.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shared/state.h"

struct pg_conn;
struct pg_result;

namespace hall::county {

struct CountyError : std::runtime_error {  // PostgreSQL away or refusing: the hall retries later
  using std::runtime_error::runtime_error;
};

struct HallInfo {
  std::string id, name, level, parent;     // level: county, township or village
};

struct Change {
  uint64_t seq = 0;
  std::string key;
  nlohmann::json value;                    // null: the entity left the hall's state
  int64_t at_ms = 0;
};

// A hall as the county knows it: who it is and when it was last heard from.
struct HallRecord {
  HallInfo info;
  int64_t last_heard_ms = 0;               // 0: never
  uint64_t have = 0;
  std::string refused;                     // why its feed is refused; empty when it is not
};

// The county's answer to a hall that says hello: where to resume, or why not.
struct Cursor {
  uint64_t have = 0;                       // the last sequence stored for this hall
  std::string refused;                     // non-empty: the hall must not send (went back in time, another database)
};

// One hall's batch for store_many, and what became of it.
struct Batch {
  std::string hall_id, db_id;
  std::vector<Change> changes;             // empty: a heartbeat (only last_heard moves)
};
struct Stored {
  uint64_t have = 0;                       // the hall's `have` after this batch
  std::string refused;                     // non-empty: this batch was refused (nothing of it stored), and why
};

// The rows of one statement's result, freed with it.
class Rows {
 public:
  explicit Rows(pg_result* r) : r_(r) {}
  ~Rows();
  Rows(Rows&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;
  int count() const;
  std::string at(int row, int col) const;  // "" for NULL
  pg_result* get() const { return r_; }

 private:
  pg_result* r_;
};

class CountyStore {
 public:
  explicit CountyStore(std::string conninfo);  // connects and migrates; throws CountyError naming what failed
  ~CountyStore();
  static constexpr int kSchemaVersion = 1;
  int schema_version();
  // A hall says who it is, which database it runs on and how far it is.
  Cursor hello(const HallInfo& hall, const std::string& db_id, uint64_t seq);
  // Stores a batch (ordered by seq) in one transaction; returns the new `have`.
  // A batch that starts past have + 1 is refused (a gap); changes already
  // stored are skipped.
  uint64_t store(const std::string& hall_id, const std::string& db_id, const std::vector<Change>& changes);
  // Group commit: many halls' batches in one transaction and a handful of
  // statements, whatever their number (one fsync, not one per hall). Each
  // batch is checked on its own (said hello, same database, not refused, no
  // gap, nothing private) and a refused one leaves the others alone; a
  // batch of a hall that already has one earlier in the group follows it.
  // Throws CountyError only when PostgreSQL fails: then nothing is stored.
  std::vector<Stored> store_many(const std::vector<Batch>& batches);
  int64_t last_heard_ms(const std::string& hall_id);  // 0: never
  size_t history_rows(const std::string& hall_id, const std::string& key_prefix = "");
  uint64_t have(const std::string& hall_id);          // 0: nothing, or an unknown hall
  nlohmann::json entity(const std::string& hall_id, const std::string& key);  // null when absent
  void heard(const std::string& hall_id, const std::string& db_id);  // a heartbeat from a hall with nothing to send
  std::vector<HallRecord> halls();                    // every hall, by parent then id
  // The hall's public state as the county holds it, read back through the
  // same HallState::apply the screens use (so shared/stats computes the
  // same figures from it as the hall does); an entity it cannot read is skipped.
  HallState hall_state(const std::string& hall_id);
  // For reporting upward (a city): the database a hall runs on, and its
  // history after `after`, whole sequences, in order (at least one sequence,
  // about `limit` rows).
  std::string db_id(const std::string& hall_id);
  std::vector<Change> changes_after(const std::string& hall_id, uint64_t after, int limit);

 private:
  void connect();
  void migrate();
  // One statement (text parameters $1…; without any, several statements may
  // go in one string). Connects again when PostgreSQL went away and came
  // back; throws CountyError with PostgreSQL's message when it fails.
  Rows query(const std::string& sql, const std::vector<std::string>& params = {});
  std::string conninfo_;
  pg_conn* db_ = nullptr;
};

}  // namespace hall::county
