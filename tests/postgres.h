// A private PostgreSQL 15 cluster for a test or the demo: initdb into a
// temporary folder, the server on a unix socket in that folder only (no TCP:
// nothing outside the machine can reach it), stopped and removed after.
// As root (CI) initdb and the server run as the `postgres` user the Debian
// package creates, since PostgreSQL refuses to run as root.
#pragma once

#include <string>

namespace hall::test {

class PostgresCluster {
 public:
  PostgresCluster();                 // throws std::runtime_error naming the step that failed
  ~PostgresCluster();                // pg_ctl stop -m fast, then the folder goes
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;
  // A libpq connection string for a database (created on first use).
  std::string conninfo(const std::string& database = "county");
  void stop();                       // stops the server (a test of "PostgreSQL went away")
  void start();                      // starts it again on the same folder and socket
  const std::string& dir() const { return dir_; }

 private:
  int run(const std::string& command);  // as the cluster's owner; the exit status
  std::string dir_, data_, socket_, log_;
  int port_ = 0;
  bool running_ = false;
};

}  // namespace hall::test
