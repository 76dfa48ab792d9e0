// hall-relay as a screen meets it: real hall servers, real relays (chained),
// real mirrors on loopback. A screen behind relays must see what a screen on
// the server sees, send its commands through, and restarts must not storm
// the upstream with snapshots.
#include <doctest/doctest.h>

#include <httplib.h>
#include <signal.h>

#include "shared/client.h"
#include "shared/mirror.h"
#include "tests/support.h"

using namespace hall;

namespace {

struct RelayProcess {
  std::string commands = "tcp://127.0.0.1:" + std::to_string(test::free_port());
  std::string updates = "tcp://127.0.0.1:" + std::to_string(test::free_port());
  test::Program program;
  RelayProcess(const std::string& up_commands, const std::string& up_updates, const std::string& log, const std::string& device = "relay")
      : program({HALL_RELAY_BIN, "--upstream-commands", up_commands, "--upstream-updates", up_updates, "--commands", commands, "--updates", updates,
                 "--device", device},
                log) {}
};

json entities_of(const HallState& s) {
  json out = json::object();
  for (const auto& [key, value] : s.entities()) out[key] = value;
  return out;
}

int64_t snapshots_served(int http_port) {
  httplib::Client ops("127.0.0.1", http_port);
  auto r = ops.Get("/metrics");
  if (!r) return -1;
  auto at = r->body.find("\nhall_snapshots_served_total ");
  return at == std::string::npos ? -1 : std::stoll(r->body.substr(at + 29));
}

}  // namespace

TEST_CASE("a screen behind two chained relays sees the hall as a screen on the server does, and its commands reach the hall") {
  std::string dir = test::temp_dir("relay-chain");
  test::ServerProcess hall(dir);
  RelayProcess first(hall.commands(), hall.updates(), dir + "/relay-1.log", "relay-1");
  RelayProcess second(first.commands, first.updates, dir + "/relay-2.log", "relay-2");
  HallMirror direct(hall.commands(), hall.updates());
  HallMirror behind(second.commands, second.updates);
  direct.start();
  behind.start();
  REQUIRE(test::eventually([&] { return direct.synced() && behind.synced(); }, 10000));
  // Commands sent to the last relay are passed up to the hall and answered back.
  HallClient client(second.commands);
  REQUIRE(client.call("open_window", {{"window", 1}, {"staff", "S1"}}).ok);
  uint64_t last = 0;
  for (int i = 0; i < 30; ++i) {
    auto r = client.call("take_ticket", {{"category", "company"}});
    REQUIRE_MESSAGE(r.ok, r.message);
    last = r.seq;
  }
  REQUIRE(client.call("call_next", {{"window", 1}}).ok);
  auto refused = client.call("call_next", {{"window", 99}});
  CHECK_FALSE(refused.ok);                        // the hall's own refusal, passed back
  CHECK(refused.code == "unknown_window");
  last = client.call("ping").seq;
  REQUIRE(direct.wait_for_seq(last, 10000));
  REQUIRE(behind.wait_for_seq(last, 10000));
  CHECK(behind.epoch() == direct.epoch());         // the server's own numbering: a screen cannot tell
  CHECK(behind.seq() == direct.seq());
  CHECK(entities_of(behind.copy()) == entities_of(direct.copy()));
  CHECK(behind.resyncs() == 0);                     // every update in order, none lost on the way
  // Each relay of a hall reports itself like a screen (the second through the first).
  CHECK(test::eventually([&] {
    return direct.read([](const HallState& s) {
      auto a = s.devices.find("relay-1"), b = s.devices.find("relay-2");
      return a != s.devices.end() && b != s.devices.end() && a->second.kind == "relay" && b->second.program == "hall-relay" && !b->second.silent;
    });
  }, 10000));
}

TEST_CASE("restarts cost the upstream one snapshot per relay: forty screens behind a relay, the hall server restarted, then the relay killed") {
  std::string dir = test::temp_dir("relay-storm");
  const int http_port = test::free_port();
  json config = test::test_hall_config("", 0, 0);
  config["http"] = "127.0.0.1:" + std::to_string(http_port);
  test::ServerProcess hall(dir, {}, config);
  RelayProcess relay(hall.commands(), hall.updates(), dir + "/relay.log");
  std::vector<std::unique_ptr<HallMirror>> screens;
  for (int i = 0; i < 40; ++i) {
    screens.push_back(std::make_unique<HallMirror>(relay.commands, relay.updates));
    screens.back()->start();
  }
  auto all = [&](const std::function<bool(HallMirror&)>& p) {
    for (auto& s : screens)
      if (!p(*s)) return false;
    return true;
  };
  REQUIRE(test::eventually([&] { return all([](HallMirror& m) { return m.synced(); }); }, 15000));
  CHECK(snapshots_served(http_port) == 1);          // the relay's, not forty
  HallClient client(hall.commands());

  // The hall server restarts (a new epoch): the relay takes one snapshot, the screens resync from it.
  const std::string old_epoch = screens[0]->epoch();
  hall.stop();
  hall.start();
  uint64_t seq = client.call("take_ticket", {{"category", "company"}}).seq;
  REQUIRE(test::eventually([&] { return all([&](HallMirror& m) { return m.epoch() != old_epoch && m.seq() >= seq; }); }, 20000));
  CHECK(snapshots_served(http_port) == 1);          // counted since this start: the relay's one

  // The relay is killed and started again: one more snapshot upstream; the screens carry on.
  relay.program.stop(SIGKILL);
  seq = client.call("take_ticket", {{"category", "company"}}).seq;
  relay.program.start();
  seq = client.call("take_ticket", {{"category", "tax"}}).seq;
  REQUIRE(test::eventually([&] { return all([&](HallMirror& m) { return m.seq() >= seq; }); }, 20000));
  CHECK(snapshots_served(http_port) == 2);
  const json truth = [&] {
    HallMirror direct(hall.commands(), hall.updates());
    direct.start();
    REQUIRE(direct.wait_for_seq(seq, 10000));
    return entities_of(direct.copy());
  }();
  for (auto& s : screens) CHECK(entities_of(s->copy()) == truth);
}

TEST_CASE("a relay whose upstream is gone goes quiet like the server would: its screens show stale, and recover with it") {
  std::string dir = test::temp_dir("relay-stale");
  test::ServerProcess hall(dir);
  RelayProcess relay(hall.commands(), hall.updates(), dir + "/relay.log");
  MirrorOptions quick;
  quick.stale_after_ms = 1500;
  HallMirror screen(relay.commands, relay.updates, quick);
  screen.start();
  REQUIRE(test::eventually([&] { return screen.synced() && !screen.stale(); }, 10000));
  hall.stop();
  REQUIRE(test::eventually([&] { return screen.stale(); }, 10000));
  hall.start();
  HallClient client(hall.commands());
  const uint64_t seq = client.call("take_ticket", {{"category", "company"}}).seq;
  REQUIRE(test::eventually([&] { return !screen.stale() && screen.seq() >= seq; }, 20000));
}
