// Fuzzes what every screen does with what arrives on the bus: an update or
// heartbeat body and a snapshot reply, decoded and applied to a mirror's
// state: a hall's (HallState), a county's (CountyState) and a relay's
// (RawState). Nothing may throw or trip a sanitizer, whatever the bytes.
#include <cstdint>
#include <string>

#include "shared/mirror.h"

using namespace hall;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static HallState* state = new HallState;
  static CountyState* county = new CountyState;
  static RawState* raw = new RawState;
  static int runs = 0;
  if (++runs > 10000) {
    delete state, delete county, delete raw;
    state = new HallState, county = new CountyState, raw = new RawState;
    runs = 0;
  }
  const std::string body(reinterpret_cast<const char*>(data), size);
  Update u;
  if (decode_update(body, u)) {
    apply_changes(*state, u.changes);
    apply_changes(*county, u.changes);
    apply_changes(*raw, u.changes);
  }
  if (auto snap = decode_snapshot(body, "s-1")) *state = std::move(snap->state);
  if (auto snap = decode_snapshot_of<CountyState>(body, "s-1")) *county = std::move(snap->state);
  if (auto snap = decode_snapshot_of<RawState>(body, "s-1")) *raw = std::move(snap->state);
  // What the screens read from a mirror after applying.
  (void)state->entities();
  (void)county->entities();
  (void)raw->entities();
  return 0;
}
