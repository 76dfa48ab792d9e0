#include "county/store.h"

#include <libpq-fe.h>

#include <map>
#include <memory>

#include "shared/state.h"

using nlohmann::json;

namespace hall::county {

namespace {

// The schema, one step per version; a step is never edited once shipped.
const char* const kMigrations[] = {
    // 1: halls, their history of changes, and their current state.
    "CREATE TABLE hall ("
    "  id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL DEFAULT '',"
    "  level TEXT NOT NULL CHECK (level IN ('county', 'township', 'village')),"
    "  parent TEXT NOT NULL DEFAULT '',"
    "  db_id TEXT NOT NULL,"
    "  have BIGINT NOT NULL DEFAULT 0,"
    "  last_heard TIMESTAMPTZ,"
    "  refused TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE change ("
    "  hall_id TEXT NOT NULL REFERENCES hall(id),"
    "  seq BIGINT NOT NULL,"
    "  key TEXT NOT NULL,"
    "  value JSONB,"
    "  at_ms BIGINT NOT NULL,"
    "  PRIMARY KEY (hall_id, seq, key));"
    "CREATE TABLE entity ("
    "  hall_id TEXT NOT NULL REFERENCES hall(id),"
    "  key TEXT NOT NULL,"
    "  value JSONB NOT NULL,"
    "  seq BIGINT NOT NULL,"
    "  PRIMARY KEY (hall_id, key));",
};

}  // namespace

CountyStore::CountyStore(std::string conninfo) : conninfo_(std::move(conninfo)) {
  connect();
  migrate();
}

CountyStore::~CountyStore() {
  if (db_) PQfinish(db_);
}

Rows::~Rows() { PQclear(r_); }
int Rows::count() const { return r_ ? PQntuples(r_) : 0; }
std::string Rows::at(int row, int col) const { return PQgetisnull(r_, row, col) ? "" : PQgetvalue(r_, row, col); }

void CountyStore::connect() {
  if (db_) PQfinish(db_);
  db_ = PQconnectdb(conninfo_.c_str());
  if (PQstatus(db_) != CONNECTION_OK) {
    std::string why = PQerrorMessage(db_);
    PQfinish(db_);
    db_ = nullptr;
    while (!why.empty() && why.back() == '\n') why.pop_back();
    throw CountyError("PostgreSQL (" + conninfo_ + "): " + why);
  }
  query("SET synchronous_commit = on");
  query("SET client_min_messages = warning");  // no NOTICE lines in the log for what already exists
}

Rows CountyStore::query(const std::string& sql, const std::vector<std::string>& params) {
  if (!db_ || PQstatus(db_) != CONNECTION_OK) connect();  // PostgreSQL restarted: connect again
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p.c_str());
  Rows rows{params.empty() ? PQexec(db_, sql.c_str())
                           : PQexecParams(db_, sql.c_str(), int(values.size()), nullptr, values.data(), nullptr, nullptr, 0)};
  auto status = PQresultStatus(rows.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    std::string why = PQerrorMessage(db_);
    while (!why.empty() && why.back() == '\n') why.pop_back();
    if (PQstatus(db_) != CONNECTION_OK) PQfinish(db_), db_ = nullptr;  // the next statement connects again
    throw CountyError("PostgreSQL: " + why);
  }
  return rows;
}

// Each step in its own transaction with its version row: a crash half way
// leaves the last whole version.
void CountyStore::migrate() {
  query("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied TIMESTAMPTZ NOT NULL DEFAULT now())");
  for (int v = schema_version() + 1; v <= kSchemaVersion; ++v) {
    query("BEGIN");
    try {
      query("LOCK TABLE schema_version IN EXCLUSIVE MODE");
      if (query("SELECT 1 FROM schema_version WHERE version = $1", {std::to_string(v)}).count() == 0) {  // another county server may have migrated meanwhile
        query(kMigrations[v - 1]);
        query("INSERT INTO schema_version (version) VALUES ($1)", {std::to_string(v)});
      }
      query("COMMIT");
    } catch (...) {
      if (db_) PQclear(PQexec(db_, "ROLLBACK"));
      throw;
    }
  }
}

int CountyStore::schema_version() {
  Rows r = query("SELECT coalesce(max(version), 0) FROM schema_version");
  return r.count() ? std::stoi(r.at(0, 0)) : 0;
}

Cursor CountyStore::hello(const HallInfo& hall, const std::string& db_id, uint64_t seq) {
  if (hall.id.empty()) throw CountyError("hello: the hall has no id");
  if (hall.level != "county" && hall.level != "township" && hall.level != "village")
    throw CountyError("hello: hall " + hall.id + ": level must be county, township or village, not '" + hall.level + "'");
  // First contact registers the hall with its database; later ones refresh name, level and parent.
  Rows up = query(
      "INSERT INTO hall (id, name, level, parent, db_id, last_heard) VALUES ($1, $2, $3, $4, $5, now()) "
      "ON CONFLICT (id) DO UPDATE SET name = $2, level = $3, parent = $4, last_heard = now() "
      "RETURNING db_id, have",
      {hall.id, hall.name, hall.level, hall.parent, db_id});
  Cursor c;
  c.have = std::stoull(up.at(0, 1));
  const std::string known_db = up.at(0, 0);
  if (known_db != db_id)
    c.refused = "hall " + hall.id + " now runs on another database (" + db_id + ", the county has " + known_db +
                "): not merged; register it again if it was reinstalled";
  else if (seq < c.have)
    c.refused = "hall " + hall.id + "'s database went back in time: it is at " + std::to_string(seq) + ", the county has " +
                std::to_string(c.have) + " (restored from a backup?): not merged";
  query("UPDATE hall SET refused = $2 WHERE id = $1", {hall.id, c.refused});
  return c;
}

uint64_t CountyStore::store(const std::string& hall_id, const std::string& db_id, const std::vector<Change>& changes) {
  Stored r = store_many({Batch{hall_id, db_id, changes}}).at(0);
  if (!r.refused.empty()) throw CountyError(r.refused);
  return r.have;
}

std::vector<Stored> CountyStore::store_many(const std::vector<Batch>& batches) {
  std::vector<Stored> out(batches.size());
  if (batches.empty()) return out;
  json ids = json::array();
  for (const Batch& b : batches) ids.push_back(b.hall_id);
  query("BEGIN");
  try {
    struct Known { std::string db_id, refused; uint64_t have = 0; };
    std::map<std::string, Known> known;
    Rows h = query("SELECT id, db_id, have, refused FROM hall WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)) ORDER BY id FOR UPDATE",
                   {ids.dump()});
    for (int i = 0; i < h.count(); ++i) known[h.at(i, 0)] = {h.at(i, 1), h.at(i, 3), std::stoull(h.at(i, 2))};
    // Checked here, in order, against the rows locked above: the statements
    // below only write what passed.
    json rows = json::array();
    std::map<std::string, uint64_t> heard;  // hall → its have after the group
    for (size_t i = 0; i < batches.size(); ++i) {
      const Batch& b = batches[i];
      auto it = known.find(b.hall_id);
      auto refuse = [&](std::string why) { out[i].refused = std::move(why); };
      if (it == known.end()) { refuse("hall " + b.hall_id + " has not said hello"); continue; }
      Known& k = it->second;
      out[i].have = k.have;
      if (k.db_id != b.db_id) { refuse("hall " + b.hall_id + ": a batch from another database (" + b.db_id + ")"); continue; }
      if (!k.refused.empty()) { refuse(k.refused); continue; }
      // A hall new to the county starts with its baseline, at whatever sequence it had.
      if (k.have > 0 && !b.changes.empty() && b.changes.front().seq > k.have + 1) {
        refuse("hall " + b.hall_id + ": a gap: the county has " + std::to_string(k.have) + ", the batch starts at " +
               std::to_string(b.changes.front().seq));
        continue;
      }
      std::string secret;
      for (const Change& c : b.changes)
        if (is_private_key(c.key)) secret = c.key;
      if (!secret.empty()) { refuse("hall " + b.hall_id + ": '" + secret + "' is private and never leaves the hall"); continue; }
      for (const Change& c : b.changes) {
        if (c.seq <= k.have) continue;  // sent twice: stored once
        rows.push_back({{"hall_id", b.hall_id}, {"seq", c.seq}, {"key", c.key}, {"value", c.value}, {"at_ms", c.at_ms}});
      }
      for (const Change& c : b.changes) k.have = std::max(k.have, c.seq);
      out[i].have = heard[b.hall_id] = k.have;
    }
    if (!rows.empty()) {
      // The whole group in two statements (history, then each key's newest value).
      const std::string all = rows.dump();
      query("INSERT INTO change (hall_id, seq, key, value, at_ms) "
            "SELECT r.hall_id, r.seq, r.key, r.value, r.at_ms "
            "FROM jsonb_to_recordset($1::jsonb) AS r(hall_id TEXT, seq BIGINT, key TEXT, value JSONB, at_ms BIGINT) "
            "ON CONFLICT DO NOTHING",
            {all});
      query("WITH latest AS (SELECT DISTINCT ON (r.hall_id, r.key) r.hall_id, r.key, r.value, r.seq "
            "  FROM jsonb_to_recordset($1::jsonb) AS r(hall_id TEXT, seq BIGINT, key TEXT, value JSONB, at_ms BIGINT) "
            "  ORDER BY r.hall_id, r.key, r.seq DESC), "
            "gone AS (DELETE FROM entity e USING latest l WHERE e.hall_id = l.hall_id AND e.key = l.key AND l.value IS NULL AND e.seq < l.seq) "
            "INSERT INTO entity (hall_id, key, value, seq) SELECT hall_id, key, value, seq FROM latest WHERE value IS NOT NULL "
            "ON CONFLICT (hall_id, key) DO UPDATE SET value = EXCLUDED.value, seq = EXCLUDED.seq WHERE entity.seq < EXCLUDED.seq",
            {all});
    }
    if (!heard.empty()) {
      json haves = json::array();
      for (const auto& [id, have] : heard) haves.push_back({{"id", id}, {"have", have}});
      query("UPDATE hall SET have = r.have, last_heard = now() FROM jsonb_to_recordset($1::jsonb) AS r(id TEXT, have BIGINT) WHERE hall.id = r.id",
            {haves.dump()});
    }
    query("COMMIT");  // durable on return (synchronous_commit on): only now is any batch of the group acknowledged
    return out;
  } catch (...) {
    if (db_ && PQstatus(db_) == CONNECTION_OK) PQclear(PQexec(db_, "ROLLBACK"));
    throw;
  }
}

int64_t CountyStore::last_heard_ms(const std::string& hall_id) {
  Rows r = query("SELECT coalesce(floor(extract(epoch FROM last_heard) * 1000)::bigint, 0) FROM hall WHERE id = $1", {hall_id});
  return r.count() ? std::stoll(r.at(0, 0)) : 0;
}

size_t CountyStore::history_rows(const std::string& hall_id, const std::string& key_prefix) {
  Rows r = query("SELECT count(*) FROM change WHERE hall_id = $1 AND key LIKE $2", {hall_id, key_prefix + "%"});
  return r.count() ? std::stoull(r.at(0, 0)) : 0;
}

uint64_t CountyStore::have(const std::string& hall_id) {
  Rows r = query("SELECT have FROM hall WHERE id = $1", {hall_id});
  return r.count() ? std::stoull(r.at(0, 0)) : 0;
}

void CountyStore::heard(const std::string& hall_id, const std::string& db_id) {
  Rows r = query("UPDATE hall SET last_heard = now() WHERE id = $1 AND db_id = $2 AND refused = '' RETURNING id", {hall_id, db_id});
  if (!r.count()) throw CountyError("heartbeat: hall '" + hall_id + "' on database '" + db_id + "' has not said hello, or is refused");
}

std::vector<HallRecord> CountyStore::halls() {
  Rows r = query("SELECT id, name, level, parent, coalesce(floor(extract(epoch FROM last_heard) * 1000)::bigint, 0), have, refused "
                 "FROM hall ORDER BY parent, id");
  std::vector<HallRecord> out;
  for (int i = 0; i < r.count(); ++i)
    out.push_back({{r.at(i, 0), r.at(i, 1), r.at(i, 2), r.at(i, 3)}, std::stoll(r.at(i, 4)), std::stoull(r.at(i, 5)), r.at(i, 6)});
  return out;
}

HallState CountyStore::hall_state(const std::string& hall_id) {
  Rows r = query("SELECT key, value::text FROM entity WHERE hall_id = $1 AND value IS NOT NULL AND value <> 'null'::jsonb ORDER BY key", {hall_id});
  HallState state;
  for (int i = 0; i < r.count(); ++i) {
    try {
      state.apply(r.at(i, 0), nlohmann::json::parse(r.at(i, 1)));
    } catch (const std::exception&) {
      // a kind this county server does not know yet (a newer hall): the figures it knows still add up
    }
  }
  state.seq = have(hall_id);
  return state;
}

std::string CountyStore::db_id(const std::string& hall_id) {
  Rows r = query("SELECT db_id FROM hall WHERE id = $1", {hall_id});
  return r.count() ? r.at(0, 0) : "";
}

std::vector<Change> CountyStore::changes_after(const std::string& hall_id, uint64_t after, int limit) {
  // The sequences that start within the limit, each whole.
  Rows r = query("WITH seqs AS (SELECT DISTINCT seq FROM change WHERE hall_id = $1 AND seq > $2 ORDER BY seq LIMIT $3) "
                 "SELECT c.seq, c.key, c.value::text, c.at_ms FROM change c JOIN seqs USING (seq) WHERE c.hall_id = $1 ORDER BY c.seq, c.key",
                 {hall_id, std::to_string(after), std::to_string(std::max(1, limit))});
  std::vector<Change> out;
  for (int i = 0; i < r.count(); ++i)
    out.push_back({std::stoull(r.at(i, 0)), r.at(i, 1), r.at(i, 2).empty() ? nlohmann::json() : nlohmann::json::parse(r.at(i, 2)),
                   std::stoll(r.at(i, 3))});
  return out;
}

nlohmann::json CountyStore::entity(const std::string& hall_id, const std::string& key) {
  Rows r = query("SELECT value::text FROM entity WHERE hall_id = $1 AND key = $2", {hall_id, key});
  return r.count() ? nlohmann::json::parse(r.at(0, 0)) : nlohmann::json();
}

}  // namespace hall::county
