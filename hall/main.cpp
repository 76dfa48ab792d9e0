// hall-server: the single authority of one hall.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include "hall/server.h"
#include "shared/sdnotify.h"

namespace {

std::atomic<bool> g_stop{false};

void usage() {
  std::fprintf(stderr,
               "usage: hall-server [--config FILE] [--db FILE] [--commands EP] [--updates EP]\n"
               "                   [--start YYYY-MM-DDTHH:MM] [--speed X] [--check-config]\n"
               "                   [--county-feed EP [--county-level county|township|village] [--county-parent ID]]\n"
               "  --config  hall configuration (default: %s/demo-hall.json)\n"
               "  --db      SQLite database, overrides the config's 'database'\n"
               "  --start, --speed  simulated hall time (demo, simulation): start instant and speed\n"
               "  --check-config    validate the configuration and exit\n"
               "  --county-feed     send this hall to a county server (overrides the config's county.feed; level county)\n",
               hall::assets_dir().c_str());
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path = hall::assets_dir() + "/demo-hall.json";
  std::string db, commands, updates, start, county_feed, county_level = "county", county_parent;
  double speed = 1.0;
  bool check_only = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "hall-server: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--config") config_path = value();
    else if (a == "--db") db = value();
    else if (a == "--commands") commands = value();
    else if (a == "--updates") updates = value();
    else if (a == "--start") start = value();
    else if (a == "--county-feed") county_feed = value();
    else if (a == "--county-level") county_level = value();
    else if (a == "--county-parent") county_parent = value();
    else if (a == "--speed") {
      std::string v = value();
      char* end = nullptr;
      speed = std::strtod(v.c_str(), &end);
      if (*end || speed <= 0 || speed > 10000) {
        std::fprintf(stderr, "hall-server: --speed must be a number in (0, 10000], got '%s'\n", v.c_str());
        return 2;
      }
    } else if (a == "--check-config") check_only = true;
    else if (a == "-h" || a == "--help") { usage(); return 0; }
    else {
      std::fprintf(stderr, "hall-server: unknown option '%s'\n", a.c_str());
      usage();
      return 2;
    }
  }
  try {
    hall::HallConfig config = hall::load_hall_config(config_path);
    if (!db.empty()) config.database = db;
    if (!commands.empty()) config.bus.commands = commands;
    if (!updates.empty()) config.bus.updates = updates;
    if (!county_feed.empty()) {  // feed a county (the demo's county hall) without editing hall.json
      if (county_level != "county" && county_level != "township" && county_level != "village")
        throw hall::ConfigError("--county-level must be county, township or village, not '" + county_level + "'");
      config.county.feed = county_feed, config.county.level = county_level, config.county.parent = county_parent;
    }
    if (!config.warnings.empty())
      std::fprintf(stderr, "hall-server: %zu configuration warning(s), first: %s\n", config.warnings.size(), config.warnings.front().c_str());
    if (check_only) {
      std::printf("%s: valid (%zu categories, %zu windows, %zu staff, %zu catalogue items)\n", config_path.c_str(),
                  config.categories.size(), config.windows.size(), config.staff.size(), config.items.size());
      return 0;
    }
    hall::HallClock clock;
    if (!start.empty() || speed != 1.0) {
      int64_t t0 = start.empty() ? hall::wall_ms() : hall::parse_local_datetime(start, config.hall.utc_offset_minutes);
      if (t0 < 0) {
        std::fprintf(stderr, "hall-server: --start must be YYYY-MM-DDTHH:MM, got '%s'\n", start.c_str());
        return 2;
      }
      clock = hall::HallClock(t0, speed);
    }
    std::signal(SIGINT, [](int) { g_stop = true; });
    std::signal(SIGTERM, [](int) { g_stop = true; });
    hall::HallServer server(config, clock);
    std::fprintf(stderr, "hall-server: %s (%s), %zu windows; database %s; commands %s, updates %s; seq %llu\n",
                 config.hall.name.c_str(), config.hall.id.c_str(), config.windows.size(), config.database.c_str(),
                 config.bus.commands.c_str(), config.bus.updates.c_str(), (unsigned long long)server.seq());
    std::fprintf(stdout, "ready\n");
    hall::sd_notify_text("READY=1");
    std::fflush(stdout);
    server.run(g_stop);
    std::fprintf(stderr, "hall-server: stopped at seq %llu\n", (unsigned long long)server.seq());
  } catch (const hall::ConfigError& e) {
    std::fprintf(stderr, "hall-server: configuration error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hall-server: %s\n", e.what());
    return 1;
  }
  return 0;
}
