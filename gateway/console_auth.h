// Who may use the hall manager's console, and how they prove it. Pure rules
// with the clock passed in, so the tests can walk through a lock-out without
// waiting a quarter of an hour; the HTTP side is console.cpp.
//   - users: a JSON file of names, roles (manager acts, leader sees) and
//     Argon2id password hashes (libsodium's crypto_pwhash_str), written
//     whole (temporary file, then rename) when the console changes it;
//   - sessions: a random id in an HttpOnly SameSite=Strict cookie, with its
//     own CSRF token that every state-changing request must echo in a header;
//     ended after 30 idle minutes or 12 hours;
//   - lock-out: five wrong passwords for one name within 15 minutes lock that
//     name for 15 minutes (twenty from one address lock the address), and
//     a locked name is refused before its password is even checked.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace hall {

struct ConsoleUser {
  std::string name;     // sign-in name: a-z 0-9 . _ -, 1..32
  std::string display;  // shown in the console and on follow-up notes: 王经理
  std::string role;     // "manager" (acts) or "leader" (sees)
  std::string hash;     // $argon2id$…
};

std::string hash_password(const std::string& password);  // Argon2id, libsodium's interactive limits
bool check_password(const std::string& hash, const std::string& password);
// Empty when acceptable, else what is wrong (for the person choosing it).
std::string password_problem(const std::string& password);
std::string user_problem(const ConsoleUser& u);  // name, role, display

class ConsoleUsers {
 public:
  ConsoleUsers() = default;
  // Reads the file (a missing file is an empty list); throws ConfigError naming the file and what is wrong.
  explicit ConsoleUsers(std::string path);
  std::optional<ConsoleUser> find(const std::string& name) const;
  std::vector<ConsoleUser> list() const;
  // Adds or replaces (a new password); writes the file. Throws ConfigError when the file cannot be written (nothing changes).
  void put(const ConsoleUser& u);
  bool remove(const std::string& name);  // writes the file; false when there was no such user
  size_t managers() const;
  const std::string& path() const { return path_; }

 private:
  void save(const std::map<std::string, ConsoleUser>& users) const;
  std::string path_;
  mutable std::mutex mutex_;
  std::map<std::string, ConsoleUser> users_;
};

struct ConsoleSession {
  std::string id;       // the cookie's value: 32 random bytes, hex
  std::string csrf;     // echoed in X-CSRF-Token by every POST
  std::string name, display, role;
  int64_t created_ms = 0, seen_ms = 0;
};

class ConsoleSessions {
 public:
  static constexpr int64_t kIdleMs = 30 * 60 * 1000;
  static constexpr int64_t kLongestMs = 12 * 3600 * 1000;
  static constexpr size_t kMost = 1000;  // the oldest goes first beyond this
  ConsoleSession open(const ConsoleUser& u, int64_t now_ms);
  // The live session with this id, its idle clock restarted; nullopt when unknown or ended.
  std::optional<ConsoleSession> touch(const std::string& id, int64_t now_ms);
  void close(const std::string& id);
  void close_user(const std::string& name);  // a removed user or a new password: every session of the name ends

 private:
  std::mutex mutex_;
  std::map<std::string, ConsoleSession> sessions_;
};

class LockOut {
 public:
  static constexpr int kNameFailures = 5, kAddressFailures = 20;
  static constexpr int64_t kWindowMs = 15 * 60 * 1000, kLockMs = 15 * 60 * 1000;
  // 0 when this name may try from this address now, else the seconds until it may.
  int64_t locked_for_s(const std::string& name, const std::string& address, int64_t now_ms);
  void failed(const std::string& name, const std::string& address, int64_t now_ms);
  void succeeded(const std::string& name);

 private:
  struct Record {
    std::deque<int64_t> failures;  // within the window, oldest first
    int64_t locked_until_ms = 0;
  };
  static int64_t check(Record& r, int64_t now_ms);
  static void add(Record& r, int limit, int64_t now_ms);
  std::mutex mutex_;
  std::map<std::string, Record> names_, addresses_;
};

std::string random_hex(size_t bytes);

}  // namespace hall
