#include "shared/ticket_token.h"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace hall {

namespace {
void ready() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not start");
}
std::string hex(const unsigned char* p, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.pop_back();
  return out;
}
}  // namespace

std::string new_ticket_secret() {
  ready();
  unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
  randombytes_buf(key, sizeof key);
  return hex(key, sizeof key);
}

std::string ticket_token(const std::string& secret_hex, const std::string& hall_id, const std::string& ticket_key) {
  ready();
  std::vector<unsigned char> key(secret_hex.size() / 2 + 1);
  size_t len = 0;
  if (secret_hex.empty() || sodium_hex2bin(key.data(), key.size(), secret_hex.data(), secret_hex.size(), nullptr, &len, nullptr) != 0 ||
      len * 2 != secret_hex.size())
    throw std::invalid_argument("the ticket secret is not hex");
  const std::string message = hall_id + "\n" + ticket_key;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, key.data(), len);
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  crypto_auth_hmacsha256_final(&st, mac);
  return hex(mac, 16);
}

bool looks_like_token(const std::string& s) {
  if (s.size() != 32) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace hall
