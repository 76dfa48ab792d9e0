// A subscriber that stops reading (a hung screen) must cost its server
// bounded memory. The hall server with 150 screens reading and 50 that
// stopped, at 200 commands/s: its memory after the run, with the update
// high-water mark of before (100,000 queued updates per subscriber) and of
// now (bus.update_hwm, default 1,000), in the same run. Then what a stuck
// screen loses: it reads again, meets a gap and resyncs.
// Memory is the server's RSS and the kernel's TCP buffers (/proc/net/sockstat):
// a stuck connection's unsent bytes sit in the kernel, not in the process.
//   bench_stuck [seconds per run, default 90] [bytes of an update's body, default 999: a long announcement, 333 characters]
#include <cstdio>
#include <fstream>
#include <unistd.h>
#include <zmq.hpp>

#include "bench/bench_util.h"
#include "shared/client.h"
#include "shared/mirror.h"

using namespace hall;

namespace {

struct Result {
  long rss_before_kb = 0, rss_after_kb = 0;
  long tcp_before_kb = 0, tcp_after_kb = 0;  // the kernel's TCP buffer memory, every socket on the machine
  uint64_t published = 0;
  size_t stuck_got = 0;      // updates a stuck subscriber received when it read again
  bool gap = false;          // …with a gap in their sequence: a screen would resync
  bool healthy_current = false;
  int refused = 0;           // commands refused (should be none)
};

// Fifty screens whose whole process stopped (hung, or a machine gone to
// sleep): a child holding fifty SUB sockets, then SIGSTOPped, so nothing
// on that side reads — not even ZeroMQ's own threads. When continued it
// reads one of them again and writes back what it got.
struct StuckScreens {
  pid_t pid = -1;
  int to_child[2], from_child[2];
  explicit StuckScreens(const std::string& updates) {
    if (pipe(to_child) != 0 || pipe(from_child) != 0) throw std::runtime_error("pipe");
    pid = fork();
    if (pid == 0) {
      zmq::context_t ctx(1);
      std::vector<std::unique_ptr<zmq::socket_t>> subs;
      for (int i = 0; i < 50; ++i) {
        auto s = std::make_unique<zmq::socket_t>(ctx, zmq::socket_type::sub);
        s->set(zmq::sockopt::rcvbuf, 4096);
        s->set(zmq::sockopt::rcvtimeo, 3000);
        s->set(zmq::sockopt::linger, 0);
        s->set(zmq::sockopt::subscribe, "");
        s->connect(updates);
        subs.push_back(std::move(s));
      }
      zmq::message_t topic, body;
      for (auto& s : subs) (void)s->recv(topic);  // each has heard something: connected and subscribed
      char c = 'r';
      (void)!write(from_child[1], &c, 1);
      (void)!read(to_child[0], &c, 1);            // (stopped here by the parent; continued at the end)
      size_t got = 0;
      uint64_t last = 0;
      bool gap = false;
      int quiet = 0;
      while (quiet < 3 && subs[0]->recv(topic)) {  // everything that reached it, until three heartbeats in a row (the server idle)
        if (!topic.more() || !subs[0]->recv(body)) continue;
        if (topic.to_string() != "update") {
          ++quiet;
          continue;
        }
        quiet = 0;
        Update u;
        if (!decode_update(body.to_string(), u)) continue;
        ++got;
        if (last && u.seq != last + 1) gap = true;
        last = u.seq;
      }
      char out[64];
      int n = std::snprintf(out, sizeof out, "%zu %d\n", got, gap ? 1 : 0);
      (void)!write(from_child[1], out, size_t(n));
      _exit(0);
    }
    char c;
    (void)!read(from_child[0], &c, 1);
    kill(pid, SIGSTOP);
  }
  std::pair<size_t, bool> resume() {  // what one of them got when it read again, and whether with a gap
    kill(pid, SIGCONT);
    char c = 'g';
    (void)!write(to_child[1], &c, 1);
    char buf[64] = {0};
    ssize_t n = read(from_child[0], buf, sizeof buf - 1);
    waitpid(pid, nullptr, 0);
    size_t got = 0;
    int gap = 0;
    if (n > 0) std::sscanf(buf, "%zu %d", &got, &gap);
    return {got, gap != 0};
  }
};

long tcp_memory_kb() {  // "TCP: inuse … mem N" in pages
  std::ifstream in("/proc/net/sockstat");
  std::string word;
  while (in >> word)
    if (word == "TCP:") {
      while (in >> word && word != "mem") {
      }
      long pages = 0;
      in >> pages;
      return pages * (sysconf(_SC_PAGESIZE) / 1024);
    }
  return 0;
}

Result run(int hwm, double seconds, int body_bytes) {
  std::string dir = test::temp_dir("bench-stuck");
  json config = test::test_hall_config("", 0, 0);
  config["bus"]["update_hwm"] = hwm;
  config["bus"]["update_sndbuf_kb"] = hwm == 1000 ? 128 : 0;  // before: the kernel's own buffer as well
  test::ServerProcess server(dir, {}, config);
  StuckScreens stuck(server.updates());  // before any thread here: the child is forked from one thread
  std::vector<std::unique_ptr<HallMirror>> healthy;
  for (int i = 0; i < 150; ++i) {
    healthy.push_back(std::make_unique<HallMirror>(server.commands(), server.updates()));
    healthy.back()->start();
  }
  for (auto& m : healthy) test::eventually([&] { return m->synced(); }, 30000);
  HallClient client(server.commands());
  client.call("report_device", {{"device", "warmup"}, {"kind", "display"}, {"storage", "ok"}});
  Result r;
  r.rss_before_kb = bench::proc_stat(server.pid()).rss_kb;
  r.tcp_before_kb = tcp_memory_kb();
  const int n = int(seconds * 200);
  std::string posted;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    std::this_thread::sleep_until(t0 + std::chrono::microseconds(int64_t(i) * 5000));
    // Each a committed change: an announcement of `body_bytes` posted, then
    // taken down (the hall's state stays the same size; the updates are large).
    Reply rep;
    if (i % 2 == 0) {
      std::string text;
      while (text.size() + 3 <= size_t(body_bytes)) text += (i % 4 ? "请" : "办");  // 3 bytes a character, as Chinese is
      rep = client.call("post_announcement", {{"text", text}});
      if (rep.ok) posted = rep.result["announcement"]["id"].get<std::string>();
    } else {
      rep = client.call("remove_announcement", {{"id", posted}});
    }
    if (rep.ok) r.published = rep.seq;
    else if (!r.refused++) std::fprintf(stderr, "bench_stuck: refused: %s %s\n", rep.code.c_str(), rep.message.c_str());
  }
  r.rss_after_kb = bench::proc_stat(server.pid()).rss_kb;
  r.tcp_after_kb = tcp_memory_kb();
  r.healthy_current = true;
  for (auto& m : healthy) r.healthy_current &= m->wait_for_seq(r.published, 20000);
  std::tie(r.stuck_got, r.gap) = stuck.resume();
  for (auto& m : healthy) m->stop();
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 90;
  const int body = argc > 2 ? std::atoi(argv[2]) : 999;
  std::printf("bench_stuck: hall server, 150 screens reading + 50 stuck, 200 commands/s for %.0f s per run, every other update an announcement of %d bytes\n", seconds, body);
  for (int hwm : {100000, 1000}) {
    Result r = run(hwm, seconds, body);
    std::printf("  update_hwm %6d%s: server RSS %6.1f MB → %6.1f MB (+%.1f MB), kernel TCP buffers +%.1f MB; %llu updates published;\n"
                "                      screens reading kept up: %s; a stuck screen reading again got %zu of %llu updates, %s\n",
                hwm, hwm == 100000 ? " (before)" : " (now)   ", r.rss_before_kb / 1024.0, r.rss_after_kb / 1024.0,
                (r.rss_after_kb - r.rss_before_kb) / 1024.0, (r.tcp_after_kb - r.tcp_before_kb) / 1024.0, (unsigned long long)r.published,
                r.healthy_current ? "yes" : "NO", r.stuck_got, (unsigned long long)r.published - 1,
                r.gap                              ? "with a gap: it resyncs (a snapshot)"
                : r.stuck_got + 1 >= r.published ? "all of them: the server (and the kernel) had queued them all"
                                                   : "the first ones in order, the rest dropped at the server: its next update shows the gap and it resyncs");
  }
  std::printf("  target: bounded — growth with the mark of now no more than its queues (50 × 1,000 updates, 50 × %d KB of socket buffer), whatever the run's length\n",
              2 * 128);
  return 0;
}
