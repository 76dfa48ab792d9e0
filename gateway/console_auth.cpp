#include "gateway/console_auth.h"

#include <sodium.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "shared/config.h"

namespace hall {

using nlohmann::json;

namespace {
void need_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
}
}  // namespace

std::string random_hex(size_t bytes) {
  need_sodium();
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), raw.data(), raw.size());
  hex.pop_back();
  return hex;
}

std::string hash_password(const std::string& password) {
  need_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("out of memory while hashing a password");
  return out;
}

bool check_password(const std::string& hash, const std::string& password) {
  need_sodium();
  if (hash.rfind("$argon2id$", 0) != 0) return false;  // only Argon2id hashes are accepted
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string password_problem(const std::string& password) {
  if (password.size() < 8) return "a password needs at least 8 characters";
  if (password.size() > 128) return "a password has at most 128 characters";
  return "";
}

std::string user_problem(const ConsoleUser& u) {
  if (u.name.empty() || u.name.size() > 32) return "a user name has 1 to 32 characters";
  for (char c : u.name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
      return "a user name uses a-z, 0-9, '.', '_' and '-' only, not '" + u.name + "'";
  if (u.role != "manager" && u.role != "leader") return "role must be manager or leader, not '" + u.role + "'";
  if (u.display.size() > 64) return "a display name has at most 64 bytes";
  return "";
}

ConsoleUsers::ConsoleUsers(std::string path) : path_(std::move(path)) {
  std::ifstream in(path_);
  if (!in) return;  // no file yet: no users (the gateway says how to add one)
  json doc = json::parse(in, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("users") || !doc["users"].is_array())
    throw ConfigError(path_ + ": not a users file (want {\"users\": [{name, display, role, hash}, …]})");
  for (const json& j : doc["users"]) {
    if (!j.is_object()) throw ConfigError(path_ + ": users: each user is an object");
    ConsoleUser u{j.value("name", ""), j.value("display", ""), j.value("role", ""), j.value("hash", "")};
    if (auto p = user_problem(u); !p.empty()) throw ConfigError(path_ + ": users: " + p);
    if (u.hash.rfind("$argon2id$", 0) != 0) throw ConfigError(path_ + ": users: " + u.name + ": hash is not an Argon2id hash");
    if (users_.count(u.name)) throw ConfigError(path_ + ": users: '" + u.name + "' appears twice");
    users_[u.name] = u;
  }
}

std::optional<ConsoleUser> ConsoleUsers::find(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = users_.find(name);
  if (it == users_.end()) return std::nullopt;
  return it->second;
}

std::vector<ConsoleUser> ConsoleUsers::list() const {
  std::lock_guard lock(mutex_);
  std::vector<ConsoleUser> out;
  for (const auto& [n, u] : users_) out.push_back(u);
  return out;
}

size_t ConsoleUsers::managers() const {
  std::lock_guard lock(mutex_);
  size_t n = 0;
  for (const auto& [name, u] : users_) n += u.role == "manager";
  return n;
}

void ConsoleUsers::save(const std::map<std::string, ConsoleUser>& users) const {
  if (path_.empty()) throw ConfigError("the console's users are not kept in a file (--users FILE)");
  json list = json::array();
  for (const auto& [n, u] : users) list.push_back({{"name", u.name}, {"display", u.display}, {"role", u.role}, {"hash", u.hash}});
  const std::string tmp = path_ + ".new";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << json{{"users", list}}.dump(2) << "\n";
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      throw ConfigError(path_ + ": cannot be written (disk full or read-only?); nothing changed");
    }
  }
  if (std::rename(tmp.c_str(), path_.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw ConfigError(path_ + ": cannot be replaced; nothing changed");
  }
}

void ConsoleUsers::put(const ConsoleUser& u) {
  std::lock_guard lock(mutex_);
  auto next = users_;
  next[u.name] = u;
  save(next);  // the file first: memory changes only when the disk took it
  users_ = std::move(next);
}

bool ConsoleUsers::remove(const std::string& name) {
  std::lock_guard lock(mutex_);
  if (!users_.count(name)) return false;
  auto next = users_;
  next.erase(name);
  save(next);
  users_ = std::move(next);
  return true;
}

ConsoleSession ConsoleSessions::open(const ConsoleUser& u, int64_t now_ms) {
  ConsoleSession s{random_hex(32), random_hex(16), u.name, u.display.empty() ? u.name : u.display, u.role, now_ms, now_ms};
  std::lock_guard lock(mutex_);
  while (sessions_.size() >= kMost) {
    auto oldest = sessions_.begin();
    for (auto it = sessions_.begin(); it != sessions_.end(); ++it)
      if (it->second.seen_ms < oldest->second.seen_ms) oldest = it;
    sessions_.erase(oldest);
  }
  sessions_[s.id] = s;
  return s;
}

std::optional<ConsoleSession> ConsoleSessions::touch(const std::string& id, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return std::nullopt;
  ConsoleSession& s = it->second;
  if (now_ms - s.seen_ms > kIdleMs || now_ms - s.created_ms > kLongestMs) {
    sessions_.erase(it);
    return std::nullopt;
  }
  s.seen_ms = now_ms;
  return s;
}

void ConsoleSessions::close(const std::string& id) {
  std::lock_guard lock(mutex_);
  sessions_.erase(id);
}

void ConsoleSessions::close_user(const std::string& name) {
  std::lock_guard lock(mutex_);
  for (auto it = sessions_.begin(); it != sessions_.end();) it = it->second.name == name ? sessions_.erase(it) : std::next(it);
}

int64_t LockOut::check(Record& r, int64_t now_ms) {
  while (!r.failures.empty() && now_ms - r.failures.front() > kWindowMs) r.failures.pop_front();
  return r.locked_until_ms > now_ms ? (r.locked_until_ms - now_ms + 999) / 1000 : 0;
}

void LockOut::add(Record& r, int limit, int64_t now_ms) {
  check(r, now_ms);
  r.failures.push_back(now_ms);
  if (int(r.failures.size()) >= limit) {
    r.locked_until_ms = now_ms + kLockMs;
    r.failures.clear();
  }
}

int64_t LockOut::locked_for_s(const std::string& name, const std::string& address, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  int64_t s = 0;
  if (auto it = names_.find(name); it != names_.end()) s = std::max(s, check(it->second, now_ms));
  if (auto it = addresses_.find(address); it != addresses_.end()) s = std::max(s, check(it->second, now_ms));
  return s;
}

void LockOut::failed(const std::string& name, const std::string& address, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  if (names_.size() > 10000) names_.clear();  // bounded: a flood of made-up names costs little
  if (addresses_.size() > 10000) addresses_.clear();
  add(names_[name], kNameFailures, now_ms);
  add(addresses_[address], kAddressFailures, now_ms);
}

void LockOut::succeeded(const std::string& name) {
  std::lock_guard lock(mutex_);
  names_.erase(name);
}

}  // namespace hall
