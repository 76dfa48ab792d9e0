// What every answer of hall-gateway shares: the guard headers, JSON answers,
// reading its pages, and listen addresses.
#pragma once

#include <httplib.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "shared/config.h"

namespace hall::web {

using nlohmann::json;

inline std::string read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot be read (the gateway's pages; --assets DIR names their folder)");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::pair<std::string, int> host_port(const std::string& listen) {
  auto colon = listen.rfind(':');
  int port = colon == std::string::npos ? 0 : std::atoi(listen.c_str() + colon + 1);
  if (colon == std::string::npos || colon == 0 || port <= 0 || port > 65535)
    throw ConfigError("listen address must be HOST:PORT, e.g. 0.0.0.0:8080, not '" + listen + "'");
  return {listen.substr(0, colon), port};
}

// Every answer: nothing from elsewhere, no framing, and the token in the
// address never leaves in a Referer.
inline void guard(httplib::Response& res) {
  res.set_header("Content-Security-Policy", "default-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cache-Control", "no-store");
}

inline void answer(httplib::Response& res, int status, const json& body) {
  guard(res);
  res.status = status;
  res.set_content(body.dump(), "application/json; charset=utf-8");
}


}  // namespace hall::web
