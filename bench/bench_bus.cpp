// bench_bus: the hall server and bus against raw baselines, measured in the
// same run on this machine.
//   1. durable take_ticket commands/s   vs raw SQLite INSERT+COMMIT per op (WAL, synchronous=FULL)
//   2. command round trip p50/p99 at 200 commands/s   vs raw ZeroMQ DEALER/ROUTER echo
//   3. update latency (server commit → change applied in a mirror) p50/p99
//      with 1, 10 and 100 subscribers   vs raw ZeroMQ PUB/SUB
// Usage: bench_bus [--quick]
#include <sqlite3.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>

#include <zmq.hpp>

#include "shared/client.h"
#include "shared/clock.h"
#include "shared/mirror.h"
#include "shared/stats.h"
#include "tests/support.h"

using namespace hall;
using steady = std::chrono::steady_clock;

namespace {

bool quick = false;

double seconds_since(steady::time_point t0) { return std::chrono::duration<double>(steady::now() - t0).count(); }

// A ticket-sized payload, so the raw baselines carry what the server carries.
std::string ticket_body(int n) {
  Ticket t;
  t.key = "2026-11-23/A" + std::to_string(n);
  t.number = "A" + std::to_string(n);
  t.day = "2026-11-23";
  t.category = "company";
  t.issued_ms = wall_ms();
  return json(t).dump();
}

double raw_sqlite_commits_per_s(const std::string& dir, double duration_s) {
  sqlite3* db = nullptr;
  sqlite3_open((dir + "/raw.db").c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                   "CREATE TABLE entity(key TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* ins = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO entity(key, body) VALUES(?1, ?2)", -1, &ins, nullptr);
  auto t0 = steady::now();
  int n = 0;
  while (seconds_since(t0) < duration_s) {
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    std::string key = "ticket/" + std::to_string(n), body = ticket_body(n);
    sqlite3_bind_text(ins, 1, key.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 2, body.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_step(ins);
    sqlite3_reset(ins);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    ++n;
  }
  double rate = n / seconds_since(t0);
  sqlite3_finalize(ins);
  sqlite3_close(db);
  return rate;
}

double hall_commands_per_s(const test::ServerProcess& server, int clients, double duration_s) {
  std::atomic<int> done{0}, failed{0};
  std::vector<std::thread> threads;
  auto t0 = steady::now();
  for (int c = 0; c < clients; ++c)
    threads.emplace_back([&, c] {
      HallClient client(server.commands(), ClientOptions{5000, 1});
      static const char* cats[] = {"company", "realestate", "tax"};
      while (seconds_since(t0) < duration_s) {
        if (client.call("take_ticket", {{"category", cats[c % 3]}}).ok) ++done;
        else ++failed;
      }
    });
  for (auto& t : threads) t.join();
  if (failed) std::printf("  (%d commands failed)\n", failed.load());
  return done / seconds_since(t0);
}

struct Percentiles {
  double p50 = 0, p99 = 0;
  size_t n = 0;
};
Percentiles summarize(std::vector<int64_t> v) {
  return Percentiles{double(percentile(v, 0.50)), double(percentile(v, 0.99)), v.size()};
}

// Sends `count` requests paced at `rate`/s through `send`, which returns the round-trip in µs.
std::vector<int64_t> paced(int count, double rate, const std::function<int64_t()>& send) {
  std::vector<int64_t> samples;
  auto next = steady::now();
  for (int i = 0; i < count; ++i) {
    std::this_thread::sleep_until(next);
    next += std::chrono::microseconds(int64_t(1e6 / rate));
    samples.push_back(send());
  }
  return samples;
}

Percentiles raw_echo(double rate, int count) {
  zmq::context_t ctx(1);
  zmq::socket_t router(ctx, zmq::socket_type::router);
  int port = test::free_port();
  router.bind("tcp://127.0.0.1:" + std::to_string(port));
  std::atomic<bool> stop{false};
  std::thread echo([&] {
    while (!stop) {
      zmq::pollitem_t it{router.handle(), 0, ZMQ_POLLIN, 0};
      if (zmq::poll(&it, 1, std::chrono::milliseconds(50)) <= 0) continue;
      zmq::message_t id, body;
      (void)router.recv(id);
      (void)router.recv(body);
      router.send(id, zmq::send_flags::sndmore);
      router.send(body, zmq::send_flags::none);
    }
  });
  zmq::socket_t dealer(ctx, zmq::socket_type::dealer);
  dealer.connect("tcp://127.0.0.1:" + std::to_string(port));
  std::string frame = encode_request(Request{"id", "key", "take_ticket", {{"category", "company"}}});
  auto samples = paced(count, rate, [&] {
    int64_t t0 = wall_us();
    dealer.send(zmq::buffer(frame), zmq::send_flags::none);
    zmq::message_t reply;
    (void)dealer.recv(reply);
    return wall_us() - t0;
  });
  stop = true;
  echo.join();
  return summarize(samples);
}

Percentiles hall_round_trip(const test::ServerProcess& server, const std::string& cmd, json args, double rate, int count) {
  HallClient client(server.commands());
  return summarize(paced(count, rate, [&] {
    int64_t t0 = wall_us();
    Reply r = client.call(cmd, args);
    if (!r.ok) std::printf("  (%s failed: %s)\n", cmd.c_str(), r.message.c_str());
    return wall_us() - t0;
  }));
}

Percentiles hall_update_latency(const test::ServerProcess& server, int subscribers, int updates, double rate) {
  std::vector<std::unique_ptr<HallMirror>> mirrors;
  std::mutex mutex;
  std::vector<int64_t> samples;
  std::atomic<bool> measuring{false};
  for (int i = 0; i < subscribers; ++i) {
    mirrors.push_back(std::make_unique<HallMirror>(server.commands(), server.updates()));
    mirrors.back()->on_change([&](const MirrorChange& c) {
      if (!measuring || c.published_us == 0) return;
      int64_t lat = wall_us() - c.published_us;
      std::lock_guard lock(mutex);
      samples.push_back(lat);
    });
    mirrors.back()->start();
  }
  for (auto& m : mirrors) test::eventually([&] { return m->synced(); }, 20000);
  measuring = true;
  HallClient client(server.commands());
  uint64_t last = 0;
  paced(updates, rate, [&] {
    last = client.call("take_ticket", {{"category", "tax"}}).seq;
    return int64_t(0);
  });
  for (auto& m : mirrors) m->wait_for_seq(last, 10000);
  measuring = false;
  for (auto& m : mirrors) m->stop();
  std::lock_guard lock(mutex);
  return summarize(samples);
}

Percentiles raw_pubsub_latency(int subscribers, int updates, double rate, size_t payload) {
  zmq::context_t ctx(1);
  zmq::socket_t pub(ctx, zmq::socket_type::pub);
  pub.set(zmq::sockopt::sndhwm, 100000);
  int port = test::free_port();
  pub.bind("tcp://127.0.0.1:" + std::to_string(port));
  std::mutex mutex;
  std::vector<int64_t> samples;
  std::atomic<int> ready{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> subs;
  for (int i = 0; i < subscribers; ++i)
    subs.emplace_back([&] {
      zmq::context_t own(1);  // like a mirror: one context and one thread each
      zmq::socket_t sub(own, zmq::socket_type::sub);
      sub.set(zmq::sockopt::subscribe, "");
      sub.connect("tcp://127.0.0.1:" + std::to_string(port));
      bool counted = false;
      while (!stop) {
        zmq::pollitem_t it{sub.handle(), 0, ZMQ_POLLIN, 0};
        if (zmq::poll(&it, 1, std::chrono::milliseconds(20)) <= 0) continue;
        zmq::message_t topic, body;
        (void)sub.recv(topic);
        (void)sub.recv(body);
        if (topic.to_string() == "warmup") {
          if (!counted) counted = true, ++ready;
          continue;
        }
        json j = json::parse(body.to_string());  // a mirror parses too
        int64_t lat = wall_us() - j["wall_us"].get<int64_t>();
        std::lock_guard lock(mutex);
        samples.push_back(lat);
      }
    });
  // Joining subscribers: publish warm-ups until every one has heard one.
  test::eventually([&] {
    pub.send(zmq::str_buffer("warmup"), zmq::send_flags::sndmore);
    pub.send(zmq::str_buffer("{}"), zmq::send_flags::none);
    return ready == subscribers;
  }, 20000);
  std::string filler(payload, 'x');
  paced(updates, rate, [&] {
    json body{{"v", 1}, {"seq", 1}, {"wall_us", wall_us()}, {"changes", filler}};
    pub.send(zmq::str_buffer("update"), zmq::send_flags::sndmore);
    pub.send(zmq::buffer(body.dump()), zmq::send_flags::none);
    return int64_t(0);
  });
  test::eventually([&] {
    std::lock_guard lock(mutex);
    return samples.size() >= size_t(subscribers * updates);
  }, 10000);
  stop = true;
  for (auto& t : subs) t.join();
  std::lock_guard lock(mutex);
  return summarize(samples);
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const double duration = quick ? 1.5 : 4.0;
  std::printf("bench_bus on %u cores%s\n\n", std::thread::hardware_concurrency(), quick ? " (quick)" : "");

  std::string dir = test::temp_dir("bench");
  test::ServerProcess server(dir);

  std::printf("1. Durable commands per second (SQLite WAL, synchronous=FULL)\n");
  double raw = raw_sqlite_commits_per_s(dir, duration);
  double one = hall_commands_per_s(server, 1, duration);
  double many = hall_commands_per_s(server, 16, duration);
  std::printf("  raw SQLite, one INSERT + COMMIT per op      %8.0f /s   (baseline)\n", raw);
  std::printf("  hall take_ticket, 1 client, sequential      %8.0f /s   %.2f× raw\n", one, one / raw);
  std::printf("  hall take_ticket, 16 clients (group commit) %8.0f /s   %.2f× raw   target ≥ 0.50× raw: %s\n\n", many,
              many / raw, many >= 0.5 * raw ? "met" : "NOT met");

  std::printf("2. Command round trip at 200 commands/s (µs)\n");
  int count = quick ? 400 : 1000;
  Percentiles echo = raw_echo(200, count);
  Percentiles ping = hall_round_trip(server, "ping", json::object(), 200, count);
  Percentiles take = hall_round_trip(server, "take_ticket", {{"category", "realestate"}}, 200, count);
  std::printf("  raw ZeroMQ DEALER/ROUTER echo   p50 %7.0f   p99 %7.0f   (baseline, n=%zu)\n", echo.p50, echo.p99, echo.n);
  std::printf("  hall ping (query, no commit)    p50 %7.0f   p99 %7.0f\n", ping.p50, ping.p99);
  std::printf("  hall take_ticket (durable)      p50 %7.0f   p99 %7.0f\n\n", take.p50, take.p99);

  // A fresh hall for the update figures: the load above left tens of
  // thousands of tickets, more than a hall issues in a week.
  server.stop();
  std::string dir3 = test::temp_dir("bench-updates");
  test::ServerProcess fresh(dir3);
  std::printf("3. Update latency, server publish after commit → change applied in each subscriber (µs)\n");
  const size_t payload = ticket_body(1).size() + 300;
  for (int subs : {1, 10, 100}) {
    int updates = quick ? 100 : 300;
    Percentiles base = raw_pubsub_latency(subs, updates, 100, payload);
    Percentiles hall = hall_update_latency(fresh, subs, updates, 100);
    bool met = hall.p99 <= 5 * base.p99;
    std::printf("  %3d subscriber(s): raw PUB/SUB p50 %6.0f p99 %6.0f | hall mirror p50 %6.0f p99 %6.0f (n=%zu)  "
                "p99 %.1f× raw, target ≤ 5×: %s\n",
                subs, base.p50, base.p99, hall.p50, hall.p99, hall.n, hall.p99 / std::max(1.0, base.p99), met ? "met" : "NOT met");
  }
  return 0;
}
