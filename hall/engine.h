// The hall's rules: every command that changes the hall, applied to a
// HallState in memory. Pure logic, no sockets and no database, so the rules
// are unit-tested directly. The server persists what the engine marks
// changed, then publishes it.
//
// [SECTION] Setup and bookkeeping
// [SECTION] Commands (one method per command; see docs/PROTOCOL.md)
#pragma once

#include <array>
#include <map>
#include <set>
#include <tuple>
#include <string>
#include <vector>

#include "hall/commands.h"
#include "shared/clock.h"
#include "shared/config.h"
#include "shared/protocol.h"
#include "shared/state.h"

namespace hall {

class Engine {
 public:
  Engine(HallState& state, const HallClock& clock);

  // Brings configuration into the state (categories, windows, staff,
  // catalogue, calendar, hall info) while keeping what happened today.
  void configure(const HallConfig& config);

  // Runs one command of hall/commands.h. A refused command throws BusError
  // with a typed code and changes nothing: every entity it touched is put
  // back as it was (see the journal below). Queries are the server's.
  json execute(const std::string& cmd, const json& args);

  // Starts a new business day when the clock passed midnight: archives past
  // days' tickets, closes the day's figures, prunes old ratings and cases.
  // Returns false when the day did not change.
  bool roll_over_if_new_day();

  // Keys changed since the last take; entities that leave the live state go
  // to `archived` with their last value.
  std::set<std::string> take_changes();
  std::vector<std::pair<std::string, json>> take_archived();

  json lookup_case(const json& args) const;
  // Ticket links (shared/ticket_token.h): take_ticket's reply carries the
  // ticket's token, and its link when the hall has a public address.
  void set_ticket_links(std::string secret, std::string public_url);
  json ticket_by_token(const json& args) const;  // today's ticket with this token, or unknown_token
  void reindex();  // rebuilds the queue index from the state (after a load or a rollback)
  std::map<std::string, int> waiting_by_category() const;  // from the queue index: O(waiting), not O(day)
  int64_t now_ms() const { return clock_.now_ms(); }
  std::string today() const;

 private:
  friend const std::vector<CommandSpec>& commands();  // the command table names the methods below

  // [SECTION] Setup and bookkeeping
  // touch() comes BEFORE an entity changes: inside a command it keeps the
  // entity's value as it was (once per command), so a refusal can restore it.
  void touch(const std::string& key);
  void touch_window(const Window& w) { touch(window_key(w.number)); }
  void touch_ticket(const Ticket& t) { touch("ticket/" + t.key); }
  void undo();    // a refused command: every touched entity back to its value before the command
  void settle();  // a command that succeeded: the queue index and service sums follow the touched tickets
  Window& window_arg(const json& args);
  Window& open_window_arg(const json& args);
  Ticket& ticket_in_hand(Window& w, const json& args);
  Ticket* find_ticket(const std::string& key_or_number);
  void push_call(const Ticket& t, bool recall);
  int next_counter(const std::string& name);

  // [SECTION] Commands
  json take_ticket(const json& args);
  json take_remote_ticket(const json& args);
  json call_next(const json& args);
  json recall(const json& args);
  json start_serving(const json& args);
  json skip(const json& args);
  json transfer(const json& args);
  json finish(const json& args);
  json open_window(const json& args);
  json sign_in(const json& args);
  json sign_out(const json& args);
  json pause_window(const json& args);
  json resume_window(const json& args);
  json close_window(const json& args);
  json rate(const json& args);
  json advance_followup(const json& args);
  json accept_case(const json& args);
  json finish_case(const json& args);
  json post_announcement(const json& args);
  json remove_announcement(const json& args);
  json advance_case(const json& args);
  json submit_complaint(const json& args);
  json answer_complaint(const json& args);
  json report_device(const json& args);
  json request_screenshot(const json& args);
  json put_screenshot(const json& args);
  json book(const json& args);
  json cancel_booking(const json& args);
  json check_in(const json& args);
  Booking& booking_arg(const json& args);
  json ask_help(const json& args);
  json cancel_help(const json& args);
  json take_help(const json& args);
  json close_help(const json& args);
  HelpRequest& help_arg(const json& args, bool still_active);  // still_active: open or taken, else bad_transition
  std::string secret_mac(const std::string& what) const;  // HMAC under the hall's secret: booking codes, ID hashes
  void mark_no_shows(int64_t now_ms);
 public:
  json booking(const json& args) const;  // query: a booking and where its holder stands now (arrival)
  json slots(const json& args) const;    // query: a category's slots of a day, with free places and the rules
  // Once a second or so, with the real time: screens not heard for
  // device_silent_after_s are marked silent (a restarted server gives every
  // known screen that long again), announcements past their until_ms come
  // down. Changes go out like a command's.
  void housekeep(int64_t wall_now_ms);
  // A screen's last picture (PNG bytes) and the hall time it arrived; kept in memory only.
  json screenshot(const json& args) const;
 private:

  HallState& s_;
  std::string ticket_secret_, public_url_;
  std::map<std::string, int64_t> heard_wall_ms_;   // device id → real time of its last report
  struct Picture {
    int64_t asked_ms = 0;
    std::vector<std::string> parts;                 // base64, in order; complete when none is empty
    std::string png;                                // the whole picture, once all parts came
    int64_t at_ms = 0;
  };
  std::map<std::string, Picture> pictures_;         // device id → its picture (memory only: never on disk or bus)
  const HallClock& clock_;
  // Queue index, so a command costs O(log n) rather than a scan of the day:
  // waiting tickets in calling order per category (and per target window for
  // tickets transferred to one window), counts per class, and today's
  // service time per category.
  using QueueKey = std::tuple<int, int64_t, std::string>;  // class, issued_ms, ticket key (see called_before)
  struct Indexed {
    std::string category;
    int target_window = 0;
    QueueKey key;
  };
  std::map<std::string, std::set<QueueKey>> queue_;        // category → waiting, not transferred to one window
  std::map<int, std::set<QueueKey>> targeted_;             // window → waiting, transferred to that window
  std::map<std::string, std::array<int, 3>> class_count_;  // category → waiting per class (queue_ only)
  std::map<std::string, Indexed> indexed_;                 // ticket key → where it is indexed
  std::map<std::string, std::pair<int64_t, int>> service_; // category → (sum ms, count) of tickets done today
  void index_ticket(const Ticket& t);
  void unindex_ticket(const std::string& key);
  int rating_keep_days_ = 40;
  int case_keep_days_ = 90;
  std::map<std::string, std::string> pins_;  // staff id → PIN (from the config, not the state)
  std::set<std::string> changed_;
  std::vector<std::pair<std::string, json>> archived_;
  // The journal of the command running now: each touched key with its value
  // before the command (null: it did not exist), and which keys the command
  // added to changed_. Empty between commands.
  bool in_command_ = false;
  std::map<std::string, json> before_;
  std::vector<std::string> newly_changed_;
};

}  // namespace hall
