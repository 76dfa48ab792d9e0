// bench_web: phones following their tickets through hall-gateway. A real
// hall server and a real gateway on loopback; N phones (default 2,000), each
// with its own ticket and its own Server-Sent Events stream, read by one
// epoll thread here. Each call at a window changes every waiting ticket's
// place, so every stream gets an event: printed, call → event on the
// streams p50/p99 (target p99 ≤ 100 ms), next to the same call → a bus
// mirror in the same run, and the gateway's memory per open stream.
//   bench_web [phones, default 2000] [calls, default 20]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

#include "bench/bench_util.h"
#include "shared/client.h"
#include "shared/mirror.h"

using namespace hall;
using steady = std::chrono::steady_clock;

namespace {
int64_t now_us() { return std::chrono::duration_cast<std::chrono::microseconds>(steady::now().time_since_epoch()).count(); }

int open_stream(int port, const std::string& token) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(uint16_t(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  const std::string req = "GET /api/ticket/" + token + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n";
  if (write(fd, req.data(), req.size()) != ssize_t(req.size())) {
    close(fd);
    return -1;
  }
  return fd;
}
}  // namespace

int main(int argc, char** argv) {
  const int phones = argc > 1 ? std::atoi(argv[1]) : 2000;
  const int calls = argc > 2 ? std::atoi(argv[2]) : 20;
  rlimit lim{65536, 65536};
  setrlimit(RLIMIT_NOFILE, &lim);  // the gateway, started below, inherits it
  const std::string dir = test::temp_dir("bench-web");
  json config = test::test_hall_config("", 0, 0);
  test::ServerProcess hall(dir, {"--start", "2026-11-23T10:00"}, config);
  const int port = test::free_port();
  test::Program gateway({HALL_GATEWAY_BIN, "--commands", hall.commands(), "--updates", hall.updates(), "--public",
                         "127.0.0.1:" + std::to_string(port), "--staff", "off", "--threads", std::to_string(phones + 64)},
                        dir + "/gateway.log");
  HallClient client(hall.commands());
  std::vector<std::string> tokens;
  for (int i = 0; i < phones + calls; ++i) {
    Reply r = client.call("take_ticket", {{"category", "company"}});
    if (!r.ok) {
      std::fprintf(stderr, "bench_web: take_ticket: %s\n", r.message.c_str());
      return 1;
    }
    tokens.push_back(r.result["token"]);
  }
  // The first `calls` tickets are the ones called; the phones watch the rest.
  const long rss_before = bench::proc_stat(gateway.pid()).rss_kb;
  int ep = epoll_create1(0);
  std::vector<int> fds;
  for (int i = 0; i < phones; ++i) {
    int fd = open_stream(port, tokens[size_t(calls + i)]);
    if (fd < 0) {
      std::fprintf(stderr, "bench_web: stream %d could not connect\n", i);
      return 1;
    }
    epoll_event e{};
    e.events = EPOLLIN;
    e.data.u32 = uint32_t(fds.size());
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
    fds.push_back(fd);
  }
  // Read everything; a stream's event after a call's start is that call's arrival.
  std::vector<int64_t> last_event(size_t(phones), 0);
  std::atomic<bool> stop{false};
  std::atomic<long> events{0};
  std::mutex mutex;
  std::thread reader([&] {
    std::vector<epoll_event> ready(1024);
    char buf[8192];
    while (!stop) {
      int n = epoll_wait(ep, ready.data(), int(ready.size()), 100);
      for (int i = 0; i < n; ++i) {
        const uint32_t k = ready[size_t(i)].data.u32;
        ssize_t got = read(fds[k], buf, sizeof buf);
        if (got <= 0) continue;
        if (memmem(buf, size_t(got), "event: ticket", 13)) {
          std::lock_guard lock(mutex);
          last_event[k] = now_us();
          ++events;
        }
      }
    }
  });
  auto all_heard = [&](int64_t since) {
    std::lock_guard lock(mutex);
    for (int64_t t : last_event)
      if (t < since) return false;
    return true;
  };
  if (!test::eventually([&] { return all_heard(1); }, 60000)) {
    std::fprintf(stderr, "bench_web: not every stream got its first event\n");
    return 1;
  }
  const long rss_open = bench::proc_stat(gateway.pid()).rss_kb;
  HallMirror mirror(hall.commands(), hall.updates());
  std::atomic<int64_t> mirror_seen{0};
  std::atomic<uint64_t> waiting_seq{0};
  mirror.on_change([&](const MirrorChange& c) {
    if (waiting_seq && c.seq >= waiting_seq) mirror_seen = now_us();
  });
  mirror.start();
  test::eventually([&] { return mirror.synced(); }, 10000);
  const int64_t opened = now_us();
  client.call("open_window", {{"window", 1}, {"staff", "S1"}});
  test::eventually([&] { return all_heard(opened); }, 10000);  // an open window changes every estimate: those events first
  std::vector<double> to_streams, to_mirror;
  int missing = 0;
  for (int c = 0; c < calls; ++c) {
    if (c) {
      const int64_t finished = now_us();
      client.call("finish", {{"window", 1}});  // the mean service moves every estimate: its events first
      test::eventually([&] { return all_heard(finished); }, 3000);
    }
    mirror_seen = 0;
    const int64_t t0 = now_us();
    Reply r = client.call("call_next", {{"window", 1}});
    waiting_seq = r.seq;
    if (mirror.seq() >= r.seq && !mirror_seen) mirror_seen = now_us();
    if (!test::eventually([&] { return all_heard(t0); }, 10000)) ++missing;
    std::lock_guard lock(mutex);
    for (int64_t t : last_event)
      if (t >= t0) to_streams.push_back((t - t0) / 1000.0);
    if (mirror_seen) to_mirror.push_back((mirror_seen - t0) / 1000.0);
  }
  stop = true;
  reader.join();
  const double p99 = bench::percentile_ms(to_streams, 0.99);
  std::printf("bench_web: %d phones on hall-gateway, each its own ticket and event stream; %d calls at a window (%ld events read)\n", phones,
              calls, events.load());
  std::printf("  call → a bus mirror:                 p50 %6.1f ms  p99 %6.1f ms  (n=%zu)\n", bench::percentile_ms(to_mirror, 0.5),
              bench::percentile_ms(to_mirror, 0.99), to_mirror.size());
  std::printf("  call → every phone's event stream:   p50 %6.1f ms  p99 %6.1f ms  (n=%zu, %d calls not heard by all)  target p99 ≤ 100 ms: %s\n",
              bench::percentile_ms(to_streams, 0.5), p99, to_streams.size(), missing, p99 <= 100 && !missing ? "met" : "NOT met");
  std::printf("  gateway memory: RSS %.1f MB before, %.1f MB with %d streams open: %.1f KB per stream\n", rss_before / 1024.0, rss_open / 1024.0,
              phones, double(rss_open - rss_before) / phones);
  for (int fd : fds) close(fd);
  mirror.stop();
  return 0;
}
