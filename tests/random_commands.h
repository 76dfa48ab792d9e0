// Random commands for property tests: every command of hall/commands.h with
// arguments that are often plausible (names that exist in the state) and
// often not (wrong types, missing, extreme values, long or odd text). Seeded,
// so a failure is reproducible from its seed.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shared/state.h"

namespace hall::test {

struct Step {
  int64_t advance_ms = 0;  // the hall clock moves this much before the command
  std::string cmd;
  json args;
};

class CommandGenerator {
 public:
  explicit CommandGenerator(uint64_t seed) : rng_(seed) {}
  Step next(const HallState& s);  // one command, its arguments drawn from what `s` holds
  json junk();                    // a value of any type, often absurd

 private:
  bool chance(double p) { return std::uniform_real_distribution<>(0, 1)(rng_) < p; }
  template <class V> const auto& pick(const V& v) { return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng_)]; }
  json value_for(const std::string& arg, const HallState& s);
  std::mt19937_64 rng_;
  std::string step_cmd_;  // the command whose arguments are being drawn
};

// The parts of a hall state that commands change, as one JSON value (items,
// policies and the calendar come from the config and are left out to keep
// the comparison cheap). Private entities (contacts) are in it too.
json changeable_state(const HallState& s);

}  // namespace hall::test
