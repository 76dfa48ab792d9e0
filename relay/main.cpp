// hall-relay: a mirror of a bus server for the screens behind it (relay/relay.h).
#include <csignal>
#include <cstdio>
#include <string>

#include "relay/relay.h"

namespace {
hall::Relay* running = nullptr;
extern "C" void on_signal(int) {
  if (running) running->stop();
}
}  // namespace

int main(int argc, char** argv) {
  hall::RelayOptions o;
  std::string key_file, server_key;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    std::string* into = a == "--upstream-commands" ? &o.upstream_commands
                        : a == "--upstream-updates" ? &o.upstream_updates
                        : a == "--commands"         ? &o.commands
                        : a == "--updates"          ? &o.updates
                        : a == "--key-file"         ? &key_file
                        : a == "--server-key"       ? &server_key
                        : a == "--device"           ? &o.device
                                                    : nullptr;
    if (into && i + 1 < argc) {
      *into = argv[++i];
      continue;
    }
    std::fprintf(a == "--help" ? stdout : stderr,
                 "usage: hall-relay --upstream-commands tcp://HOST:PORT --upstream-updates tcp://HOST:PORT\n"
                 "                  [--commands tcp://ADDR:PORT] [--updates tcp://ADDR:PORT] [--key-file F --server-key F] [--device ID]\n"
                 "Mirrors a hall server, a county server or another relay and serves the same bus to the screens behind it.\n");
    return a == "--help" ? 0 : 2;
  }
  if (o.upstream_commands.empty() || o.upstream_updates.empty()) {
    std::fprintf(stderr, "hall-relay: --upstream-commands and --upstream-updates are required (the server it mirrors)\n");
    return 2;
  }
  try {
    if (!key_file.empty() || !server_key.empty()) o.curve = hall::load_client_keys(key_file, server_key);
    hall::Relay relay(o);
    running = &relay;
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    relay.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hall-relay: %s\n", e.what());
    return 1;
  }
  return 0;
}
