// bench_county_relay: a county at scale on this machine. A real hall-county on
// a real PostgreSQL 15 cluster (started here), 99 halls feeding it in the
// background (the feed protocol, a batch every 2 s each: about 50 a second,
// a county's busiest hour many times over; first each at its own moment,
// then all at the same instant) and one real
// hall-server; 1,000 subscribers behind four hall-relays. Printed: a commit
// at the real hall (from its request) → its row on a county screen behind a
// relay, p50/p99, next to the same commit → a mirror of the hall itself, in the same run.
//   bench_county_relay [commits, default 200] [background batch period ms, default 2000]
#include <chrono>
#include <filesystem>
#include <cstdio>
#include <thread>
#include <zmq.hpp>

#include "bench/bench_util.h"
#include "shared/client.h"
#include "shared/mirror.h"
#include "tests/postgres.h"

using namespace hall;
using nlohmann::json;
using steady = std::chrono::steady_clock;

namespace {
std::string ep() { return "tcp://127.0.0.1:" + std::to_string(test::free_port()); }
int64_t now_us() { return std::chrono::duration_cast<std::chrono::microseconds>(steady::now().time_since_epoch()).count(); }
}  // namespace

int main(int argc, char** argv) {
  const int commits = argc > 1 ? std::atoi(argv[1]) : 200;
  const int period_ms = argc > 2 ? std::atoi(argv[2]) : 2000;
  test::PostgresCluster pg;
  const std::string dir = test::temp_dir("bench-county-relay");
  const std::string feed = ep(), updates = ep();
  test::Program county({HALL_COUNTY_BIN, "--database", pg.conninfo(), "--feed", feed, "--updates", updates}, dir + "/county.log");
  struct RelayEnds { std::string commands, updates; };
  std::vector<RelayEnds> ends;
  std::vector<std::unique_ptr<test::Program>> relays;
  for (int i = 0; i < 4; ++i) {
    ends.push_back({ep(), ep()});
    relays.push_back(std::make_unique<test::Program>(
        std::vector<std::string>{HALL_RELAY_BIN, "--upstream-commands", feed, "--upstream-updates", updates, "--commands", ends.back().commands,
                                 "--updates", ends.back().updates},
        dir + "/relay-" + std::to_string(i) + ".log"));
  }

  // 99 halls in the background: hello, then a batch (a ticket) every 500 ms each.
  std::atomic<bool> stop{false};
  std::atomic<long> background_batches{0};
  std::atomic<bool> together{false};
  std::thread halls([&] {
    zmq::context_t ctx(1);
    struct Fake { std::unique_ptr<zmq::socket_t> s; uint64_t seq = 0; std::string id; };
    std::vector<Fake> fakes;
    for (int i = 0; i < 99; ++i) {
      Fake f{std::make_unique<zmq::socket_t>(ctx, zmq::socket_type::dealer), 0, "bg-" + std::to_string(i)};
      f.s->set(zmq::sockopt::rcvtimeo, 5000);
      f.s->connect(feed);
      json hello{{"type", "hello"}, {"hall", {{"id", f.id}, {"name", "背景" + std::to_string(i) + "便民服务站"}, {"level", "village"}, {"parent", "town-bg"}}},
                 {"db_id", "db-" + f.id}, {"seq", 0}};
      f.s->send(zmq::buffer(hello.dump()));
      zmq::message_t m;
      (void)f.s->recv(m);
      fakes.push_back(std::move(f));
    }
    auto next = steady::now();
    auto batch_of = [](Fake& f) {
      ++f.seq;
      json change{{"seq", f.seq}, {"key", "ticket/2026-11-23/A" + std::to_string(f.seq)}, {"at_ms", 1},
                  {"value", {{"key", "2026-11-23/A" + std::to_string(f.seq)}, {"number", "A" + std::to_string(f.seq)}, {"day", "2026-11-23"},
                             {"category", "company"}, {"state", "waiting"}}}};
      json batch{{"type", "changes"}, {"hall_id", f.id}, {"db_id", "db-" + f.id}, {"changes", json::array({change})}};
      return batch.dump();
    };
    while (!stop) {
      if (together) {  // every hall at the same instant (after a county restart, or a link back up)
        for (auto& f : fakes) f.s->send(zmq::buffer(batch_of(f)));
        for (auto& f : fakes) {
          zmq::message_t m;
          if (f.s->recv(m)) ++background_batches;
        }
      } else {  // each hall at its own moment in the period, as independent halls commit
        for (size_t i = 0; i < fakes.size() && !stop; ++i) {
          std::this_thread::sleep_until(next + std::chrono::milliseconds(period_ms) * i / fakes.size());
          fakes[i].s->send(zmq::buffer(batch_of(fakes[i])));
          zmq::message_t m;
          if (fakes[i].s->recv(m)) ++background_batches;
        }
      }
      next += std::chrono::milliseconds(period_ms);
      std::this_thread::sleep_until(next);
    }
  });

  // 1,000 subscribers behind the relays, read (not decoded) by one thread.
  zmq::context_t subs_ctx(2);
  std::vector<std::unique_ptr<zmq::socket_t>> subs;
  for (int i = 0; i < 1000; ++i) {
    subs.push_back(std::make_unique<zmq::socket_t>(subs_ctx, zmq::socket_type::sub));
    subs.back()->set(zmq::sockopt::subscribe, "");
    subs.back()->connect(ends[size_t(i) % ends.size()].updates);
  }
  std::atomic<long> received{0};
  std::thread reader([&] {
    std::vector<zmq::pollitem_t> items;
    for (auto& s : subs) items.push_back({s->handle(), 0, ZMQ_POLLIN, 0});
    while (!stop) {
      zmq::poll(items.data(), items.size(), std::chrono::milliseconds(100));
      for (size_t i = 0; i < items.size(); ++i) {
        if (!(items[i].revents & ZMQ_POLLIN)) continue;
        zmq::message_t m;
        while (subs[i]->recv(m, zmq::recv_flags::dontwait)) received += !m.more();
      }
    }
  });

  // The real hall, feeding the county, and what it takes for its commits to show.
  json config = test::test_hall_config("", 0, 0);
  config["hall"]["id"] = "real-hall";
  config["county"] = {{"feed", feed}, {"level", "township"}, {"parent", "county-hall"}, {"timeout_ms", 2000}, {"retry_ms", 100}, {"heartbeat_ms", 1000}};
  std::filesystem::create_directories(dir + "/hall");
  test::ServerProcess hall(dir + "/hall", {"--start", "2026-11-23T10:00"}, config);
  std::mutex mutex;
  std::map<int, int64_t> at_hall, at_county;  // tickets_today → µs it was seen
  HallMirror direct(hall.commands(), hall.updates());
  direct.on_change([&](const MirrorChange&) {
    const int n = direct.read([](const HallState& s) { return int(s.tickets.size()); });
    std::lock_guard lock(mutex);
    at_hall.emplace(n, now_us());
  });
  std::vector<std::unique_ptr<CountyMirror>> screens;
  for (int i = 0; i < 4; ++i) {
    screens.push_back(std::make_unique<CountyMirror>(ends[size_t(i)].commands, ends[size_t(i)].updates));
    CountyMirror* m = screens.back().get();
    m->on_change([&, m](const MirrorChange&) {
      const int n = m->read([](const CountyState& s) { auto it = s.halls.find("real-hall"); return it == s.halls.end() ? -1 : it->second.tickets_today; });
      std::lock_guard lock(mutex);
      if (n >= 0 && !at_county.count(n)) at_county[n] = now_us();  // the first of the screens behind relays; the rest within µs
    });
    m->start();
  }
  direct.start();
  test::eventually([&] { return direct.synced(); }, 20000);
  for (auto& s : screens) test::eventually([&] { return s->synced(); }, 20000);
  HallClient client(hall.commands());
  test::eventually([&] { return screens[0]->read([](const CountyState& s) { return s.halls.count("real-hall") > 0; }); }, 20000);
  // One phase: `commits` tickets, 100 ms apart, each timed from its request.
  int taken = 0;
  auto measure = [&](std::vector<double>& to_mirror, std::vector<double>& to_county) {
    std::map<int, int64_t> committed;
    for (int i = 1; i <= commits; ++i) {
      const int64_t t = now_us();  // from the request: the commit and its reply are in both figures alike
      Reply r = client.call("take_ticket", {{"category", i % 2 ? "company" : "tax"}});
      if (r.ok) committed[++taken] = t;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    test::eventually([&] { std::lock_guard lock(mutex); return at_county.count(taken) > 0; }, 20000);
    std::lock_guard lock(mutex);
    for (const auto& [n, t] : committed) {
      if (at_hall.count(n)) to_mirror.push_back(std::max<int64_t>(0, at_hall[n] - t) / 1000.0);
      if (at_county.count(n)) to_county.push_back(std::max<int64_t>(0, at_county[n] - t) / 1000.0);
    }
  };
  std::vector<double> to_mirror, to_county, burst_mirror, burst_county;
  measure(to_mirror, to_county);
  together = true;
  measure(burst_mirror, burst_county);
  stop = true;
  halls.join();
  reader.join();
  std::printf("bench_county_relay: 100 halls feeding (99 at a batch each per %d ms, %ld batches stored), 1,000 subscribers behind 4 relays (%ld updates read)\n",
              period_ms, background_batches.load(), received.load());
  std::printf(" the 99 halls each at its own moment (independent halls):\n");
  std::printf("  commit at a hall → its own mirror:                 p50 %6.1f ms  p99 %6.1f ms  (n=%zu)\n", bench::percentile_ms(to_mirror, 0.5),
              bench::percentile_ms(to_mirror, 0.99), to_mirror.size());
  const double p99 = bench::percentile_ms(to_county, 0.99);
  std::printf("  commit at a hall → county screen behind a relay:   p50 %6.1f ms  p99 %6.1f ms  (n=%zu)  target p99 ≤ 50 ms: %s\n",
              bench::percentile_ms(to_county, 0.5), p99, to_county.size(), p99 <= 50 ? "met" : "NOT met");
  std::printf(" the 99 halls all at the same instant (a county restart, a link back up; no target):\n");
  std::printf("  commit at a hall → its own mirror:                 p50 %6.1f ms  p99 %6.1f ms  (n=%zu)\n", bench::percentile_ms(burst_mirror, 0.5),
              bench::percentile_ms(burst_mirror, 0.99), burst_mirror.size());
  std::printf("  commit at a hall → county screen behind a relay:   p50 %6.1f ms  p99 %6.1f ms  (n=%zu)\n", bench::percentile_ms(burst_county, 0.5),
              bench::percentile_ms(burst_county, 0.99), burst_county.size());
  for (auto& s : screens) s->stop();
  direct.stop();
  return 0;
}
