// The one table of bus commands. Everything that lists commands reads it:
// the server (what exists, what changes state, who may send it), the engine
// (which method runs it), hallctl (its usage text) and the tests. A new
// command is one row here, one Engine method, one section of
// docs/PROTOCOL.md §8 and a test.
#pragma once

#include <string>
#include <vector>

#include "shared/protocol.h"

namespace hall {

class Engine;

// Roles of a client key on a CURVE bus (docs/PROTOCOL.md §1). Admin may send everything.
enum RoleBit : unsigned {
  kDisplay = 1u << 0,
  kKiosk = 1u << 1,
  kEvaluator = 1u << 2,
  kConsole = 1u << 3,
  kAdmin = 1u << 4,
  kGateway = 1u << 5,  // the web gateway (gateway/): phones' ticket pages
  kEveryRole = kDisplay | kKiosk | kEvaluator | kConsole | kAdmin | kGateway,
};
unsigned role_bit(const std::string& role);  // 0 for a name that is no role

struct CommandSpec {
  const char* name;                       // the "cmd" of a request
  bool mutating;                          // changes state: needs a key, runs in the engine, gets a seq
  unsigned roles;                         // who may send it (admin always may)
  json (Engine::*handler)(const json&);   // mutating commands: the engine's method; queries: nullptr (the server answers)
  const char* args;                       // one line: its arguments, for hallctl's usage
  const char* help;                       // one line: what it does
};

const std::vector<CommandSpec>& commands();             // in the order of docs/PROTOCOL.md §8
const CommandSpec* find_command(const std::string& name);  // nullptr when no such command

// What each argument name is, the same in every command that takes it
// (docs/PROTOCOL.md §8, "Arguments"). The engine checks every argument a
// request carries against this before the command looks at anything, so a
// wrong type or an out-of-range number is invalid_argument before any
// unknown_window or queue_empty.
enum class ArgKind { Integer, Text, TextList };
struct ArgSpec {
  const char* name;
  ArgKind kind;
  int64_t min = 0, max = 0;  // Integer: the range, inclusive
};
const ArgSpec* find_arg(const std::string& name);  // nullptr: not an argument of any command (ignored)
void check_arg_types(const json& args);           // throws BusError(invalid_argument) naming the argument
// An integer within [lo, hi], checked before it is narrowed (2^32+1 is out of range, never window 1).
int64_t checked_integer(const json& v, const std::string& name, int64_t lo, int64_t hi);

// Evaluators and consoles are bound to one window: they may act only with `window` equal to theirs.
constexpr unsigned kWindowBoundRoles = kEvaluator | kConsole;

}  // namespace hall
