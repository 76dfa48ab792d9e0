#include "tests/postgres.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "tests/support.h"

namespace hall::test {

namespace {
const char* kBin = "/usr/lib/postgresql/15/bin";
bool as_root() { return geteuid() == 0; }
}  // namespace

int PostgresCluster::run(const std::string& command) {
  std::string line = as_root() ? "runuser -u postgres -- sh -c '" + command + "'" : command;
  int status = std::system(line.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

PostgresCluster::PostgresCluster() {
  if (!std::filesystem::exists(std::string(kBin) + "/initdb"))
    throw std::runtime_error("PostgreSQL 15 is not installed (postgresql-15: deploy/setup-debian.sh)");
  dir_ = temp_dir("pg");
  data_ = dir_ + "/data", socket_ = dir_, log_ = dir_ + "/server.log";
  if (as_root()) {
    passwd* pg = getpwnam("postgres");
    if (!pg) throw std::runtime_error("no 'postgres' user: install postgresql-15");
    if (chown(dir_.c_str(), pg->pw_uid, pg->pw_gid) != 0) throw std::runtime_error("cannot give " + dir_ + " to postgres");
  }
  if (run(std::string(kBin) + "/initdb -D " + data_ + " -A trust -U postgres -E UTF8 --locale=C.UTF-8 > " + dir_ + "/initdb.log 2>&1") != 0)
    throw std::runtime_error("initdb failed: see " + dir_ + "/initdb.log");
  port_ = free_port();  // only names the socket file: listen_addresses is empty
  start();
}

void PostgresCluster::start() {
  std::string options = "-c listen_addresses= -k " + socket_ + " -p " + std::to_string(port_) + " -c fsync=on -c max_connections=200";
  if (run(std::string(kBin) + "/pg_ctl -D " + data_ + " -l " + log_ + " -w -t 60 -o \"" + options + "\" start > /dev/null") != 0)
    throw std::runtime_error("PostgreSQL did not start: see " + log_);
  running_ = true;
}

void PostgresCluster::stop() {
  if (!running_) return;
  run(std::string(kBin) + "/pg_ctl -D " + data_ + " -m fast -w stop > /dev/null 2>&1");
  running_ = false;
}

PostgresCluster::~PostgresCluster() {
  stop();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string PostgresCluster::conninfo(const std::string& database) {
  // createdb fails when the database exists: that is fine, the caller's connection tells.
  run(std::string(kBin) + "/createdb -h " + socket_ + " -p " + std::to_string(port_) + " -U postgres " + database + " > /dev/null 2>&1");
  return "host=" + socket_ + " port=" + std::to_string(port_) + " user=postgres dbname=" + database;
}

}  // namespace hall::test
