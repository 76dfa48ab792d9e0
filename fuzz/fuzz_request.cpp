// Fuzzes what the hall server does with a request frame from anyone: the
// request decoder, the argument checks and the rules. The promise checked on
// every input: parsing refuses with a BusError or yields a request; a command
// either goes through or is refused with a BusError and leaves the hall's
// state exactly as it was. Anything else (another exception, a sanitizer
// report, a changed state after a refusal) is a crash that libFuzzer saves.
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>

#include "hall/engine.h"
#include "tests/random_commands.h"

using namespace hall;

namespace {

struct Hall {
  HallState state;
  HallClock clock = HallClock::manual(parse_local_datetime("2026-11-23T09:00", 480));
  Engine engine{state, clock};
  int runs = 0;
  Hall() {
    static const HallConfig config = load_hall_config(std::string(HALL_ASSETS_DIR) + "/demo-hall.json");
    engine.configure(config);
    engine.roll_over_if_new_day();
    // Something to act on: open windows, waiting and finished tickets, a case.
    for (int w = 1; w <= 4; ++w) engine.execute("open_window", {{"window", w}});
    for (int i = 0; i < 6; ++i) engine.execute("take_ticket", {{"category", "company"}});
    engine.execute("call_next", {{"window", 1}});
    engine.execute("finish", {{"window", 1}});
    engine.execute("call_next", {{"window", 1}});
    engine.execute("accept_case", {{"item", "SC001"}, {"number", "202611230001"}});
    engine.take_changes();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Hall* hall = new Hall;
  if (++hall->runs > 5000) {  // a fresh hall now and then, so the state stays small and fast to compare
    delete hall;
    hall = new Hall;
  }
  Request req;
  try {
    req = parse_request(std::string(reinterpret_cast<const char*>(data), size));
  } catch (const BusError&) {
    return 0;
  }
  if (req.cmd == "lookup_case") {
    try {
      hall->engine.lookup_case(req.args);
    } catch (const BusError&) {
    }
    return 0;
  }
  const json before = test::changeable_state(hall->state);
  try {
    hall->engine.execute(req.cmd, req.args);
    hall->engine.take_changes();
  } catch (const BusError& e) {
    if (test::changeable_state(hall->state) != before || !hall->engine.take_changes().empty()) {
      std::fprintf(stderr, "refused command '%s' (%s) changed the state\n", req.cmd.c_str(), e.code.c_str());
      std::abort();
    }
  }
  return 0;
}
