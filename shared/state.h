// HallState: everything the hall server owns, as typed maps, and its encoding
// as keyed entities. The same structure is the server's memory, the rows of
// its database and the mirror every screen keeps (Clone pattern: key → value).
//
// Entity keys (kind/id):
//   hall  calendar  calls
//   category/<code>  window/<n>  staff/<id>  item/<code>
//   ticket/<day>/<number>  counter/<name>  rating/<rating key>
//   followup/<rating key>  case/<number>  announcement/<id>  daystat/<day>
//   policy/<id>  complaint/<id>  device/<id>  booking/<code>  help/<id>
//   contact/<complaint id>: private (stored, never published nor in snapshots)
#pragma once

#include <map>
#include <string>
#include <vector>

#include "shared/calendar.h"
#include "shared/model.h"

namespace hall {

struct HallState {
  uint64_t seq = 0;                                  // last sequence applied
  HallInfo hall;
  WorkCalendar calendar;
  std::vector<CallRecord> calls;                     // newest first, at most kMaxCalls
  std::map<std::string, Category> categories;
  std::map<int, Window> windows;
  std::map<std::string, Staff> staff;
  std::map<std::string, ServiceItem> items;
  std::map<std::string, Ticket> tickets;             // by ticket key "day/number"
  std::map<std::string, Counter> counters;
  std::map<std::string, Rating> ratings;             // by rating key
  std::map<std::string, FollowUp> followups;         // by rating key
  std::map<std::string, Case> cases;                 // by case number
  std::map<std::string, Announcement> announcements;
  std::map<std::string, DayStat> daystats;
  std::map<std::string, Policy> policies;
  std::map<std::string, Complaint> complaints;
  std::map<std::string, Contact> contacts;           // private to the hall server
  std::map<std::string, Device> devices;             // screen programs' own reports
  std::map<std::string, Booking> bookings;           // 预约, by booking code
  std::map<std::string, HelpRequest> helps;          // 帮办 requests of today, by id

  static constexpr size_t kMaxCalls = 20;

  // Set (value is an object) or erase (value is null) one entity.
  // Throws std::invalid_argument for an unknown kind or a value of the wrong shape.
  void apply(const std::string& key, const json& value);
  json get(const std::string& key) const;            // null when absent
  std::vector<std::pair<std::string, json>> entities() const;  // all public ones, in key order per kind
  void clear();
};

// Calling order within a queue: priority lanes first, then transferred
// tickets (they already waited once), then everyone else; first come first
// served inside each class.
int queue_class(const Ticket& t);                              // 0 priority, 1 transferred, 2 normal
bool called_before(const Ticket& a, const Ticket& b);           // a is called before b

// A waiting ticket this window may call: transferred to it, or of a category it serves.
bool callable_at(const Ticket& t, const Window& w);
// Service time of a finished ticket: from serving start (or the call, if
// serving was never marked) to finish.
inline int64_t service_ms(const Ticket& t) { return t.done_ms - (t.serving_ms ? t.serving_ms : t.called_ms); }

// Kept by the hall server and its database, never sent on the bus.
inline bool is_private_key(const std::string& key) { return key.rfind("contact/", 0) == 0; }

std::string ticket_key(const std::string& day, const std::string& number);  // "2026-11-22/A001"
std::string window_key(int number);                                         // "window/5"

}  // namespace hall
