// hall-county: the county server (docs/COUNTY.md).
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "county/server.h"

namespace {
hall::county::CountyServer* running = nullptr;
extern "C" void on_signal(int) {
  if (running) running->stop();
}
}  // namespace

int main(int argc, char** argv) {
  hall::county::CountyOptions o;
  // The file first, wherever --config stands: the other flags override it.
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--config") {
      try {
        o = hall::county::load_county_config(argv[i + 1]);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "hall-county: %s\n", e.what());
        return 2;
      }
    }
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--config" && i + 1 < argc) {
      ++i;
    } else if ((a == "--database" || a == "--feed" || a == "--updates" || a == "--upstream-feed") && i + 1 < argc) {
      (a == "--database" ? o.database : a == "--feed" ? o.feed : a == "--updates" ? o.updates : o.upstream_feed) = argv[++i];
    } else if (a == "--silent-after-ms" && i + 1 < argc) {
      char* end = nullptr;
      o.silent_after_ms = std::strtoll(argv[++i], &end, 10);
      if (!end || *end || o.silent_after_ms < 1000) {
        std::fprintf(stderr, "hall-county: --silent-after-ms wants a number of ms, at least 1000, got '%s'\n", argv[i]);
        return 2;
      }
    } else {
      std::fprintf(a == "--help" ? stdout : stderr, "usage: hall-county [--config county.json] --database CONNINFO [--feed tcp://ADDR:PORT] [--updates tcp://ADDR:PORT] [--upstream-feed tcp://CITY:PORT] [--silent-after-ms MS]\n(the flags override county.json)\n");
      return a == "--help" ? 0 : 2;
    }
  }
  if (o.database.empty()) {
    std::fprintf(stderr, "hall-county: --database CONNINFO (or \"database\" in county.json) is required: a libpq connection string\n");
    return 2;
  }
  if (o.county.id.empty()) o.county.id = "county", o.county.name = "县政务服务";
  try {
    hall::county::CountyServer server(o);
    running = &server;
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    server.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hall-county: %s\n", e.what());
    return 1;
  }
  return 0;
}
