#include "hall/store.h"

#include "shared/ticket_token.h"

#include <sqlite3.h>

namespace hall {

Store::Store(const std::string& path) : path_(path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) !=
      SQLITE_OK)
    fail("cannot open the database");
  sqlite3_busy_timeout(db_, 5000);
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=FULL");  // an acknowledged command survives power loss, not only a crash
  exec("PRAGMA foreign_keys=OFF");
  exec("CREATE TABLE IF NOT EXISTS entity(key TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID");
  exec("CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID");
  exec("CREATE TABLE IF NOT EXISTS command(key TEXT PRIMARY KEY, cmd TEXT NOT NULL, reply TEXT NOT NULL, "
       "at_ms INTEGER NOT NULL) WITHOUT ROWID");
  exec("CREATE TABLE IF NOT EXISTS archive(key TEXT PRIMARY KEY, body TEXT NOT NULL, archived_ms INTEGER NOT NULL)");
  exec("CREATE INDEX IF NOT EXISTS command_at ON command(at_ms)");
  // Records for the provincial platform, written in the same transaction as
  // the change they report (hall/upstream.h sends them).
  exec("CREATE TABLE IF NOT EXISTS upstream(key TEXT PRIMARY KEY, kind TEXT NOT NULL, body TEXT NOT NULL, "
       "created_ms INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_ms INTEGER NOT NULL DEFAULT 0, "
       "state TEXT NOT NULL DEFAULT 'pending', last_error TEXT NOT NULL DEFAULT '', sent_ms INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID");
  exec("CREATE INDEX IF NOT EXISTS upstream_due ON upstream(state, next_ms)");
  // The county feed: changes in commit order until the county has them (hall/county_feed.h).
  exec("CREATE TABLE IF NOT EXISTS feed(seq INTEGER NOT NULL, key TEXT NOT NULL, body TEXT, at_ms INTEGER NOT NULL, PRIMARY KEY(seq, key)) WITHOUT ROWID");
  // A database's identity: a restored copy keeps it (and its lower seq tells), a new database has another.
  exec("INSERT OR IGNORE INTO meta(name, value) VALUES('db_id', lower(hex(randomblob(16))))");
  put_ = prepare("INSERT INTO entity(key, body) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET body = excluded.body");
  erase_ = prepare("DELETE FROM entity WHERE key = ?1");
  archive_ = prepare("INSERT OR REPLACE INTO archive(key, body, archived_ms) VALUES(?1, ?2, ?3)");
  remember_ = prepare("INSERT OR REPLACE INTO command(key, cmd, reply, at_ms) VALUES(?1, ?2, ?3, ?4)");
  recall_ = prepare("SELECT cmd, reply FROM command WHERE key = ?1");
  set_seq_ = prepare("INSERT INTO meta(name, value) VALUES('seq', ?1) ON CONFLICT(name) DO UPDATE SET value = excluded.value");
  enqueue_ = prepare("INSERT OR IGNORE INTO upstream(key, kind, body, created_ms) VALUES(?1, ?2, ?3, ?4)");
  feed_ = prepare("INSERT OR REPLACE INTO feed(seq, key, body, at_ms) VALUES(?1, ?2, ?3, ?4)");
  begin_ = prepare("BEGIN IMMEDIATE");
  commit_ = prepare("COMMIT");
}

Store::~Store() {
  for (auto* s : {put_, erase_, archive_, remember_, recall_, set_seq_, enqueue_, feed_, begin_, commit_}) sqlite3_finalize(s);
  sqlite3_close(db_);
}

void Store::fail(const std::string& what) {
  throw StoreError("database " + path_ + ": " + what + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory"));
}

void Store::exec(const char* sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    std::string m = msg ? msg : "?";
    sqlite3_free(msg);
    throw StoreError("database " + path_ + ": " + sql + ": " + m);
  }
}

sqlite3_stmt* Store::prepare(const char* sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) fail(std::string("prepare ") + sql);
  return s;
}

namespace {
struct Reset {
  sqlite3_stmt* s;
  ~Reset() {
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
  }
};
void bind_text(sqlite3_stmt* s, int i, const std::string& v) { sqlite3_bind_text(s, i, v.data(), int(v.size()), SQLITE_TRANSIENT); }
}  // namespace

void Store::each_entity(void (*cb)(void*, const std::string&, const std::string&), void* ctx) {
  sqlite3_stmt* s = prepare("SELECT key, body FROM entity");
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW)
    cb(ctx, reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), reinterpret_cast<const char*>(sqlite3_column_text(s, 1)));
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) fail("reading entities");
}

uint64_t Store::seq() {
  sqlite3_stmt* s = prepare("SELECT value FROM meta WHERE name = 'seq'");
  uint64_t seq = 0;
  if (sqlite3_step(s) == SQLITE_ROW) seq = std::stoull(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
  sqlite3_finalize(s);
  return seq;
}

std::optional<std::pair<std::string, nlohmann::json>> Store::recall(const std::string& idem_key) {
  Reset r{recall_};
  bind_text(recall_, 1, idem_key);
  int rc = sqlite3_step(recall_);
  if (rc == SQLITE_ROW)
    return std::make_pair(std::string(reinterpret_cast<const char*>(sqlite3_column_text(recall_, 0))),
                          nlohmann::json::parse(reinterpret_cast<const char*>(sqlite3_column_text(recall_, 1))));
  if (rc != SQLITE_DONE) fail("looking up an idempotency key");
  return std::nullopt;
}

void Store::begin() {
  Reset r{begin_};
  if (sqlite3_step(begin_) != SQLITE_DONE) fail("begin");
  in_tx_ = true;
}

void Store::put(const std::string& key, const nlohmann::json& value) {
  sqlite3_stmt* s = value.is_null() ? erase_ : put_;
  Reset r{s};
  bind_text(s, 1, key);
  if (!value.is_null()) bind_text(s, 2, value.dump());
  if (sqlite3_step(s) != SQLITE_DONE) fail("writing " + key);
}

void Store::archive(const std::string& key, const nlohmann::json& value, int64_t at_ms) {
  Reset r{archive_};
  bind_text(archive_, 1, key);
  bind_text(archive_, 2, value.dump());
  sqlite3_bind_int64(archive_, 3, at_ms);
  if (sqlite3_step(archive_) != SQLITE_DONE) fail("archiving " + key);
}

void Store::remember(const std::string& idem_key, const std::string& cmd, const nlohmann::json& reply, int64_t at_ms) {
  Reset r{remember_};
  bind_text(remember_, 1, idem_key);
  bind_text(remember_, 2, cmd);
  bind_text(remember_, 3, reply.dump());
  sqlite3_bind_int64(remember_, 4, at_ms);
  if (sqlite3_step(remember_) != SQLITE_DONE) fail("recording command " + idem_key);
}

void Store::enqueue_upstream(const std::string& key, const std::string& kind, const nlohmann::json& body, int64_t at_ms) {
  Reset r{enqueue_};
  bind_text(enqueue_, 1, key);
  bind_text(enqueue_, 2, kind);
  bind_text(enqueue_, 3, body.dump());
  sqlite3_bind_int64(enqueue_, 4, at_ms);
  if (sqlite3_step(enqueue_) != SQLITE_DONE) fail("queueing upstream record " + key);
}

void Store::feed(uint64_t seq, const std::string& key, const nlohmann::json& value, int64_t at_ms) {
  Reset r{feed_};
  sqlite3_bind_int64(feed_, 1, int64_t(seq));
  bind_text(feed_, 2, key);
  if (value.is_null()) sqlite3_bind_null(feed_, 3);
  else bind_text(feed_, 3, value.dump());
  sqlite3_bind_int64(feed_, 4, at_ms);
  if (sqlite3_step(feed_) != SQLITE_DONE) fail("keeping " + key + " for the county");
}

bool Store::start_feed(uint64_t seq, int64_t at_ms) {
  sqlite3_stmt* started = prepare("SELECT 1 FROM meta WHERE name = 'county_baseline'");
  bool done = sqlite3_step(started) == SQLITE_ROW;
  sqlite3_finalize(started);
  if (done) return false;
  begin();
  try {
    for (const char* sql : {"INSERT OR IGNORE INTO feed(seq, key, body, at_ms) SELECT ?1, key, body, ?2 FROM archive WHERE key NOT LIKE 'contact/%'",
                            "INSERT OR REPLACE INTO feed(seq, key, body, at_ms) SELECT ?1, key, body, ?2 FROM entity WHERE key NOT LIKE 'contact/%'",
                            "INSERT INTO meta(name, value) VALUES('county_baseline', ?1)"}) {
      sqlite3_stmt* s = prepare(sql);
      sqlite3_bind_int64(s, 1, int64_t(seq));
      if (sqlite3_bind_parameter_count(s) > 1) sqlite3_bind_int64(s, 2, at_ms);
      int rc = sqlite3_step(s);
      sqlite3_finalize(s);
      if (rc != SQLITE_DONE) fail("starting the county feed");
    }
    commit();
  } catch (...) {
    rollback();
    throw;
  }
  return true;
}

std::string Store::ticket_secret() {
  sqlite3_stmt* put = prepare("INSERT OR IGNORE INTO meta(name, value) VALUES('ticket_secret', ?1)");
  const std::string fresh = new_ticket_secret();
  sqlite3_bind_text(put, 1, fresh.c_str(), int(fresh.size()), SQLITE_TRANSIENT);
  sqlite3_step(put);
  sqlite3_finalize(put);
  sqlite3_stmt* s = prepare("SELECT value FROM meta WHERE name = 'ticket_secret'");
  std::string secret;
  if (sqlite3_step(s) == SQLITE_ROW) secret = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  return secret;
}

std::string Store::db_id() {
  sqlite3_stmt* s = prepare("SELECT value FROM meta WHERE name = 'db_id'");
  std::string id;
  if (sqlite3_step(s) == SQLITE_ROW) id = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  return id;
}

void Store::forget_commands_before(int64_t at_ms) {
  sqlite3_stmt* s = prepare("DELETE FROM command WHERE at_ms < ?1");
  sqlite3_bind_int64(s, 1, at_ms);
  int rc = sqlite3_step(s);
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) fail("pruning old commands");
}

void Store::set_seq(uint64_t seq) {
  Reset r{set_seq_};
  bind_text(set_seq_, 1, std::to_string(seq));
  if (sqlite3_step(set_seq_) != SQLITE_DONE) fail("writing the sequence");
}

void Store::commit() {
  Reset r{commit_};
  if (sqlite3_step(commit_) != SQLITE_DONE) fail("commit");
  in_tx_ = false;
}

void Store::rollback() {
  if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  in_tx_ = false;
}

}  // namespace hall
