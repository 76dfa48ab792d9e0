// The hall server's durable store: SQLite in WAL mode with synchronous=FULL,
// so a committed transaction survives kill -9 and power loss. It holds the
// current entities (the same key → JSON as the bus), the reply of every
// command by idempotency key, the sequence number, and an archive of
// entities that left the live state (past days' tickets, old ratings).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

struct sqlite3;
struct sqlite3_stmt;

namespace hall {

struct StoreError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Store {
 public:
  explicit Store(const std::string& path);  // opens or creates; throws StoreError naming the file
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  template <class F>
  void for_each_entity(F&& f);                                   // f(key, json) for every live entity
  uint64_t seq();
  std::optional<std::pair<std::string, nlohmann::json>> recall(const std::string& idem_key);  // (cmd, reply)

  void begin();
  void put(const std::string& key, const nlohmann::json& value);  // null erases
  void archive(const std::string& key, const nlohmann::json& value, int64_t at_ms);
  // A record for the upstream platform; the same key twice keeps the first.
  void enqueue_upstream(const std::string& key, const std::string& kind, const nlohmann::json& body, int64_t at_ms);
  void remember(const std::string& idem_key, const std::string& cmd, const nlohmann::json& reply, int64_t at_ms);
  void forget_commands_before(int64_t at_ms);
  void set_seq(uint64_t seq);
  // The county feed (docs/COUNTY.md): what this hall committed, kept until
  // the county has it. In the same transaction as the change itself.
  void feed(uint64_t seq, const std::string& key, const nlohmann::json& value, int64_t at_ms);
  // The first time a county is configured: everything this hall holds (live
  // and archived, private entities left out) goes into the feed at `seq`, so
  // its past arrives with it. Once; true when it wrote the baseline now.
  bool start_feed(uint64_t seq, int64_t at_ms);
  std::string db_id();   // this database's identity, made once when it was created
  std::string ticket_secret();  // the key of ticket links (shared/ticket_token.h), made once; never leaves the hall server
  void commit();    // durable on return; throws StoreError (e.g. disk full), then call rollback()
  void rollback();
  const std::string& path() const { return path_; }

 private:
  void exec(const char* sql);
  sqlite3_stmt* prepare(const char* sql);
  [[noreturn]] void fail(const std::string& what);
  std::string path_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* put_ = nullptr;
  sqlite3_stmt* erase_ = nullptr;
  sqlite3_stmt* archive_ = nullptr;
  sqlite3_stmt* remember_ = nullptr;
  sqlite3_stmt* recall_ = nullptr;
  sqlite3_stmt* set_seq_ = nullptr;
  sqlite3_stmt* enqueue_ = nullptr;
  sqlite3_stmt* feed_ = nullptr;
  sqlite3_stmt* begin_ = nullptr;
  sqlite3_stmt* commit_ = nullptr;
  bool in_tx_ = false;

  void each_entity(void (*cb)(void*, const std::string&, const std::string&), void* ctx);
};

template <class F>
void Store::for_each_entity(F&& f) {
  each_entity(
      [](void* ctx, const std::string& key, const std::string& body) {
        (*static_cast<F*>(ctx))(key, nlohmann::json::parse(body));
      },
      &f);
}

}  // namespace hall
