// bench_booking: 16 clients racing to book one hot slot (预约) on the real
// hall server, each its own connection and person, until the slot is full;
// then the same 16 clients taking walk-in tickets, the same count, in the
// same run. Prints bookings/s and the round trip of one booking, and checks
// that exactly the slot's capacity was booked.
//   bench_booking [clients]
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

#include "bench/bench_util.h"
#include "shared/client.h"

using namespace hall;

namespace {

struct Run {
  double seconds = 0;
  int ok = 0, refused = 0;
  std::vector<double> ms;
};

template <class F>
Run race(int clients, const std::string& commands, F&& one) {
  Run r;
  std::mutex mutex;
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c)
    threads.emplace_back([&, c] {
      HallClient client(commands, ClientOptions{5000, 2});
      client.call("ping");  // connected before the start
      std::vector<double> mine;
      int ok = 0, refused = 0;
      while (!go) std::this_thread::yield();
      for (int i = 0;; ++i) {
        auto t0 = std::chrono::steady_clock::now();
        Reply reply = one(client, c, i);
        mine.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        if (reply.ok) ++ok;
        else if (reply.code == "stop") break;
        else {
          ++refused;
          break;  // full: this client is done
        }
      }
      std::lock_guard lock(mutex);
      r.ok += ok;
      r.refused += refused;
      r.ms.insert(r.ms.end(), mine.begin(), mine.end());
    });
  auto t0 = std::chrono::steady_clock::now();
  go = true;
  for (auto& t : threads) t.join();
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const int clients = argc > 1 ? std::atoi(argv[1]) : 16;
  std::string dir = test::temp_dir("bench-booking");
  json config = test::test_hall_config(dir + "/hall.db", 1, 2);
  for (auto& c : config["categories"])
    if (c["code"] == "company") c["default_service_s"] = 60;  // a long hot slot with many places
  config["appointments"] = {{"slot_minutes", 240}, {"walk_in_share", 0.2}, {"release_before_minutes", 0}};
  test::ServerProcess server(dir, {"--start", "2026-11-23T08:00"}, config);
  HallClient probe(server.commands());
  Reply slots = probe.call("slots", {{"category", "company"}, {"day", "2026-11-24"}});
  const int capacity = slots.result["slots"][0]["capacity"];

  Run booked = race(clients, server.commands(), [&](HallClient& c, int who, int i) {
    char phone[16];
    std::snprintf(phone, sizeof phone, "13%03d%06d", who, i);
    return c.call("book", {{"category", "company"}, {"day", "2026-11-24"}, {"slot", "08:30"}, {"phone", phone}},
                  "b-" + std::string(phone));
  });
  const int per_client = (booked.ok + clients - 1) / clients;
  Run taken = race(clients, server.commands(), [&](HallClient& c, int who, int i) {
    if (i >= per_client) {
      Reply stop;
      stop.code = "stop";
      return stop;
    }
    return c.call("take_ticket", {{"category", "company"}}, "t-" + std::to_string(who) + "-" + std::to_string(i));
  });
  std::printf("bench_booking: %d clients racing for one slot of %d places (预约), then as many walk-in tickets\n", clients, capacity);
  std::printf("  book (one hot slot):  %6.0f bookings/s  p50 %5.2f ms  p99 %5.2f ms  booked %d of %d places, %d refused slot_full: %s\n",
              booked.ok / booked.seconds, bench::percentile_ms(booked.ms, 0.5), bench::percentile_ms(booked.ms, 0.99), booked.ok, capacity,
              booked.refused, booked.ok == capacity ? "exactly the capacity" : "WRONG");
  std::printf("  take_ticket baseline: %6.0f tickets/s   p50 %5.2f ms  p99 %5.2f ms  (%d tickets)\n", taken.ok / taken.seconds,
              bench::percentile_ms(taken.ms, 0.5), bench::percentile_ms(taken.ms, 0.99), taken.ok);
  return booked.ok == capacity ? 0 : 1;
}
