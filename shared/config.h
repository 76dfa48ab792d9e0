// The hall server's configuration file (JSON), validated with errors that name
// the file, the key and what is wrong. Paths inside it are relative to it.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "shared/calendar.h"
#include "shared/model.h"

namespace hall {

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct BusEndpoints {
  std::string commands = "tcp://127.0.0.1:5555";  // ROUTER (server binds, clients connect)
  std::string updates = "tcp://127.0.0.1:5556";   // PUB
};

struct HallConfig {
  std::string file;                       // where it was read from
  HallInfo hall;
  BusEndpoints bus;
  std::string database = "hall.db";
  std::vector<Category> categories;
  std::vector<Window> windows;
  std::vector<Staff> staff;
  std::map<std::string, std::string> staff_pins;  // staff id → PIN; only the server holds these, never the bus
  std::vector<ServiceItem> items;         // from the catalogue file
  WorkCalendar calendar;                  // from the calendar file
  int rating_keep_days = 40;              // ratings stay live this long (month figures)
  int case_keep_days = 90;                // finished cases stay live this long
  std::vector<std::string> warnings;      // allowed but worth a line in the log
};

// Reads and validates; throws ConfigError("file: key: problem").
HallConfig load_hall_config(const std::string& path);
std::vector<ServiceItem> load_catalogue(const std::string& path);
WorkCalendar load_calendar(const std::string& path);
json read_json_file(const std::string& path);  // throws ConfigError naming the file and the parse error

}  // namespace hall
