#include "shared/protocol.h"

#include <random>

namespace hall {

Request parse_request(const std::string& frame) {
  if (frame.size() > kMaxRequestBytes)
    throw BusError(err::kTooLarge, "request of " + std::to_string(frame.size()) + " bytes exceeds the limit of " +
                                       std::to_string(kMaxRequestBytes));
  // nlohmann's parser stops at a NUL as at the end of input: a NUL anywhere is refused first.
  if (frame.find('\0') != std::string::npos) throw BusError(err::kMalformed, "request holds a NUL byte");
  json j = json::parse(frame, nullptr, false);  // strict: text after the document is an error
  if (j.is_discarded()) throw BusError(err::kMalformed, "request is not exactly one valid JSON document");
  if (!j.is_object()) throw BusError(err::kMalformed, "request must be a JSON object");
  Request r;
  if (j.contains("id") && j["id"].is_string()) r.id = j["id"];
  if (!j.contains("v") || !j["v"].is_number_integer())
    throw BusError(err::kMalformed, "request lacks the integer version field 'v'");
  if (j["v"].get<int64_t>() != kProtocolVersion)
    throw BusError(err::kUnsupportedVersion,
                   "version " + j["v"].dump() + " is not supported; this server speaks version " +
                       std::to_string(kProtocolVersion));
  if (!j.contains("cmd") || !j["cmd"].is_string() || j["cmd"].get<std::string>().empty())
    throw BusError(err::kMalformed, "request lacks the string field 'cmd'");
  r.cmd = j["cmd"];
  if (j.contains("key")) {
    if (!j["key"].is_string()) throw BusError(err::kMalformed, "field 'key' must be a string");
    r.key = j["key"];
    if (r.key.size() > 128) throw BusError(err::kMalformed, "field 'key' is longer than 128 bytes");
  }
  if (j.contains("args")) {
    if (!j["args"].is_object()) throw BusError(err::kMalformed, "field 'args' must be an object");
    r.args = j["args"];
  }
  return r;
}

std::string encode_request(const Request& r) {
  json j{{"v", kProtocolVersion}, {"id", r.id}, {"cmd", r.cmd}, {"args", r.args}};
  if (!r.key.empty()) j["key"] = r.key;
  return j.dump();
}

json ok_reply(const std::string& id, uint64_t seq, json result) {
  return json{{"v", kProtocolVersion}, {"id", id}, {"ok", true}, {"seq", seq}, {"result", std::move(result)}};
}

json error_reply(const std::string& id, const std::string& code, const std::string& message) {
  return json{{"v", kProtocolVersion}, {"id", id}, {"ok", false}, {"error", {{"code", code}, {"message", message}}}};
}

std::string random_key() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", (unsigned long long)rng(), (unsigned long long)rng());
  return buf;
}

}  // namespace hall
