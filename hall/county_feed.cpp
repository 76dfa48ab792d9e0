#include "hall/county_feed.h"

#include <algorithm>
#include <chrono>

#include <cstdio>
#include <vector>

#include <zmq.hpp>

#include "hall/sqlite_stmt.h"
#include "shared/clock.h"

namespace hall {

namespace {
constexpr int kBatchRows = 1000;  // a batch never splits one committed sequence, so it may hold more
}

CountyFeed::CountyFeed(CountyLink link, HallInfo hall, std::string db_path)
    : link_(std::move(link)), hall_(std::move(hall)), db_path_(std::move(db_path)) {
  if (sqlite3_open_v2(db_path_.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
    throw std::runtime_error("county feed: cannot open database " + db_path_);
  sqlite3_busy_timeout(db_, 5000);
}

CountyFeed::~CountyFeed() {
  stop();
  sqlite3_close(db_);
}

void CountyFeed::start() { thread_ = std::thread([this] { run(); }); }

void CountyFeed::stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void CountyFeed::poke() {
  {
    std::lock_guard lock(mutex_);
    poked_ = true;
  }
  cv_.notify_all();
}

CountyFeedStatus CountyFeed::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

bool CountyFeed::exchange(void* socket, const std::string& request, std::string& reply) {
  auto& s = *static_cast<zmq::socket_t*>(socket);
  s.send(zmq::buffer(request), zmq::send_flags::none);
  zmq::message_t m;
  if (!s.recv(m)) return false;
  reply = m.to_string();
  return true;
}

void CountyFeed::run() {
  zmq::context_t context{1};
  auto wait = [&](int ms) {  // false when stopping
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, std::chrono::milliseconds(ms), [&] { return stop_ || poked_; });
    poked_ = false;
    return !stop_;
  };
  auto fail = [&](const std::string& why) {
    std::lock_guard lock(mutex_);
    if (status_.last_error != why) std::fprintf(stderr, "hall-server: county %s: %s\n", link_.feed.c_str(), why.c_str());
    status_.connected = false, status_.last_error = why;
  };
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stop_) return;
    }
    // A fresh socket per attempt: a late answer to an earlier request is never taken for this one.
    zmq::socket_t socket{context, zmq::socket_type::dealer};
    socket.set(zmq::sockopt::linger, 0);
    socket.set(zmq::sockopt::rcvtimeo, link_.timeout_ms);
    socket.connect(link_.feed);
    std::string db_id, seq = "0";
    {
      Stmt id(db_, "SELECT value FROM meta WHERE name = 'db_id'");
      if (id.row()) db_id = id.col_text(0);
      Stmt s(db_, "SELECT value FROM meta WHERE name = 'seq'");
      if (s.row()) seq = s.col_text(0);
    }
    json hello{{"type", "hello"}, {"hall", {{"id", hall_.id}, {"name", hall_.name}, {"level", link_.level}, {"parent", link_.parent}}},
               {"db_id", db_id}, {"seq", std::stoull(seq)}};
    std::string text;
    if (!exchange(&socket, hello.dump(), text)) {
      fail("no answer within " + std::to_string(link_.timeout_ms) + " ms");
      if (!wait(link_.retry_ms)) return;
      continue;
    }
    json answer = json::parse(text, nullptr, false);
    if (answer.is_discarded() || answer.value("type", "") != "cursor") {
      std::string why = answer.is_discarded() ? "an answer that is not JSON" : answer.value("message", "refused");
      fail(why);
      {
        std::lock_guard lock(mutex_);
        status_.refused = answer.is_discarded() ? "" : answer.value("type", "") == "refused" ? why : "";
      }
      if (!wait(std::max(link_.retry_ms, 30000))) return;  // a refusal needs a person: ask again now and then
      continue;
    }
    uint64_t have = answer.value("have", uint64_t(0));
    {
      std::lock_guard lock(mutex_);
      status_.connected = true, status_.have = have, status_.refused.clear(), status_.last_error.clear();
    }
    bool broken = false;
    auto last_exchange = std::chrono::steady_clock::now();
    while (!broken) {
      // What the county lacks, in order, whole sequences only.
      auto read = [](Stmt& rows, json& into) {
        while (rows.row())
          into.push_back({{"seq", rows.col_num(0)}, {"key", rows.col_text(1)},
                          {"value", rows.col_null(2) ? json() : json::parse(rows.col_text(2))}, {"at_ms", rows.col_num(3)}});
      };
      json changes = json::array();
      {
        Stmt rows(db_, "SELECT seq, key, body, at_ms FROM feed WHERE seq > ?1 ORDER BY seq, key LIMIT ?2");
        rows.num(1, int64_t(have)).num(2, kBatchRows + 1);
        read(rows, changes);
      }
      if (changes.size() > size_t(kBatchRows)) {
        const auto last = changes.back()["seq"];
        json whole = json::array();
        for (auto& c : changes)
          if (c["seq"] != last) whole.push_back(std::move(c));
        if (whole.empty()) {  // one sequence larger than a batch: send it whole
          Stmt rows(db_, "SELECT seq, key, body, at_ms FROM feed WHERE seq = ?1 ORDER BY key");
          rows.num(1, last.get<int64_t>());
          read(rows, whole);
        }
        changes = std::move(whole);
      }
      if (changes.empty()) {
        // Nothing to send: now and then a heartbeat, so the county can tell a quiet hall from a silent one.
        if (std::chrono::steady_clock::now() - last_exchange >= std::chrono::milliseconds(link_.heartbeat_ms)) {
          json beat{{"type", "heartbeat"}, {"hall_id", hall_.id}, {"db_id", db_id}};
          json ack = exchange(&socket, beat.dump(), text) ? json::parse(text, nullptr, false) : json();
          if (!ack.is_object() || ack.value("type", "") != "ack") {
            fail(ack.is_object() ? ack.value("message", "heartbeat refused") : "no answer to a heartbeat within " + std::to_string(link_.timeout_ms) + " ms");
            broken = true;
            break;
          }
          last_exchange = std::chrono::steady_clock::now();
        }
        if (!wait(std::min(1000, link_.heartbeat_ms))) return;
        continue;
      }
      json batch{{"type", "changes"}, {"hall_id", hall_.id}, {"db_id", db_id}, {"changes", std::move(changes)}};
      if (!exchange(&socket, batch.dump(), text)) {
        fail("no answer within " + std::to_string(link_.timeout_ms) + " ms");
        broken = true;
        break;
      }
      json ack = json::parse(text, nullptr, false);
      if (ack.is_discarded() || ack.value("type", "") != "ack") {
        fail(ack.is_discarded() ? "an answer that is not JSON" : ack.value("message", "refused"));
        broken = true;
        break;
      }
      have = ack.value("have", have);
      last_exchange = std::chrono::steady_clock::now();
      Stmt(db_, "DELETE FROM feed WHERE seq <= ?1").num(1, int64_t(have)).run();  // the county has them: they may go
      std::lock_guard lock(mutex_);
      status_.connected = true, status_.have = have, status_.last_ack_ms = wall_ms(), status_.last_error.clear();
    }
    if (!wait(link_.retry_ms)) return;
  }
}

}  // namespace hall
