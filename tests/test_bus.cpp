// The bus end to end: real hall-server processes, real ZeroMQ sockets on
// 127.0.0.1, real SQLite files.
#include <doctest/doctest.h>

#include <atomic>
#include <set>
#include <thread>

#include <zmq.hpp>

#include "shared/client.h"
#include "shared/mirror.h"
#include "tests/support.h"

using namespace hall;
using test::eventually;

namespace {

struct Bus {
  std::string dir = test::temp_dir("bus");
  test::ServerProcess server{dir};
  HallClient client{server.commands(), ClientOptions{3000, 3}};

  Reply must(const std::string& cmd, const json& args = json::object()) {
    Reply r = client.call(cmd, args);
    INFO(cmd << " " << args.dump() << " → " << r.code << ": " << r.message);
    REQUIRE(r.ok);
    return r;
  }
  json entities() {
    Reply r = must("snapshot");
    json out = json::object();
    for (auto& e : r.result["entities"]) out[e["key"].get<std::string>()] = e["value"];
    return out;
  }
};

// A PUB/SUB forwarder between server and client that can drop messages: a
// real cut in the update stream, as a congested network or a full queue makes.
class CuttableLink {
 public:
  explicit CuttableLink(const std::string& upstream) : port_(test::free_port()) {
    xsub_.connect(upstream);
    xpub_.bind("tcp://127.0.0.1:" + std::to_string(port_));
    thread_ = std::thread([this] { run(); });
  }
  ~CuttableLink() {
    running_ = false;
    thread_.join();
  }
  std::string endpoint() const { return "tcp://127.0.0.1:" + std::to_string(port_); }
  std::atomic<bool> cut{false};
  std::atomic<int> dropped{0};

 private:
  void run() {
    while (running_) {
      zmq::pollitem_t items[] = {{xsub_.handle(), 0, ZMQ_POLLIN, 0}, {xpub_.handle(), 0, ZMQ_POLLIN, 0}};
      zmq::poll(items, 2, std::chrono::milliseconds(20));
      if (items[1].revents & ZMQ_POLLIN) {  // subscriptions go upstream
        zmq::message_t m;
        (void)xpub_.recv(m);
        xsub_.send(m, zmq::send_flags::none);
      }
      if (items[0].revents & ZMQ_POLLIN) {
        std::vector<zmq::message_t> parts;
        do {
          parts.emplace_back();
          (void)xsub_.recv(parts.back());
        } while (parts.back().more());
        if (cut) {
          ++dropped;
          continue;
        }
        for (size_t i = 0; i < parts.size(); ++i)
          xpub_.send(parts[i], i + 1 < parts.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
      }
    }
  }
  int port_;
  zmq::context_t ctx_{1};
  zmq::socket_t xsub_{ctx_, zmq::socket_type::xsub};
  zmq::socket_t xpub_{ctx_, zmq::socket_type::xpub};
  std::atomic<bool> running_{true};
  std::thread thread_;
};

json mirror_entities(const HallMirror& m) {
  return m.read([](const HallState& s) {
    json out = json::object();
    for (auto& [k, v] : s.entities()) out[k] = v;
    return out;
  });
}

}  // namespace

TEST_CASE("a late joiner ends with the same state as a client present from the start") {
  Bus bus;
  HallMirror early(bus.server.commands(), bus.server.updates());
  early.start();
  REQUIRE(eventually([&] { return early.synced(); }));
  bus.must("open_window", {{"window", 1}, {"staff", "S1"}});
  for (int i = 0; i < 20; ++i) bus.must("take_ticket", {{"category", "company"}});
  bus.must("call_next", {{"window", 1}});
  bus.must("finish", {{"window", 1}});
  bus.must("rate", {{"ticket", "A001"}, {"level", 1}});
  HallMirror late(bus.server.commands(), bus.server.updates());
  late.start();
  Reply last = bus.must("post_announcement", {{"text", "今日大厅开放至17:30"}});
  REQUIRE(early.wait_for_seq(last.seq, 5000));
  REQUIRE(late.wait_for_seq(last.seq, 5000));
  CHECK(mirror_entities(late) == mirror_entities(early));
  CHECK(mirror_entities(late) == bus.entities());
  CHECK(late.read([](const HallState& s) { return s.followups.size(); }) == 1);
}

TEST_CASE("a client whose updates were cut notices the gap and resyncs by itself") {
  Bus bus;
  CuttableLink link(bus.server.updates());
  HallMirror mirror(bus.server.commands(), link.endpoint());
  mirror.start();
  REQUIRE(eventually([&] { return mirror.synced(); }));
  bus.must("take_ticket", {{"category", "tax"}});
  REQUIRE(eventually([&] { return mirror.read([](const HallState& s) { return s.tickets.size(); }) == 1; }));
  int resyncs_before = mirror.resyncs();
  link.cut = true;
  Reply lost = bus.must("take_ticket", {{"category", "tax"}});
  REQUIRE(eventually([&] { return link.dropped > 0; }));
  link.cut = false;
  Reply next = bus.must("take_ticket", {{"category", "tax"}});
  // The update after the cut reveals the gap; the mirror takes a new snapshot.
  REQUIRE(mirror.wait_for_seq(next.seq, 5000));
  CHECK(mirror.resyncs() > resyncs_before);
  CHECK(mirror.read([](const HallState& s) { return s.tickets.size(); }) == 3);
  CHECK(mirror_entities(mirror) == bus.entities());
  (void)lost;
}

TEST_CASE("a silent bus marks the mirror stale — it recovers when the server returns") {
  Bus bus;
  HallMirror mirror(bus.server.commands(), bus.server.updates(), MirrorOptions{1500, 1000});
  mirror.start();
  REQUIRE(eventually([&] { return mirror.synced() && !mirror.stale(); }));
  bus.must("take_ticket", {{"category", "company"}});
  bus.server.kill9();
  REQUIRE(eventually([&] { return mirror.stale(); }, 5000));
  CHECK(mirror.read([](const HallState& s) { return s.tickets.size(); }) == 1);  // last known state kept
  bus.server.start();
  Reply r = bus.must("take_ticket", {{"category", "company"}});
  REQUIRE(mirror.wait_for_seq(r.seq, 8000));
  CHECK(eventually([&] { return !mirror.stale(); }));
  CHECK(mirror.read([](const HallState& s) { return s.tickets.size(); }) == 2);
}

TEST_CASE("a retry with the same idempotency key changes nothing and returns the first reply") {
  Bus bus;
  Reply first = bus.client.call("take_ticket", {{"category", "company"}}, "kiosk-3-retry-1");
  REQUIRE(first.ok);
  Reply again = bus.client.call("take_ticket", {{"category", "company"}}, "kiosk-3-retry-1");
  REQUIRE(again.ok);
  CHECK(again.result["ticket"]["number"] == first.result["ticket"]["number"]);
  CHECK(again.seq == first.seq);
  CHECK(bus.entities().count("ticket/" + first.result["ticket"]["key"].get<std::string>()) == 1);
  Reply other = bus.must("take_ticket", {{"category", "company"}});
  CHECK(other.result["ticket"]["number"] == "A002");  // the retry did not consume a number
  Reply reused = bus.client.call("call_next", {{"window", 1}}, "kiosk-3-retry-1");
  CHECK(reused.code == err::kKeyReused);
  // Survives a restart: the key is durable with the ticket.
  bus.server.stop();
  bus.server.start();
  Reply after = bus.client.call("take_ticket", {{"category", "company"}}, "kiosk-3-retry-1");
  CHECK(after.result["ticket"]["number"] == "A001");
}

TEST_CASE("malformed — oversized and wrong-version messages get typed errors and change nothing") {
  Bus bus;
  bus.must("take_ticket", {{"category", "company"}});
  json before = bus.entities();
  uint64_t seq_before = bus.must("ping").result["seq"];
  auto error_of = [&](const std::string& frame) {
    auto raw = bus.client.call_raw(frame, 3000);
    REQUIRE(raw);
    json j = json::parse(*raw);
    CHECK(j["ok"] == false);
    return j["error"]["code"].get<std::string>();
  };
  CHECK(error_of("not json {") == err::kMalformed);
  CHECK(error_of("[1,2,3]") == err::kMalformed);
  CHECK(error_of(R"({"cmd":"take_ticket","key":"k1","args":{"category":"company"}})") == err::kMalformed);
  CHECK(error_of(R"({"v":2,"cmd":"take_ticket","key":"k1","args":{"category":"company"}})") == err::kUnsupportedVersion);
  CHECK(error_of(R"({"v":1,"cmd":"take_ticket","args":{"category":"company"}})") == err::kKeyRequired);
  CHECK(error_of(R"({"v":1,"cmd":"take_ticket","key":"k2","args":"company"})") == err::kMalformed);
  CHECK(error_of(R"({"v":1,"cmd":"launch_rocket","key":"k3"})") == err::kUnknownCommand);
  CHECK(error_of(R"({"v":1,"cmd":"call_next","key":"k4","args":{"window":77}})") == err::kUnknownWindow);
  std::string huge = R"({"v":1,"cmd":"post_announcement","key":"k5","args":{"text":")" + std::string(100000, 'x') + "\"}}";
  CHECK(error_of(huge) == err::kTooLarge);
  std::string binary("\x00\xff\xfe garbage", 11);
  CHECK(error_of(binary) == err::kMalformed);
  CHECK(bus.entities() == before);
  CHECK(bus.must("ping").result["seq"] == seq_before);
  // The server is alive and well after all of that.
  CHECK(bus.must("take_ticket", {{"category", "company"}}).result["ticket"]["number"] == "A002");
}

TEST_CASE("an update whose entity holds a number out of range drops that entity and keeps the rest") {
  // Found by fuzz_mirror: get<int>() of 5.44e122 is undefined behaviour.
  HallState hall_state;
  const json changes = json::parse(R"([
    {"key":"window/5","value":{"number":5.44e122,"state":"open","categories":["tax"]}},
    {"key":"window/6","value":{"number":6,"state":"open","categories":["tax"]}},
    {"key":"category/tax","value":{"code":"tax","name":"税务","prefix":"C","windows":[5],"lanes":[-3e9]}}
  ])");
  const auto keys = apply_changes(hall_state, changes);
  CHECK(keys == std::vector<std::string>{"window/6"});
  CHECK_FALSE(hall_state.windows.count(5));
  CHECK(hall_state.windows.at(6).number == 6);
  CHECK_FALSE(hall_state.categories.count("tax"));
  CountyState county_state;
  CHECK_THROWS_AS(county_state.apply("hall/h1", json::parse(R"({"compression":1e300})")), std::invalid_argument);
  CHECK_NOTHROW(county_state.apply("hall/h1", json::parse(R"({"compression":0.25})")));
  CHECK(json_numbers_fit(json::parse(R"({"a":[0.5,-2147483647.5,{"b":1e9}]})")));
  CHECK_FALSE(json_numbers_fit(json::parse(R"([[[[{"b":2147483648.0}]]]])")));
}

TEST_CASE("killed with SIGKILL during a load — the server loses no acknowledged ticket or rating and never reissues a number") {
  Bus bus;
  bus.must("open_window", {{"window", 1}, {"staff", "S1"}});
  std::mutex mutex;
  std::map<std::string, std::string> acked;  // ticket number → idempotency key
  std::set<std::string> rated;
  std::atomic<bool> stop{false};
  std::vector<std::thread> kiosks;
  for (int k = 0; k < 4; ++k) {
    kiosks.emplace_back([&, k] {
      HallClient client(bus.server.commands(), ClientOptions{500, 1});
      int n = 0;
      while (!stop) {
        std::string key = "kiosk" + std::to_string(k) + "-" + std::to_string(n++);
        Reply r = client.call("take_ticket", {{"category", k % 2 ? "company" : "tax"}}, key);
        if (r.ok) {
          std::lock_guard lock(mutex);
          acked[r.result["ticket"]["number"]] = key;
        }
      }
    });
  }
  // A window serving and a citizen rating, at the same time.
  std::thread window([&] {
    HallClient client(bus.server.commands(), ClientOptions{500, 1});
    while (!stop) {
      Reply c = client.call("call_next", {{"window", 1}});
      if (!c.ok) continue;
      if (!client.call("finish", {{"window", 1}}).ok) continue;
      std::string number = c.result["ticket"]["number"];
      if (client.call("rate", {{"ticket", number}, {"level", 4}}).ok) {
        std::lock_guard lock(mutex);
        rated.insert(number);
      }
    }
  });
  REQUIRE(eventually([&] {
    std::lock_guard lock(mutex);
    return acked.size() >= 150 && rated.size() >= 5;
  }, 30000));
  bus.server.kill9();
  stop = true;
  for (auto& t : kiosks) t.join();
  window.join();
  bus.server.start();

  json state = bus.entities();
  std::lock_guard lock(mutex);
  std::string day = state["hall"]["day"];
  for (const auto& [number, key] : acked) {
    INFO("ticket " << number);
    CHECK(state.contains("ticket/" + day + "/" + number));
  }
  for (const auto& number : rated) {
    INFO("rating of " << number);
    CHECK(state.contains("rating/T/" + day + "/" + number));
  }
  // Numbers continue after the highest ever issued, acknowledged or not.
  int last_a = state["counter/" + day + "/A"]["last"];
  Reply fresh = bus.must("take_ticket", {{"category", "company"}});
  char expect[16];
  std::snprintf(expect, sizeof expect, "A%03d", last_a + 1);
  CHECK(fresh.result["ticket"]["number"] == expect);
  CHECK(acked.count(expect) == 0);
  // Every acknowledged retry still gets its original ticket.
  auto [number, key] = *acked.begin();
  Reply retry = bus.client.call("take_ticket", {{"category", number[0] == 'A' ? "company" : "tax"}}, key);
  CHECK(retry.result["ticket"]["number"] == number);
}

TEST_CASE("hall-server refuses a bad configuration with a clear message and a non-zero exit") {
  auto dir = test::temp_dir("badcfg");
  json cfg = test::test_hall_config(dir + "/hall.db", test::free_port(), test::free_port());
  cfg["windows"][0]["categories"] = {"moon"};
  test::write_file(dir + "/hall.json", cfg.dump());
  auto r = test::run_program({HALL_SERVER_BIN, "--config", dir + "/hall.json"});
  CHECK(r.status == 2);
  CHECK(r.output.find("windows[0].categories: unknown category 'moon'") != std::string::npos);
}

TEST_CASE("hallctl sends commands and prints state and statistics as JSON") {
  Bus bus;
  auto ctl = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {HALLCTL_BIN, "--commands", bus.server.commands()});
    return test::run_program(args);
  };
  auto took = ctl({"take_ticket", "category=realestate", "lane=elderly"});
  REQUIRE(took.status == 0);
  CHECK(json::parse(took.output)["result"]["ticket"]["number"] == "B001");
  auto stats = ctl({"stats"});
  REQUIRE(stats.status == 0);
  CHECK(json::parse(stats.output)["result"]["today"]["waiting"] == 1);
  auto state = ctl({"state"});
  REQUIRE(state.status == 0);
  CHECK(json::parse(state.output)["ticket/" + bus.entities()["hall"]["day"].get<std::string>() + "/B001"]["lane"] == "elderly");
  auto bad = ctl({"call_next", "window=42"});
  CHECK(bad.status == 1);
  CHECK(json::parse(bad.output)["code"] == "unknown_window");
  // A manager's view of complaints: open first, phone masked; the number itself by the contact query.
  REQUIRE(ctl({"submit_complaint", "kind=suggestion", "text=多放几把椅子"}).status == 0);
  auto filed = ctl({"submit_complaint", "kind=unresolved", R"(phrases=["系统故障无法办理"])", "phone=13700001111"});
  REQUIRE(filed.status == 0);
  std::string id = json::parse(filed.output)["result"]["complaint"]["id"];
  REQUIRE(ctl({"answer_complaint", "id=" + json::parse(ctl({"complaints"}).output)[0]["id"].get<std::string>(), "answer=已加座椅"}).status == 0);
  json list = json::parse(ctl({"complaints"}).output);
  REQUIRE(list.size() == 2);
  CHECK(list[0]["id"] == id);               // the open one first
  CHECK(list[0]["phone"] == "137****1111");
  CHECK(list[1]["state"] == "answered");
  CHECK(json::parse(ctl({"contact", "complaint=" + id}).output)["result"]["phone"] == "13700001111");
}
