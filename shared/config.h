// The hall server's configuration file (JSON), validated with errors that name
// the file, the key and what is wrong. Paths inside it are relative to it.
#pragma once

#include <initializer_list>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "shared/calendar.h"
#include "shared/curve.h"
#include "shared/model.h"

namespace hall {

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Reads one JSON object of a config file; every error names the file, the
// key (with its path, e.g. windows[3].number) and what is wrong.
class ConfigReader {
 public:
  ConfigReader(const std::string& file, const json& j, std::string where) : file_(file), j_(j), where_(std::move(where)) {
    if (!j_.is_object()) fail("", "must be an object");
  }
  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    std::string at = where_.empty() ? key : key.empty() ? where_ : where_ + "." + key;
    throw ConfigError(file_ + ": " + at + ": " + what);
  }
  bool has(const std::string& key) const { return j_.contains(key); }
  template <class T>
  T get(const std::string& key, const T& fallback) const {
    if (!j_.contains(key)) return fallback;
    return must<T>(key);
  }
  template <class T>
  T must(const std::string& key) const {
    if (!j_.contains(key)) fail(key, "is missing");
    try {
      return j_.at(key).get<T>();
    } catch (const json::exception&) {
      fail(key, "has the wrong type (" + j_.at(key).dump() + ")");
    }
  }
  std::string text(const std::string& key) const {
    auto s = must<std::string>(key);
    if (s.empty()) fail(key, "must not be empty");
    return s;
  }
  const json& list(const std::string& key) const {
    if (!j_.contains(key) || !j_.at(key).is_array()) fail(key, "must be a list");
    return j_.at(key);
  }
  // Refuses keys it does not know: a typo must not pass as "left out".
  void only(std::initializer_list<const char*> known) const {
    for (auto& [key, value] : j_.items()) {
      bool ok = false;
      for (const char* k : known) ok |= key == k;
      if (!ok) fail(key, "is not a known setting");
    }
  }
  std::string at(const std::string& key) const { return where_.empty() ? key : where_ + "." + key; }

 private:
  std::string file_;
  json j_;  // a copy: readers are made from temporaries too
  std::string where_;
};

struct BusEndpoints {
  std::string commands = "tcp://127.0.0.1:5555";  // ROUTER (server binds, clients connect)
  std::string updates = "tcp://127.0.0.1:5556";   // PUB
  // Updates queued for one subscriber that does not read (a hung screen):
  // past this it loses updates, sees the gap and resyncs; the server's
  // memory stays bounded (docs/PROTOCOL.md §9).
  int update_hwm = 1000;
  int update_sndbuf_kb = 128;  // kernel send buffer per subscriber; 0: the kernel's own (TCP grows it to ~4 MB on a stuck link)
};

// The province's platforms (docs/UPSTREAM.md). An empty URL turns that side off.
struct UpstreamConfig {
  std::string ratings_url;                // POST each rating and follow-up change (好差评 platform)
  std::string cases_url;                  // GET case status (approval system)
  std::string token;                      // sent as "Authorization: Bearer <token>"
  std::string ca_file;                    // CA bundle for TLS verification; empty = the system's
  int timeout_ms = 5000;                  // per request
  int retry_min_ms = 1000;                // first retry after about this long, doubling
  int retry_max_ms = 300000;              // up to this
  int poll_seconds = 60;                  // case status poll interval
};

// Who may use the bus (docs/PROTOCOL.md §1): CURVE, one key per client, each with a role.
struct ClientKey {
  std::string name;                       // kiosk-1, board-east, console-5
  std::string role;                       // display, kiosk, evaluator, console, admin
  std::string public_key;                 // Z85
  int window = 0;                         // evaluator and console: the one window they act for
};

struct SecurityConfig {
  std::string mode = "plain";             // "plain" (loopback demo) or "curve"
  std::string public_key, secret_key;     // the server's pair (curve), from key_file
  std::vector<ClientKey> clients;
  bool allow_plain = false;               // production: plain TCP only when this says so
};

// The county this hall reports to (docs/COUNTY.md). An empty feed: none.
struct CountyLink {
  std::string feed;                       // the county server's feed socket, tcp://…
  std::string level = "township";         // county, township or village
  std::string parent;                     // the id of the hall above this one
  int timeout_ms = 5000;                  // an answer later than this: the county is away, try again
  int retry_ms = 2000;                    // between attempts while it is away
  int heartbeat_ms = 10000;               // with nothing to send, a heartbeat this often: the county sees the hall alive
};

struct HallConfig {
  std::string file;                       // where it was read from
  HallInfo hall;
  BusEndpoints bus;
  std::string database = "hall.db";
  std::vector<Category> categories;
  std::vector<Window> windows;
  std::vector<Staff> staff;
  std::map<std::string, std::string> staff_pins;  // staff id → PIN; only the server holds these, never the bus
  std::vector<ServiceItem> items;         // from the catalogue file
  std::vector<Policy> policies;           // 惠企政策, from the policies file
  WorkCalendar calendar;                  // from the calendar file
  int rating_keep_days = 40;              // ratings stay live this long (month figures)
  int case_keep_days = 90;                // finished cases stay live this long
  bool production = false;                // a real hall: refuses plain TCP unless security.allow_plain
  SecurityConfig security;
  UpstreamConfig upstream;
  CountyLink county;
  std::string http_listen;                // "127.0.0.1:9464": /healthz and /metrics; empty = off
  std::string public_url;                 // web.public_url: where phones reach the gateway ("http://192.168.1.10:8080"); empty: tickets carry no link
  std::vector<std::string> warnings;      // allowed but worth a line in the log
};

// Reads and validates; throws ConfigError("file: key: problem").
HallConfig load_hall_config(const std::string& path);

// The one config file of a window-side program (hall-counter, hall-evaluator):
// {"commands", "updates", "window", "size": "WxH", "fullscreen", "key_file",
//  "server_key_file", and for the evaluator "outbox"}. Keys left out keep
// the program's defaults (zero / empty here). Throws ConfigError.
struct WindowProgramConfig {
  std::string commands, updates;
  int window = 0, width = 0, height = 0;
  bool fullscreen = false;
  std::string renderer = "auto";
  std::string key_file, server_key_file, outbox;
};
WindowProgramConfig load_window_program_config(const std::string& path, bool with_outbox);

// Reads `--config FILE` from the command line, if given, into a window-side
// program's options (the flags after it still win), and returns the CURVE
// keys the program uses: the config's key files, else $HALL_KEY_FILE and
// $HALL_SERVER_KEY_FILE (a service's environment file), read once, here.
// Throws ConfigError.
template <class Options>
CurveKeys apply_window_program_config(Options& o, int argc, char** argv) {
  constexpr bool with_outbox = requires { o.outbox; };
  CurveKeys keys = curve_from_environment();
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) != "--config") continue;
    WindowProgramConfig c = load_window_program_config(argv[i + 1], with_outbox);
    if (!c.commands.empty()) o.commands = c.commands;
    if (!c.updates.empty()) o.updates = c.updates;
    if (c.window) o.window = c.window;
    if (c.width) o.width = c.width, o.height = c.height;
    o.fullscreen = c.fullscreen;
    o.renderer = c.renderer;
    if constexpr (with_outbox)
      if (!c.outbox.empty()) o.outbox = c.outbox;
    if (!c.key_file.empty()) keys = load_client_keys(c.key_file, c.server_key_file);
  }
  return keys;
}
std::vector<ServiceItem> load_catalogue(const std::string& path);
std::vector<Policy> load_policies(const std::string& path);
WorkCalendar load_calendar(const std::string& path);
json read_json_file(const std::string& path);
// Where the assets are: $HALL_ASSETS when set; <program>/../share/hall when
// installed (a .deb, or one unpacked anywhere); else the source tree's.
std::string assets_dir();  // throws ConfigError naming the file and the parse error

}  // namespace hall
