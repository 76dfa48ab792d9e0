#include "shared/curve.h"

#include <sys/stat.h>
#include <zmq.h>

#include <cstdlib>
#include <fstream>
#include <zmq.hpp>

#include "shared/config.h"

namespace hall {

bool is_z85_key(const std::string& text) {
  static const std::string alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
  return text.size() == 40 && text.find_first_not_of(alphabet) == std::string::npos;
}

std::pair<std::string, std::string> make_curve_keypair() {
  char pub[41], sec[41];
  if (zmq_curve_keypair(pub, sec) != 0) throw std::runtime_error("this libzmq has no CURVE support (built without libsodium)");
  return {pub, sec};
}

std::pair<std::string, std::string> read_key_file(const std::string& path) {
  json j = read_json_file(path);
  ConfigReader r(path, j, "");
  std::string pub = r.text("public"), sec = r.text("secret");
  if (!is_z85_key(pub)) r.fail("public", "is not a 40-character Z85 key");
  if (!is_z85_key(sec)) r.fail("secret", "is not a 40-character Z85 key");
  return {pub, sec};
}

std::string read_public_key_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path + ": cannot be read");
  std::string first;
  in >> first;
  if (is_z85_key(first)) return first;  // (Z85 has '{' too: a key may look like the start of JSON)
  if (first.rfind("{", 0) == 0) return read_key_file(path).first;
  throw ConfigError(path + ": is not a public key (40 Z85 characters, as hallctl keygen writes)");
}

void write_key_files(const std::string& stem) {
  auto [pub, sec] = make_curve_keypair();
  std::string key = stem + ".key";
  {
    mode_t old = umask(077);  // the secret is the owner's alone
    std::ofstream out(key, std::ios::trunc);
    umask(old);
    out << json{{"public", pub}, {"secret", sec}}.dump(2) << '\n';
    if (!out) throw std::runtime_error("cannot write " + key);
  }
  ::chmod(key.c_str(), 0600);
  std::ofstream out(stem + ".pub", std::ios::trunc);
  out << pub << '\n';
  if (!out) throw std::runtime_error("cannot write " + stem + ".pub");
}

CurveKeys load_client_keys(const std::string& key_file, const std::string& server_public_file) {
  CurveKeys k;
  auto [pub, sec] = read_key_file(key_file);
  k.public_key = pub, k.secret_key = sec;
  k.server_public = read_public_key_file(server_public_file);
  return k;
}

CurveKeys curve_from_environment() {
  const char* key = std::getenv("HALL_KEY_FILE");
  const char* server = std::getenv("HALL_SERVER_KEY_FILE");
  if ((!key || !*key) && (!server || !*server)) return {};
  if (!key || !*key) throw ConfigError("HALL_KEY_FILE: is not set but HALL_SERVER_KEY_FILE is; both are needed for CURVE");
  if (!server || !*server) throw ConfigError("HALL_SERVER_KEY_FILE: is not set but HALL_KEY_FILE is; both are needed for CURVE");
  return load_client_keys(key, server);
}

void apply_client_curve(zmq::socket_t& socket, const CurveKeys& keys) {
  if (!keys.on()) return;
  socket.set(zmq::sockopt::curve_serverkey, keys.server_public);
  socket.set(zmq::sockopt::curve_publickey, keys.public_key);
  socket.set(zmq::sockopt::curve_secretkey, keys.secret_key);
}

}  // namespace hall
