// Live statistics, computed from a HallState. The same code runs in the hall
// server (the "stats" command) and in every screen (from its mirror), so a
// figure never differs between the two. Definitions follow PRODUCT.md.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "shared/state.h"

namespace hall {

struct Score {                            // 好差评 tally
  int total = 0;
  int good = 0;                           // 基本满意 or better
  int bad = 0;                            // 差评
  double good_rate() const { return total ? double(good) / total : 0.0; }  // 好评率, 0..1
  void add(int level);
};

struct QueueFigures {                     // one service category, today
  std::string code, name, prefix;
  int waiting = 0;
  int open_windows = 0;
  int64_t mean_wait_ms = 0, p90_wait_ms = 0;        // issue → call, tickets called today
  int64_t mean_service_ms = 0, p90_service_ms = 0;  // serving start → finish, tickets done today
  int64_t estimated_wait_ms = -1;                   // for a new ticket; -1 when no window is open
};

struct ApprovalFigures {                  // one department or service item
  std::string name;
  int items = 0;
  int legal_days = 0, promised_days = 0;  // sums over items
  double compression = 0;                 // 压缩率 = (法定 − 承诺) / 法定, over the sums
  int finished = 0;
  double mean_actual_days = 0;            // working days, finished cases
  int early = 0;                          // finished before the promise
  double early_rate = 0;                  // 提前办结率 = early / finished
  int open = 0;
  int overdue = 0;                        // open past the promised due day
  int on_the_spot = 0;                    // 即办件 finished the day accepted
};

struct TodayCounts {
  int issued = 0, waiting = 0, in_service = 0, served = 0, no_show = 0, transferred = 0;
  int ratings = 0, bad_ratings = 0;
  int windows_open = 0, windows_paused = 0, windows_closed = 0;
  int64_t mean_wait_ms = 0, mean_service_ms = 0;  // over every category
};

struct FollowUpFigures {
  int bad_total = 0;                      // 差评 with a follow-up
  int open = 0, closed = 0, overdue = 0, due_soon = 0;  // due_soon: due today or the next working day
  double closed_rate = 0;                 // 差评整改率 = closed / 差评
};

struct AppointmentFigures {               // 预约 of today, per category or the hall
  int bookings = 0;                       // not cancelled
  int checked_in = 0, on_time = 0, late = 0, no_show = 0, cancelled = 0;
  double no_show_rate = 0;                // no_show / (checked_in + no_show)
  int promise_due = 0, promise_kept = 0;  // on-time check-ins called, or past slot start + promise_minutes; of them called by then
  double promise_rate = 0;                // the lane's promise kept: promise_kept / promise_due
};

struct HelpFigures {                      // 帮办 of today
  int asked = 0;                          // requests, cancelled ones included
  int open = 0, taken = 0, done = 0, cancelled = 0;
  int answered = 0;                       // taken (or closed) by staff
  int64_t answer_p50_ms = 0, answer_p90_ms = 0;  // asked → taken, over the answered
  int64_t longest_open_ms = 0;            // the oldest request nobody has taken yet
};

struct HallStats {
  std::string day;
  TodayCounts today;
  std::vector<QueueFigures> queues;                       // in category order
  Score hall_today, hall_month;
  std::map<int, Score> window_today, window_month;
  std::map<std::string, Score> staff_today, staff_month;
  std::map<std::string, Score> department_today, department_month;
  std::map<std::string, ApprovalFigures> departments;     // by department name
  std::map<std::string, ApprovalFigures> items;           // by item code
  ApprovalFigures approval;                               // the whole hall: 压缩率, 提前办结率, 超期 over every item and case
  FollowUpFigures followups;
  AppointmentFigures appointments;
  std::map<std::string, AppointmentFigures> appointments_by_category;
  HelpFigures help;
  std::vector<int> arrivals_by_hour = std::vector<int>(24, 0);
};

HallStats compute_stats(const HallState& state, int64_t now_ms);

// Approval-time figures (压缩率, 提前办结率, 超期) over the cases `include`
// accepts, overdue as of `today`; compute_stats counts every live case.
struct ApprovalTally {
  std::map<std::string, ApprovalFigures> items;        // by item code
  std::map<std::string, ApprovalFigures> departments;  // by department name
  ApprovalFigures all;
};
ApprovalTally approval_tally(const HallState& state, Day today, const std::function<bool(const Case&)>& include);

// Where one ticket stands, for the citizen's own phone page. Computed from a
// QueueDigest made once per change of the hall (not once per phone), with
// the same figures as the board: people ahead in calling order
// (called_before), and the wait estimate of QueueFigures for that many.
struct QueueDigest {
  struct Line {
    std::vector<std::string> waiting;     // ticket keys in calling order
    int64_t service_ms = 0;               // today's mean service of the category, or its default
    int open_windows = 0;
  };
  std::map<std::string, Line> categories;  // by category code
  std::map<int, std::vector<std::string>> transferred_to;  // waiting tickets sent to one window, in calling order
  std::map<std::string, int> place;       // waiting ticket key → people ahead of it in its line
};
QueueDigest digest_queues(const HallState& state);
struct TicketProgress {
  bool found = false;
  std::string key, number, day, category, category_name, item_name;
  TicketState state = TicketState::Waiting;
  int window = 0;                         // called to / served at
  int ahead = 0;                          // waiting: people to be called before it
  int64_t estimated_wait_ms = -1;         // waiting: until its call; -1 when no window is open
  int recalls = 0;
  int64_t called_ms = 0;
  bool rated = false;
};
TicketProgress ticket_progress(const HallState& state, const QueueDigest& digest, const std::string& key);
json to_json(const HallStats& stats);
json score_json(const Score& score);           // {total, good, bad, good_rate}
json approval_json(const ApprovalFigures& a);
// The leader's department ranking: 60 % 本月好评率, 40 % 压缩率, minus two
// points per overdue case. One definition, so a county and a hall rank alike.
double department_score(const HallStats& stats, const std::string& department);
// A 差评 follow-up against today: overdue (due before today), due soon (due
// today or the next working day), or neither; the ratings board and the
// figures count the same way.
enum class FollowUpUrgency { None, DueSoon, Overdue };
FollowUpUrgency followup_urgency(const FollowUp& f, const HallState& state, const std::string& today);  // today: HallStats::day
// What needs a manager's eye now, most severe first: one definition for the
// leader dashboard's 预警 panel, the console's alerts and /metrics.
struct HallAlert {
  std::string kind;      // queue, window, overdue_cases, followup_overdue, followup_due, unresolved, complaint, storage, silent_device, help
  std::string text;      // in the hall's words: "企业开办：等候 12 人，无窗口受理"
  bool severe = false;   // red (else amber)
  std::string subject;   // what it is about: a category code, a window number, a device id
};
std::vector<HallAlert> hall_alerts(const HallState& state, const HallStats& stats, int64_t now_ms);
bool within_opening_hours(const HallState& state, int64_t now_ms);  // the hall's opens ≤ local time < closes
// Remote tickets (taken from a phone): one rule for the hall server, which
// enforces it, and the public page, which shows it. A category's day holds
// (opening minutes ÷ its default service time) × its windows visits; phones
// may take web.remote.share of them, while the hall is open and until
// stop_before_close_min before closing.
struct RemoteOffer {
  bool allowed = false;
  std::string why_not;     // "off", "closed", "closing", "full", "unknown_category"
  int quota = 0, taken = 0;
  int left() const { return quota > taken ? quota - taken : 0; }
};
RemoteOffer remote_offer(const HallState& state, const std::string& category, int64_t now_ms);
// 预约 slots, one definition for the hall server (which books) and every
// screen or page that offers them. A category offers appointments when the
// hall has rules and the category lists the appointment lane. A slot's
// capacity is its share of the category's visits: (1 − walk_in_share) ×
// slot_minutes × 60 ÷ default_service_s × the category's windows. A slot is
// open for booking on working days from today to today + days_ahead, until
// release_before_minutes before it starts (then its free places are the
// walk-ins': nothing ever holds a window idle for an empty slot).
struct Slot {
  std::string slot;                       // "09:30"
  int64_t start_ms = 0, end_ms = 0;
  int capacity = 0, booked = 0;           // booked: bookings not cancelled
  bool open = false;
  std::string why_not;                    // "past", "released", "full" when not open
  int free() const { return capacity > booked ? capacity - booked : 0; }
};
bool offers_appointments(const HallState& state, const std::string& category);
int slot_capacity(const HallState& state, const std::string& category);
// Empty when the category offers none or the day is not a working day (or out of range: why says which).
std::vector<Slot> day_slots(const HallState& state, const std::string& category, const std::string& day, int64_t now_ms, std::string* why = nullptr);
// Where a booking's holder stands at the kiosk now: "early" (before the
// on-time window), "on_time" (the appointment lane), "late" (the normal
// queue), "missed" (the slot ended: a no-show).
std::string arrival_of(const Booking& b, const AppointmentRules& rules, int64_t now_ms);
std::string wait_minutes_text(int64_t ms);                  // "约 12 分钟" / "1 分钟内" / "—" for unknown
int64_t percentile(std::vector<int64_t> values, double p);  // nearest-rank; 0 for none
std::string percent_text(double fraction);                  // 0.962 → "96.2%"

}  // namespace hall
