// ZeroMQ CURVE keys for the hall bus (docs/PROTOCOL.md §1): the server has a
// key pair; every client has its own, allowed by role in the server's config.
// Keys are Z85 text (40 characters). A key file holds one pair as JSON
// {"public": "...", "secret": "..."} and is readable by its owner only; a
// .pub file holds one public key on a line.
#pragma once

#include <string>
#include <utility>

namespace zmq { class socket_t; }

namespace hall {

struct CurveKeys {
  std::string server_public;   // the hall server's public key; empty = plain TCP
  std::string public_key, secret_key;
  bool on() const { return !server_public.empty(); }
};

std::pair<std::string, std::string> make_curve_keypair();           // (public, secret), Z85
std::pair<std::string, std::string> read_key_file(const std::string& path);  // throws ConfigError naming the file
std::string read_public_key_file(const std::string& path);          // a .pub file, or the public half of a key file
void write_key_files(const std::string& stem);                      // stem.key (0600) and stem.pub; throws on failure
// This program's keys: $HALL_KEY_FILE (its pair) and $HALL_SERVER_KEY_FILE
// (the server's public key); both unset = plain TCP. Throws ConfigError.
CurveKeys curve_from_environment();
CurveKeys load_client_keys(const std::string& key_file, const std::string& server_public_file);
void apply_client_curve(zmq::socket_t& socket, const CurveKeys& keys);  // before connect
bool is_z85_key(const std::string& text);

}  // namespace hall
