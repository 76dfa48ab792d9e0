// hallctl: send any hall command and print the reply, state or statistics as JSON.
//
//   hallctl take_ticket category=company lane=elderly
//   hallctl call_next window=5
//   hallctl rate ticket=A001 level=2 'reasons=["等候时间长"]'
//   hallctl stats | hallctl state | hallctl watch | hallctl complaints
//
// Arguments are name=value; a value that parses as JSON (numbers, lists,
// true/false) is sent as such, anything else as text.
#include <cstdio>
#include <cstring>
#include <string>

#include "hall/commands.h"
#include "shared/client.h"
#include "shared/curve.h"
#include "shared/mirror.h"

namespace {

void usage() {
  std::fprintf(stderr,
               "usage: hallctl [--commands EP] [--updates EP] [--key KEY] [--timeout MS] [--key-file F --server-key F]\n"
               "               COMMAND [name=value ...]\n"
               "COMMAND is a bus command (docs/PROTOCOL.md §8):\n");
  for (const auto& c : hall::commands())
    std::fprintf(stderr, "  %-20s %s%s\n  %-20s   %s\n", c.name, c.help, c.mutating ? "" : " (query)", "", c.args);
  std::fprintf(stderr,
               "or one of hallctl's own:\n"
               "  state                the whole hall state as one JSON object (key → value)\n"
               "  complaints           the complaints (办不成事, 投诉, 建议), open ones first\n"
               "  keygen NAME...       write a CURVE key pair per name: NAME.key (secret, 0600) and NAME.pub\n"
               "  watch                print every update as it arrives (Ctrl-C to stop)\n"
               "defaults: --commands tcp://127.0.0.1:5555 --updates tcp://127.0.0.1:5556\n");
}

}  // namespace

int run(int argc, char** argv);

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {  // a bad key file, an unusable endpoint
    std::fprintf(stderr, "hallctl: %s\n", e.what());
    return 2;
  }
}

int run(int argc, char** argv) {
  std::string commands = "tcp://127.0.0.1:5555", updates = "tcp://127.0.0.1:5556", key;
  int timeout_ms = 3000;
  int i = 1;
  for (; i < argc && std::strncmp(argv[i], "--", 2) == 0; ++i) {
    std::string a = argv[i];
    if (a == "--help") { usage(); return 0; }
    if (i + 1 >= argc) { usage(); return 2; }
    if (a == "--commands") commands = argv[++i];
    else if (a == "--updates") updates = argv[++i];
    else if (a == "--key") key = argv[++i];
    else if (a == "--timeout") timeout_ms = std::atoi(argv[++i]);
    else if (a == "--key-file") setenv("HALL_KEY_FILE", argv[++i], 1);          // CURVE: this client's key pair
    else if (a == "--server-key") setenv("HALL_SERVER_KEY_FILE", argv[++i], 1);  // and the server's public key
    else { std::fprintf(stderr, "hallctl: unknown option %s\n", a.c_str()); usage(); return 2; }
  }
  if (i >= argc) { usage(); return 2; }
  std::string cmd = argv[i++];
  hall::json args = hall::json::object();
  for (; i < argc && cmd != "keygen"; ++i) {
    std::string a = argv[i];
    auto eq = a.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::fprintf(stderr, "hallctl: argument '%s' is not name=value\n", a.c_str());
      return 2;
    }
    std::string value = a.substr(eq + 1);
    hall::json parsed = hall::json::parse(value, nullptr, false);
    args[a.substr(0, eq)] = parsed.is_discarded() || parsed.is_string() ? hall::json(value) : parsed;
  }

  if (cmd == "keygen") {
    if (i >= argc) { usage(); return 2; }
    for (; i < argc; ++i) {
      try {
        hall::write_key_files(argv[i]);
        std::printf("%s.key %s.pub\n", argv[i], argv[i]);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "hallctl: keygen %s: %s\n", argv[i], e.what());
        return 1;
      }
    }
    return 0;
  }

  if (cmd == "watch") {
    hall::HallMirror mirror(commands, updates);
    mirror.on_change([&](const hall::MirrorChange& c) {
      hall::json out{{"seq", c.seq}, {"resynced", c.resynced}, {"stale", mirror.stale()}, {"changes", hall::json::object()}};
      mirror.read([&](const hall::HallState& s) {
        for (const auto& k : c.keys) out["changes"][k] = s.get(k);
        return 0;
      });
      std::printf("%s\n", out.dump().c_str());
      std::fflush(stdout);
    });
    mirror.start();
    while (true) std::this_thread::sleep_for(std::chrono::hours(1));
  }

  hall::HallClient client(commands, hall::ClientOptions{timeout_ms, 2});
  bool whole_state = cmd == "state" || cmd == "complaints";
  hall::Reply r = client.call(whole_state ? "snapshot" : cmd, args, key);
  if (!r.ok) {
    std::printf("%s\n", hall::json{{"ok", false}, {"code", r.code}, {"message", r.message}}.dump(2).c_str());
    return r.code == hall::err::kTimeout ? 3 : 1;
  }
  if (cmd == "complaints") {
    hall::json open = hall::json::array(), answered = hall::json::array();
    for (const auto& e : r.result["entities"])
      if (e["key"].get<std::string>().rfind("complaint/", 0) == 0) (e["value"]["state"] == "open" ? open : answered).push_back(e["value"]);
    for (auto& a : answered) open.push_back(a);
    std::printf("%s\n", open.dump(2).c_str());
  } else if (whole_state) {
    hall::json out = hall::json::object();
    out["seq"] = r.result["seq"];
    for (const auto& e : r.result["entities"]) out[e["key"].get<std::string>()] = e["value"];
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    std::printf("%s\n", hall::json{{"ok", true}, {"seq", r.seq}, {"result", r.result}}.dump(2).c_str());
  }
  return 0;
}
