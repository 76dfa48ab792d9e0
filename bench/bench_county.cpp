// bench_county: the county's ingest on a real PostgreSQL 15 cluster (started
// here, as the tests do): changes per second through the real hall-county
// (feed protocol, one transaction per batch, exactly once), next to a raw
// batched INSERT of the same rows by libpq in the same run; then the
// catch-up time of a real hall-server that was cut off from the county
// while a simulated day of changes piled up.
#include <fcntl.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <zmq.hpp>

#include "county/store.h"
#include "shared/client.h"
#include "tests/postgres.h"
#include "tests/support.h"

using namespace hall;
using nlohmann::json;
using steady = std::chrono::steady_clock;

namespace {

pid_t start_county(const std::string& db, const std::string& feed, const std::string& log) {
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1), dup2(fd, 2);
    execl(HALL_COUNTY_BIN, HALL_COUNTY_BIN, "--database", db.c_str(), "--feed", feed.c_str(), (char*)nullptr);
    _exit(127);
  }
  test::eventually([&] {
    std::ifstream in(log);
    std::string line;
    return std::getline(in, line) && line.rfind("ready", 0) == 0;
  }, 20000);
  return pid;
}

json ticket(uint64_t seq) {
  return {{"key", "ticket/2026-11-23/A" + std::to_string(seq)}, {"number", "A" + std::to_string(seq)}, {"category", "company"},
          {"state", "done"}, {"issued_ms", 1763858000000 + int64_t(seq)}, {"window", int(seq % 16) + 1}};
}

double seconds_since(steady::time_point t) { return std::chrono::duration<double>(steady::now() - t).count(); }

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const int batches = quick ? 20 : 100, per_batch = 1000;
  test::PostgresCluster pg;
  const std::string db = pg.conninfo();
  const std::string feed = "tcp://127.0.0.1:" + std::to_string(test::free_port());
  pid_t county = start_county(db, feed, pg.dir() + "/county.log");
  std::printf("bench_county: PostgreSQL 15 (private cluster, fsync on), %d batches of %d changes\n", batches, per_batch);

  // 1. Through hall-county: hello, then batches, each acknowledged when durable.
  zmq::context_t context{1};
  zmq::socket_t hall(context, zmq::socket_type::dealer);
  hall.set(zmq::sockopt::rcvtimeo, 30000);
  hall.connect(feed);
  auto ask = [&](const json& j) {
    hall.send(zmq::buffer(j.dump()), zmq::send_flags::none);
    zmq::message_t m;
    if (!hall.recv(m)) return json();
    return json::parse(m.to_string_view());
  };
  ask({{"type", "hello"}, {"hall", {{"id", "bench"}, {"level", "township"}, {"parent", "c"}}}, {"db_id", "d"}, {"seq", 0}});
  uint64_t seq = 0;
  auto t0 = steady::now();
  for (int b = 0; b < batches; ++b) {
    json changes = json::array();
    for (int i = 0; i < per_batch; ++i, ++seq) {
      json t = ticket(seq + 1);
      changes.push_back({{"seq", seq + 1}, {"key", t["key"]}, {"value", t}, {"at_ms", 1763858000000 + int64_t(seq)}});
    }
    json ack = ask({{"type", "changes"}, {"hall_id", "bench"}, {"db_id", "d"}, {"changes", changes}});
    if (ack.value("type", "") != "ack") {
      std::fprintf(stderr, "bench_county: refused: %s\n", ack.dump().c_str());
      return 1;
    }
  }
  const double county_rate = double(seq) / seconds_since(t0);

  // 2. Baseline: the same rows by libpq, one multi-row INSERT per batch in its own transaction.
  PGconn* c = PQconnectdb(db.c_str());
  PQclear(PQexec(c, "CREATE TABLE raw (hall_id TEXT, seq BIGINT, key TEXT, value JSONB, at_ms BIGINT, PRIMARY KEY (hall_id, seq, key))"));
  uint64_t rseq = 0;
  t0 = steady::now();
  for (int b = 0; b < batches; ++b) {
    std::string sql = "BEGIN; INSERT INTO raw VALUES ";
    for (int i = 0; i < per_batch; ++i, ++rseq) {
      json t = ticket(rseq + 1);
      char* lit = PQescapeLiteral(c, t.dump().c_str(), t.dump().size());
      sql += (i ? "," : "") + std::string("('bench',") + std::to_string(rseq + 1) + ",'" + t["key"].get<std::string>() + "'," + lit + "::jsonb," +
             std::to_string(1763858000000 + int64_t(rseq)) + ")";
      PQfreemem(lit);
    }
    sql += "; COMMIT;";
    PGresult* r = PQexec(c, sql.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
      std::fprintf(stderr, "bench_county: baseline insert failed: %s\n", PQerrorMessage(c));
      return 1;
    }
    PQclear(r);
  }
  const double raw_rate = double(rseq) / seconds_since(t0);
  PQfinish(c);
  std::printf("   ingest through hall-county: %8.0f changes/s (history + current state, exactly once, acked when durable)\n", county_rate);
  std::printf("   raw batched INSERT (libpq): %8.0f changes/s (baseline, same run; history rows only)\n", raw_rate);

  // 3. Catch-up: a real hall-server cut off from the county while a simulated day piles up.
  kill(county, SIGTERM), waitpid(county, nullptr, 0);
  std::string dir = test::temp_dir("bench-county-hall");
  json config = test::test_hall_config("", 0, 0);
  config["county"] = {{"feed", feed}, {"level", "township"}, {"parent", "c"}, {"timeout_ms", 1000}, {"retry_ms", 100}};
  test::ServerProcess server(dir, {"--start", "2026-11-23T08:30", "--speed", "600"}, config);
  auto sim = test::run_program({HALL_SIM_BIN, "--commands", server.commands(), "--updates", server.updates(), "--minutes", quick ? "0.3" : "1",
                                "--visitors", "520", "--quiet"}, 120000);
  HallClient client(server.commands());
  const uint64_t target = client.call("snapshot").result.value("seq", uint64_t(0));
  county = start_county(db, feed, pg.dir() + "/county-2.log");
  county::CountyStore store(db);
  t0 = steady::now();
  bool caught = test::eventually([&] { return store.have("test-hall") >= target; }, 300000);
  const double catch_up = seconds_since(t0);
  std::printf("   catch-up of a hall's %s day (%llu committed batches, sim exit %d): %.2f s%s\n", quick ? "partial" : "", (unsigned long long)target,
              sim.status, catch_up, caught ? "" : " (NOT caught up)");
  kill(county, SIGTERM), waitpid(county, nullptr, 0);
  return caught ? 0 : 1;
}
