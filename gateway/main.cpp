// hall-gateway: the hall in a browser (gateway/gateway.h).
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "gateway/gateway.h"

namespace {
hall::Gateway* running = nullptr;
extern "C" void on_signal(int) {
  if (running) running->stop();
}
}  // namespace

int main(int argc, char** argv) {
  hall::GatewayOptions o;
  std::string threads;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    std::string* into = a == "--commands" ? &o.commands
                        : a == "--updates" ? &o.updates
                        : a == "--public"  ? &o.public_listen
                        : a == "--assets"  ? &o.assets
                        : a == "--threads" ? &threads
                                           : nullptr;
    if (into && i + 1 < argc) {
      *into = argv[++i];
      continue;
    }
    std::fprintf(a == "--help" ? stdout : stderr,
                 "usage: hall-gateway [--commands tcp://HOST:5555] [--updates tcp://HOST:5556] [--public ADDR:PORT]\n"
                 "                    [--assets DIR] [--threads N]\n"
                 "Serves the hall to browsers: each ticket's own page for phones (/t/TOKEN), live by Server-Sent Events.\n");
    return a == "--help" ? 0 : 2;
  }
  if (!threads.empty()) {
    o.threads = std::atoi(threads.c_str());
    if (o.threads < 4 || o.threads > 20000) {
      std::fprintf(stderr, "hall-gateway: --threads must be 4..20000 (each open event stream holds one), not '%s'\n", threads.c_str());
      return 2;
    }
  }
  try {
    hall::Gateway gateway(o);
    running = &gateway;
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    gateway.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hall-gateway: %s\n", e.what());
    return 1;
  }
  return 0;
}
