// A prepared SQLite statement, finalized at scope end: for the server's
// background threads (upstream, county feed), each on its own connection.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>

namespace hall {

struct Stmt {
  sqlite3_stmt* s = nullptr;
  Stmt(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &s, nullptr); }
  ~Stmt() { sqlite3_finalize(s); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt& text(int i, const std::string& v) { return sqlite3_bind_text(s, i, v.c_str(), int(v.size()), SQLITE_TRANSIENT), *this; }
  Stmt& num(int i, int64_t v) { return sqlite3_bind_int64(s, i, v), *this; }
  bool row() { return sqlite3_step(s) == SQLITE_ROW; }
  bool run() { return sqlite3_step(s) == SQLITE_DONE; }
  std::string col_text(int i) { auto* p = sqlite3_column_text(s, i); return p ? reinterpret_cast<const char*>(p) : ""; }
  bool col_null(int i) { return sqlite3_column_type(s, i) == SQLITE_NULL; }
  int64_t col_num(int i) { return sqlite3_column_int64(s, i); }
};

}  // namespace hall
