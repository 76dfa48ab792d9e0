// The county server against a real PostgreSQL 15 cluster started by the test
// (initdb into a temporary folder, a unix socket only), as the real
// hall-county process on a real ZeroMQ socket; the test speaks the feed
// protocol as a hall would (docs/COUNTY.md).
#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <zmq.hpp>

#include "county/store.h"
#include "shared/client.h"
#include "shared/mirror.h"
#include "shared/stats.h"
#include "tests/postgres.h"
#include "tests/support.h"

using namespace hall;
using nlohmann::json;

namespace {

class CountyProcess {
 public:
  CountyProcess(std::string conninfo, std::string dir, std::vector<std::string> extra = {})
      : conninfo_(std::move(conninfo)), dir_(std::move(dir)), extra_(std::move(extra)) {
    feed_ = "tcp://127.0.0.1:" + std::to_string(test::free_port());
    updates_ = "tcp://127.0.0.1:" + std::to_string(test::free_port());
    start();
  }
  ~CountyProcess() { stop(SIGTERM); }
  void start() {
    log_ = dir_ + "/county-" + std::to_string(++starts_) + ".log";
    pid_ = fork();
    if (pid_ == 0) {
      int fd = open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(fd, 1), dup2(fd, 2);
      std::vector<std::string> argv{HALL_COUNTY_BIN, "--database", conninfo_, "--feed", feed_, "--updates", updates_};
      argv.insert(argv.end(), extra_.begin(), extra_.end());
      std::vector<char*> raw;
      for (auto& a : argv) raw.push_back(a.data());
      raw.push_back(nullptr);
      execv(raw[0], raw.data());
      _exit(127);
    }
    REQUIRE_MESSAGE(test::eventually([&] { return log().find("ready") != std::string::npos; }, 20000), log());
  }
  void stop(int sig) {
    if (pid_ <= 0) return;
    kill(pid_, sig);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  std::string log() const {
    std::ifstream in(log_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  const std::string& feed() const { return feed_; }
  const std::string& updates() const { return updates_; }

 private:
  std::string conninfo_, dir_, feed_, updates_, log_;
  std::vector<std::string> extra_;
  pid_t pid_ = -1;
  int starts_ = 0;
};

// A hall's end of the feed: one request, one answer (null after the timeout).
struct HallSide {
  zmq::context_t context{1};
  zmq::socket_t socket{context, zmq::socket_type::dealer};
  explicit HallSide(const std::string& feed) {
    socket.set(zmq::sockopt::linger, 0);
    socket.set(zmq::sockopt::rcvtimeo, 5000);
    socket.connect(feed);
  }
  json ask(const json& request) {
    socket.send(zmq::buffer(request.dump()), zmq::send_flags::none);
    zmq::message_t reply;
    if (!socket.recv(reply)) return nullptr;
    return json::parse(reply.to_string_view());
  }
};

json hello(const std::string& id, uint64_t seq, const std::string& db_id = "db-1", const std::string& level = "township") {
  return {{"type", "hello"}, {"hall", {{"id", id}, {"name", "城关镇便民服务中心"}, {"level", level}, {"parent", "county-hall"}}},
          {"db_id", db_id}, {"seq", seq}};
}

json changes(const std::string& id, uint64_t from, uint64_t to, const std::string& db_id = "db-1") {
  json list = json::array();
  for (uint64_t s = from; s <= to; ++s)
    list.push_back({{"seq", s}, {"key", "ticket/2026-11-23/A" + std::to_string(s)}, {"value", {{"number", "A" + std::to_string(s)}}}, {"at_ms", 1000 * s}});
  return {{"type", "changes"}, {"hall_id", id}, {"db_id", db_id}, {"changes", list}};
}

}  // namespace

TEST_CASE("the county server migrates its PostgreSQL schema on start, and a second start changes nothing") {
  test::PostgresCluster pg;
  const std::string db = pg.conninfo();
  {
    county::CountyStore store(db);
    CHECK(store.schema_version() == county::CountyStore::kSchemaVersion);
    REQUIRE(store.hello({"t1", "城关镇", "township", "c"}, "db-1", 0).refused.empty());
    CHECK(store.store("t1", "db-1", {{1, "ticket/x", json{{"n", 1}}, 5}}) == 1);
  }
  county::CountyStore again(db);
  CHECK(again.schema_version() == county::CountyStore::kSchemaVersion);
  CHECK(again.entity("t1", "ticket/x")["n"] == 1);  // migrating again kept the data
  CHECK_THROWS_WITH_AS(county::CountyStore("host=/nonexistent port=1 user=postgres dbname=x"), doctest::Contains("PostgreSQL"), county::CountyError);
}

TEST_CASE("a hall's changes reach PostgreSQL exactly once, in order, and survive the county server killed with SIGKILL") {
  test::PostgresCluster pg;
  const std::string db = pg.conninfo();
  CountyProcess county(db, pg.dir());
  HallSide hall(county.feed());
  json c = hall.ask(hello("town-1", 0));
  REQUIRE(c["type"] == "cursor");
  CHECK(c["have"] == 0);
  CHECK(hall.ask(changes("town-1", 1, 40))["have"] == 40);
  CHECK(hall.ask(changes("town-1", 30, 60))["have"] == 60);   // overlapping resend after a cut: the overlap is not stored twice
  CHECK(hall.ask(changes("town-1", 1, 60))["have"] == 60);    // all of it again
  json gap = hall.ask(changes("town-1", 70, 80));             // a gap is refused: the hall resends from have + 1
  CHECK(gap["type"] == "error");
  CHECK(gap["message"].get<std::string>().find("gap") != std::string::npos);
  county.stop(SIGKILL);  // right after an acknowledgement
  county.start();
  HallSide after(county.feed());
  json resumed = after.ask(hello("town-1", 60));
  CHECK(resumed["type"] == "cursor");
  CHECK(resumed["have"] == 60);  // everything acknowledged is there
  county::CountyStore store(db);
  CHECK(store.history_rows("town-1") == 60);
  CHECK(store.entity("town-1", "ticket/2026-11-23/A60")["number"] == "A60");
  CHECK(store.last_heard_ms("town-1") > 0);
  // An entity that left the hall's state (null), then a key changed twice in one batch: the newest wins.
  json gone = {{"type", "changes"}, {"hall_id", "town-1"}, {"db_id", "db-1"},
               {"changes", {{{"seq", 61}, {"key", "ticket/2026-11-23/A60"}, {"value", nullptr}, {"at_ms", 61}},
                            {{"seq", 61}, {"key", "window/2"}, {"value", {{"state", "open"}}}, {"at_ms", 61}},
                            {{"seq", 62}, {"key", "window/2"}, {"value", {{"state", "paused"}}}, {"at_ms", 62}}}}};
  CHECK(after.ask(gone)["have"] == 62);
  CHECK(store.entity("town-1", "ticket/2026-11-23/A60").is_null());
  CHECK(store.entity("town-1", "window/2")["state"] == "paused");
  CHECK(store.history_rows("town-1") == 63);
}

TEST_CASE("many halls' batches stored with one commit: each is judged on its own, and one refused leaves the others whole") {
  test::PostgresCluster pg;
  county::CountyStore store(pg.conninfo());
  for (const char* id : {"town-a", "town-c", "town-d", "town-e"}) store.hello({id, id, "township", "county-hall"}, "db-1", 0);
  auto batch = [](const std::string& id, uint64_t from, uint64_t to, const std::string& db_id = "db-1") {
    county::Batch b{id, db_id, {}};
    for (uint64_t s = from; s <= to; ++s) b.changes.push_back({s, "ticket/2026-11-23/A" + std::to_string(s), json{{"number", s}}, int64_t(s)});
    return b;
  };
  REQUIRE(store.store("town-c", "db-1", batch("town-c", 1, 3).changes) == 3);
  county::Batch secret{"town-d", "db-1", {{1, "ticket/x", json{{"n", 1}}, 1}, {2, "contact/C1", json{{"phone", "13900001111"}}, 2}}};
  std::vector<county::Stored> r = store.store_many({
      batch("town-a", 1, 5),             // new hall: stored
      batch("nobody", 1, 2),             // never said hello
      batch("town-c", 7, 9),             // a gap after 3
      batch("town-a", 4, 8),             // the same hall again in the group: follows the first (4, 5 not twice)
      secret,                            // personal data: the whole batch refused
      batch("town-e", 1, 2, "db-9"),     // another database
      county::Batch{"town-c", "db-1", {}},  // a heartbeat
  });
  REQUIRE(r.size() == 7);
  CHECK(r[0].refused.empty());
  CHECK(r[0].have == 5);
  CHECK(r[1].refused.find("has not said hello") != std::string::npos);
  CHECK(r[2].refused.find("gap") != std::string::npos);
  CHECK(r[3].refused.empty());
  CHECK(r[3].have == 8);
  CHECK(r[4].refused.find("private") != std::string::npos);
  CHECK(r[5].refused.find("another database") != std::string::npos);
  CHECK(r[6].refused.empty());
  CHECK(r[6].have == 3);
  CHECK(store.history_rows("town-a") == 8);
  CHECK(store.have("town-a") == 8);
  CHECK(store.history_rows("town-c") == 3);
  CHECK(store.history_rows("town-d") == 0);  // not even its harmless first change
  CHECK(store.history_rows("town-e") == 0);
  CHECK(store.entity("town-a", "ticket/2026-11-23/A8")["number"] == 8);
}

TEST_CASE("a hundred halls sending at the same instant, twice: every batch acknowledged, stored once, the county's copy in memory the same") {
  test::PostgresCluster pg;
  const std::string db = pg.conninfo();
  CountyProcess county(db, pg.dir());
  std::vector<std::unique_ptr<HallSide>> halls;
  for (int i = 0; i < 100; ++i) {
    halls.push_back(std::make_unique<HallSide>(county.feed()));
    REQUIRE(halls.back()->ask(hello("v-" + std::to_string(i), 0, "db-1", "village"))["type"] == "cursor");
  }
  for (int round = 0; round < 2; ++round) {  // the second round resends the first (a lost ack): nothing twice
    for (int i = 0; i < 100; ++i) halls[size_t(i)]->socket.send(zmq::buffer(changes("v-" + std::to_string(i), 1, 3 + i % 5).dump()));
    for (int i = 0; i < 100; ++i) {
      zmq::message_t m;
      REQUIRE(halls[size_t(i)]->socket.recv(m));
      json ack = json::parse(m.to_string_view());
      CHECK(ack["type"] == "ack");
      CHECK(ack["have"] == 3 + i % 5);
    }
  }
  county::CountyStore store(db);
  for (int i = 0; i < 100; i += 7) CHECK(store.history_rows("v-" + std::to_string(i)) == size_t(3 + i % 5));
  HallSide screen(county.feed());
  json o = screen.ask({{"type", "overview"}});
  REQUIRE(o["halls"].size() == 100);
  int tickets = 0;
  for (const auto& h : o["halls"]) tickets += h["tickets_today"].get<int>();
  CHECK(tickets == 100 * 3 + 20 * (0 + 1 + 2 + 3 + 4));
}

TEST_CASE("a hall whose database went back in time, or is another database, is refused and nothing is merged") {
  test::PostgresCluster pg;
  const std::string db = pg.conninfo();
  CountyProcess county(db, pg.dir());
  HallSide hall(county.feed());
  REQUIRE(hall.ask(hello("village-7", 0, "db-1", "village"))["type"] == "cursor");
  REQUIRE(hall.ask(changes("village-7", 1, 20))["have"] == 20);
  json restored = hall.ask(hello("village-7", 12, "db-1", "village"));  // a backup from before seq 13
  CHECK(restored["type"] == "refused");
  CHECK(restored["message"].get<std::string>().find("back in time") != std::string::npos);
  CHECK(hall.ask(changes("village-7", 13, 25))["type"] == "error");  // and its batches are not merged
  json other = hall.ask(hello("village-7", 5, "db-2", "village"));
  CHECK(other["type"] == "refused");
  CHECK(other["message"].get<std::string>().find("another database") != std::string::npos);
  county::CountyStore store(db);
  CHECK(store.history_rows("village-7") == 20);
  CHECK(hall.ask(hello("x", 0, "db-1", "city"))["type"] == "error");  // a level that does not exist is named
}

TEST_CASE("personal data never reaches the county, and bad requests are refused with a reason") {
  test::PostgresCluster pg;
  const std::string db = pg.conninfo();
  CountyProcess county(db, pg.dir());
  HallSide hall(county.feed());
  REQUIRE(hall.ask(hello("town-2", 0))["type"] == "cursor");
  json leak = {{"type", "changes"}, {"hall_id", "town-2"}, {"db_id", "db-1"},
               {"changes", {{{"seq", 1}, {"key", "contact/C1"}, {"value", {{"phone", "13900001111"}}}, {"at_ms", 1}}}}};
  json r = hall.ask(leak);
  CHECK(r["type"] == "error");
  CHECK(r["message"].get<std::string>().find("private") != std::string::npos);
  county::CountyStore store(db);
  CHECK(store.history_rows("town-2") == 0);
  CHECK(hall.ask(json::array())["type"] == "error");
  CHECK(hall.ask({{"type", "changes"}, {"hall_id", "town-2"}, {"db_id", "db-1"}, {"changes", {{{"key", "k"}}}}})["type"] == "error");
  CHECK(hall.ask({{"type", "launch"}})["message"].get<std::string>().find("unknown") != std::string::npos);
}

TEST_CASE("PostgreSQL restarted under the county server: batches are refused while it is away and stored once it is back") {
  test::PostgresCluster pg;
  const std::string db = pg.conninfo();
  CountyProcess county(db, pg.dir());
  HallSide hall(county.feed());
  REQUIRE(hall.ask(hello("town-3", 0))["type"] == "cursor");
  REQUIRE(hall.ask(changes("town-3", 1, 10))["have"] == 10);
  pg.stop();
  json away = hall.ask(changes("town-3", 11, 20));
  CHECK(away["type"] == "error");  // not acknowledged: the hall keeps it and sends again
  pg.start();
  json back;
  REQUIRE(test::eventually([&] { back = hall.ask(changes("town-3", 11, 20)); return back.value("type", "") == "ack"; }, 20000));
  CHECK(back["have"] == 20);
  county::CountyStore store(db);
  CHECK(store.history_rows("town-3") == 20);
}

TEST_CASE("a real hall server feeds the county: its past arrives first, a cut county costs the hall nothing, and it catches up with nothing twice") {
  test::PostgresCluster pg;
  const std::string db = pg.conninfo();
  CountyProcess county(db, pg.dir());
  county.stop(SIGTERM);  // the county is away when the hall starts
  std::string dir = test::temp_dir("county-hall");
  json config = test::test_hall_config("", 0, 0);
  config["county"] = {{"feed", county.feed()}, {"level", "township"}, {"parent", "county-hall"}, {"timeout_ms", 1000}, {"retry_ms", 100}};
  test::ServerProcess hall(dir, {"--start", "2026-11-23T10:00"}, config);
  HallClient client(hall.commands());
  REQUIRE(client.call("open_window", {{"window", 1}, {"staff", "S1"}}).ok);
  uint64_t last = 0;
  for (int i = 0; i < 5; ++i) last = client.call("take_ticket", {{"category", "company"}}).seq;
  REQUIRE(client.call("submit_complaint", {{"kind", "complaint"}, {"text", "排队太久"}, {"phone", "13900001111"}}).ok);  // its phone: a private contact
  last = client.call("take_ticket", {{"category", "company"}}).seq;
  county.start();
  county::CountyStore store(db);
  REQUIRE_MESSAGE(test::eventually([&] { return store.have("test-hall") >= last; }, 20000), hall.log());
  CHECK(store.entity("test-hall", "ticket/2026-11-23/A006")["number"] == "A006");
  CHECK(store.entity("test-hall", "window/1")["staff_id"] == "S1");
  CHECK(store.history_rows("test-hall", "contact/") == 0);  // personal data stays home
  // The county killed: the hall goes on at once, nothing waits on the county.
  county.stop(SIGKILL);
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) last = client.call("take_ticket", {{"category", "company"}}).seq;
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
  CHECK(store.entity("test-hall", "ticket/2026-11-23/A026").is_null());
  county.start();
  REQUIRE(test::eventually([&] { return store.have("test-hall") >= last; }, 20000));
  CHECK(store.entity("test-hall", "ticket/2026-11-23/A026")["number"] == "A026");
  CHECK(store.history_rows("test-hall", "ticket/2026-11-23/A026") == 1);  // once, though the cut may have cost a resend
  // A backup taken now, more tickets, then the hall restored from the backup: the county notices and merges nothing.
  hall.stop();
  std::filesystem::copy_file(hall.database(), dir + "/backup.db");
  hall.start();
  for (int i = 0; i < 5; ++i) last = client.call("take_ticket", {{"category", "company"}}).seq;
  REQUIRE(test::eventually([&] { return store.have("test-hall") >= last; }, 20000));
  hall.stop();
  std::filesystem::copy_file(dir + "/backup.db", hall.database(), std::filesystem::copy_options::overwrite_existing);
  hall.start();
  REQUIRE(client.call("take_ticket", {{"category", "company"}}).ok);  // the hall itself keeps serving
  CHECK(test::eventually([&] { return hall.log().find("back in time") != std::string::npos; }, 20000));
  CHECK(store.have("test-hall") == last);  // nothing of the restored database merged
}

TEST_CASE("the county's figures for a hall are the hall board's own (shared/stats over the state it holds), and a hall that stops is marked silent") {
  test::PostgresCluster pg;
  CountyProcess county(pg.conninfo(), pg.dir(), {"--silent-after-ms", "1500"});
  std::string dir = test::temp_dir("county-figures");
  json config = test::test_hall_config("", 0, 0);
  config["county"] = {{"feed", county.feed()}, {"level", "township"}, {"parent", "county-hall"}, {"timeout_ms", 1000}, {"retry_ms", 100},
                      {"heartbeat_ms", 200}};
  test::ServerProcess hall(dir, {"--start", "2026-11-23T10:00"}, config);
  HallClient client(hall.commands());
  HallMirror board(hall.commands(), hall.updates());  // what a hall board computes its figures from
  board.start();
  REQUIRE(test::eventually([&] { return board.synced(); }, 10000));
  // A morning: windows open, tickets served and rated (one 差评, followed up), a case accepted.
  REQUIRE(client.call("open_window", {{"window", 1}, {"staff", "S1"}}).ok);
  REQUIRE(client.call("open_window", {{"window", 2}, {"staff", "S2"}}).ok);
  for (int i = 0; i < 6; ++i) REQUIRE(client.call("take_ticket", {{"category", i % 2 ? "realestate" : "company"}}).ok);
  for (int w : {1, 2, 1}) {
    REQUIRE(client.call("call_next", {{"window", w}}).ok);
    REQUIRE(client.call("finish", {{"window", w}}).ok);
  }
  REQUIRE(client.call("rate", {{"ticket", "A001"}, {"level", 5}}).ok);
  REQUIRE(client.call("rate", {{"ticket", "B001"}, {"level", 1}, {"reasons", {"服务态度差"}}}).ok);
  const std::string item = board.read([](const HallState& s) { return s.items.empty() ? std::string() : s.items.begin()->first; });
  REQUIRE(!item.empty());
  REQUIRE(client.call("accept_case", {{"item", item}, {"applicant", "王*"}}).ok);
  const uint64_t last = client.call("take_ticket", {{"category", "company"}}).seq;
  HallSide leader(county.feed());
  CountyMirror screen(county.feed(), county.updates());  // a county leader screen on the county's own bus
  screen.start();
  REQUIRE_MESSAGE(test::eventually([&] { return board.seq() >= last && leader.ask({{"type", "overview"}})["halls"].size() == 1 &&
                                                 county::CountyStore(pg.conninfo()).have("test-hall") >= last; }, 20000),
                  hall.log());
  const int64_t now = client.call("ping").result["now_ms"];
  const json on_board = to_json(compute_stats(board.copy(), now));
  json at_county = leader.ask({{"type", "figures"}, {"hall_id", "test-hall"}, {"now_ms", now}});
  REQUIRE(at_county["type"] == "figures");
  CHECK(at_county["figures"] == on_board);  // every figure, to the last digit
  CHECK(at_county["figures"]["today"]["issued"] == 7);
  // The overview: the hall with its status and headline figures, from the same numbers.
  json row = leader.ask({{"type", "overview"}, {"now_ms", now}})["halls"][0];
  CHECK(row["id"] == "test-hall");
  CHECK(row["level"] == "township");
  CHECK(row["township"] == "test-hall");
  CHECK(row["tickets_today"] == 7);
  CHECK(row["windows_open"] == 2);
  CHECK(row["waiting"] == on_board["today"]["waiting"]);
  CHECK(row["ratings_today"] == 2);
  CHECK(row["good_rate"].get<double>() == doctest::Approx(0.5));
  // The county's bus carries the same row, and the rankings from the same ratings.
  REQUIRE(screen.wait_until([](const CountyState& s) { return s.halls.count("test-hall") && s.halls.at("test-hall").tickets_today == 7 &&
                                                              s.rankings.count("today") && !s.rankings.at("today").halls.empty() &&
                                                              s.rankings.at("today").halls[0].volume == 2; }, 10000));
  const CountyHall on_bus = screen.read([](const CountyState& s) { return s.halls.at("test-hall"); });
  CHECK(on_bus.status == "online");
  CHECK(on_bus.ratings_today == 2);
  CHECK(on_bus.good_today == 1);
  CHECK(on_bus.windows_open == 2);
  CHECK(on_bus.waiting == on_board["today"]["waiting"]);
  CHECK(on_bus.open_cases == 1);
  CHECK(screen.read([](const CountyState& s) { return s.trends.count("test-hall") && s.trends.count("township/test-hall"); }));
  // A quiet hall stays online by its heartbeats; a stopped one goes silent, with how old its data is.
  json now_row = leader.ask({{"type", "overview"}})["halls"][0];
  CHECK(now_row["status"] == "online");
  CHECK(now_row["data_age_ms"].get<int64_t>() < 1500);
  const auto quiet = std::chrono::steady_clock::now() + std::chrono::milliseconds(2000);
  while (std::chrono::steady_clock::now() < quiet) CHECK(leader.ask({{"type", "overview"}})["halls"][0]["status"] == "online");
  hall.stop();
  REQUIRE(test::eventually([&] { return leader.ask({{"type", "overview"}})["halls"][0]["status"] == "silent"; }, 10000));
  row = leader.ask({{"type", "overview"}})["halls"][0];
  CHECK(row["data_age_ms"].get<int64_t>() >= 1500);
  CHECK(row["tickets_today"] == 7);  // its last figures stay, marked silent
  CHECK(screen.wait_until([](const CountyState& s) { return s.halls.at("test-hall").status == "silent"; }, 10000));
  CHECK(screen.read([](const CountyState& s) { return s.halls.at("test-hall").tickets_today; }) == 7);
  CHECK(leader.ask({{"type", "figures"}, {"hall_id", "nowhere"}})["type"] == "error");
}

TEST_CASE("county leader pages through a real hall-display: every hall with its status, the rankings with their volume rule, a warning card with its reason") {
  test::PostgresCluster pg;
  std::string dir = test::temp_dir("county-pages");
  // The county's own config: its name and a strict 好评率 line, so one 差评 makes a card.
  json county_json{{"county", {{"id", "demo"}, {"name", "示范县"}}},
                   {"warnings", {{"good_rate_below", {{"yellow", 0.99}}}, {"good_rate_min_ratings", 1}}}};
  std::ofstream(dir + "/county.json") << county_json.dump();
  CountyProcess county(pg.conninfo(), pg.dir(), {"--config", dir + "/county.json"});
  auto hall_config = [&](const std::string& id, const std::string& name, const std::string& level, const std::string& parent) {
    json c = test::test_hall_config("", 0, 0);
    c["hall"]["id"] = id;
    c["hall"]["name"] = name;
    c["county"] = {{"feed", county.feed()}, {"level", level}, {"parent", parent}, {"timeout_ms", 1000}, {"retry_ms", 100}, {"heartbeat_ms", 500}};
    c["appointments"] = json::object();  // the defaults: the company lane takes bookings
    return c;
  };
  std::filesystem::create_directories(dir + "/town");
  std::filesystem::create_directories(dir + "/village");
  test::ServerProcess town(dir + "/town", {"--start", "2026-11-23T10:00"}, hall_config("town-a", "城关镇便民服务中心", "township", "county-hall"));
  test::ServerProcess village(dir + "/village", {"--start", "2026-11-23T10:00"}, hall_config("town-a-v1", "城关东村便民服务站", "village", "town-a"));
  HallClient client(town.commands());
  REQUIRE(client.call("open_window", {{"window", 1}, {"staff", "S1"}}).ok);
  for (int i = 0; i < 3; ++i) REQUIRE(client.call("take_ticket", {{"category", "company"}}).ok);
  REQUIRE(client.call("call_next", {{"window", 1}}).ok);
  REQUIRE(client.call("finish", {{"window", 1}}).ok);
  REQUIRE(client.call("rate", {{"ticket", "A001"}, {"level", 1}, {"reasons", {"服务态度差"}}}).ok);
  for (const char* phone : {"13900000001", "13900000002"}) {  // two bookings for this afternoon, none checked in yet
    Reply booked = client.call("book", {{"category", "company"}, {"day", "2026-11-23"}, {"slot", "15:00"}, {"phone", phone}});
    REQUIRE_MESSAGE(booked.ok, booked.message);
  }
  CountyMirror screen(county.feed(), county.updates());
  screen.start();
  REQUIRE(screen.wait_until([](const CountyState& s) { return s.halls.size() == 2 && s.halls.count("town-a") && s.halls.at("town-a").ratings_today == 1 &&
                                                              s.halls.at("town-a").bookings_today == 2 && !s.warnings.cards.empty(); }, 15000));
  json layout{{"county_server", {{"commands", county.feed()}, {"updates", county.updates()}}}, {"period", "today"},
              {"pages", {"county_overview", "county_rankings", "county_warnings"}}};
  std::ofstream(dir + "/layout.json") << layout.dump();
  auto shot = [&](const std::string& page) {
    const std::string png = dir + "/" + page + ".png", log = dir + "/" + page + ".json";
    auto r = test::run_program({HALL_DISPLAY_BIN, "--layout", dir + "/layout.json", "--page", page, "--headless", "--screenshot", png, "--drawlog", log}, 60000);
    REQUIRE_MESSAGE(r.status == 0, r.output);
    std::ifstream in(log);
    std::string texts;
    for (const auto& t : json::parse(in)) texts += t["text"].get<std::string>() + "\n";
    return texts;
  };
  const std::string overview = shot("county_overview");
  CHECK(overview.find("示范县") != std::string::npos);            // the county's name from county.json
  CHECK(overview.find("城关镇便民服务中心") != std::string::npos);
  CHECK(overview.find("城关东村便民服务站") != std::string::npos);
  CHECK(overview.find("在线") != std::string::npos);
  CHECK(overview.find("0.0%（1）") != std::string::npos);          // the township's 好评率 with its one rating
  CHECK(overview.find("0/2") != std::string::npos);                 // 预约: none of its two bookings checked in yet
  CHECK(overview.find("预约准时叫号") != std::string::npos);
  const std::string rankings = shot("county_rankings");
  CHECK(rankings.find("今日大厅好评率") != std::string::npos);
  CHECK(rankings.find("1条·不足") != std::string::npos);            // one rating: listed, not ranked
  CHECK(rankings.find("置信下限") != std::string::npos);            // the rule is on the page
  const std::string warnings = shot("county_warnings");
  CHECK(warnings.find("城关镇 · 全厅") != std::string::npos);
  CHECK(warnings.find("本月好评率 0.0%，1 条评价（黄牌线 99.0%）") != std::string::npos);
  // Drill-down by layout: scoped to the village, the township is not on the page.
  layout["scope"] = {{"hall", "town-a-v1"}};
  std::ofstream(dir + "/layout.json") << layout.dump();
  const std::string village_view = shot("county_overview");
  CHECK(village_view.find("城关东村便民服务站") != std::string::npos);
  CHECK(village_view.find("城关镇便民服务中心") == std::string::npos);
}

TEST_CASE("two levels stacked: a county reports its halls to a city over the same feed, and the city's figures are the hall's own") {
  test::PostgresCluster pg;
  CountyProcess city_server(pg.conninfo("city"), pg.dir());
  CountyProcess county_server(pg.conninfo("county"), pg.dir(), {"--upstream-feed", city_server.feed()});
  std::string dir = test::temp_dir("county-city");
  json config = test::test_hall_config("", 0, 0);
  config["county"] = {{"feed", county_server.feed()}, {"level", "township"}, {"parent", "county-hall"}, {"timeout_ms", 1000}, {"retry_ms", 100}, {"heartbeat_ms", 300}};
  test::ServerProcess hall(dir, {"--start", "2026-11-23T10:00"}, config);
  HallClient client(hall.commands());
  REQUIRE(client.call("open_window", {{"window", 1}, {"staff", "S1"}}).ok);
  for (int i = 0; i < 5; ++i) REQUIRE(client.call("take_ticket", {{"category", "company"}}).ok);
  REQUIRE(client.call("call_next", {{"window", 1}}).ok);
  REQUIRE(client.call("finish", {{"window", 1}}).ok);
  REQUIRE(client.call("rate", {{"ticket", "A001"}, {"level", 4}}).ok);
  const uint64_t last = client.call("take_ticket", {{"category", "tax"}}).seq;
  // The city catches up with everything the county has, exactly once.
  REQUIRE_MESSAGE(test::eventually([&] { return county::CountyStore(pg.conninfo("city")).have("test-hall") >= last; }, 20000), std::string(county_server.log() + city_server.log()));
  county::CountyStore at_county(pg.conninfo("county")), at_city(pg.conninfo("city"));
  CHECK(at_city.have("test-hall") == at_county.have("test-hall"));
  CHECK(at_city.history_rows("test-hall") == at_county.history_rows("test-hall"));
  HallSide county_side(county_server.feed()), city_side(city_server.feed());
  const int64_t now = client.call("ping").result["now_ms"];
  json from_county = county_side.ask({{"type", "figures"}, {"hall_id", "test-hall"}, {"now_ms", now}});
  json from_city = city_side.ask({{"type", "figures"}, {"hall_id", "test-hall"}, {"now_ms", now}});
  REQUIRE(from_city["type"] == "figures");
  CHECK(from_city["figures"] == from_county["figures"]);
  CHECK(from_city["figures"]["today"]["issued"] == 6);
  json row = city_side.ask({{"type", "overview"}})["halls"][0];
  CHECK(row["level"] == "township");
  CHECK(row["parent"] == "county-hall");
  // The city away and back: the county keeps taking its halls' changes, and the city catches up.
  city_server.stop(SIGKILL);
  const uint64_t later = client.call("take_ticket", {{"category", "company"}}).seq;
  REQUIRE(test::eventually([&] { return at_county.have("test-hall") >= later; }, 20000));
  city_server.start();
  REQUIRE(test::eventually([&] { return county::CountyStore(pg.conninfo("city")).have("test-hall") >= later; }, 20000));
  CHECK(at_city.history_rows("test-hall") == at_county.history_rows("test-hall"));
}
