// The hall's domain model: what the hall server owns and every screen mirrors.
//
// [SECTION] Enumerations (lanes, states, rating levels)
// [SECTION] Configuration-born entities (hall, category, window, staff, item, policy)
// [SECTION] Day-to-day entities (ticket, rating, follow-up, case, complaint, announcement)
// [SECTION] JSON encoding (the bus and the database use the same encoding)
//
// Times are milliseconds since the Unix epoch (UTC); days are "YYYY-MM-DD" in
// the hall's local time. No ImGui, no SDL here.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hall {

using json = nlohmann::json;

// [SECTION] Enumerations ---------------------------------------------------

enum class Lane { Normal, Elderly, Disabled, Appointment, Green };          // priority lane of a ticket
enum class TicketState { Waiting, Called, Serving, Done, NoShow };           // life of a ticket
enum class WindowState { Open, Paused, Closed };                            // a window's availability
enum class FollowUpState { Open, CalledBack, Verified, Rectified, Replied, Closed };  // 差评整改 steps
enum class CaseState { Accepted, Finished };                                // 办件 life
enum class ComplaintKind { Unresolved, Complaint, Suggestion };             // 办不成事 / 投诉 / 建议
enum class ComplaintState { Open, Answered };

// 好差评 levels: 5 非常满意 … 1 非常不满意.
constexpr int kLevelMin = 1;
constexpr int kLevelMax = 5;
inline bool is_good(int level) { return level >= 3; }  // 基本满意 or better counts for 好评率
inline bool is_bad(int level) { return level <= 2; }   // 差评 = 不满意 + 非常不满意
const char* level_name(int level);                      // "非常满意" … "非常不满意"
const char* lane_name(Lane lane);                       // "普通" "老年人" …
const char* followup_state_name(FollowUpState s);       // "待回访" …

// False when a body holds a float that is not finite or lies outside int32:
// nlohmann's get<int>() casts floats unchecked (undefined for 5e122), and
// every float an entity carries is a rate, share or threshold far inside.
bool json_numbers_fit(const nlohmann::json& value);
// Reasons a citizen may pick for a 差评, the same at the evaluator and the
// kiosk (screens translate them; the hall stores these words).
extern const std::vector<std::string> kRatingReasons;

// [SECTION] Configuration-born entities -----------------------------------

// 预约: the hall's booking rules (config "appointments"), published with the
// hall so a kiosk or phone page shows them before a citizen books.
struct AppointmentRules {
  bool enabled = false;
  int days_ahead = 7;                   // book for today … today + days_ahead (working days only)
  int slot_minutes = 30;
  double walk_in_share = 0.5;           // of each category's capacity, kept for people who walk in
  int early_minutes = 15;               // check-in from this long before the slot …
  int late_minutes = 15;                // … to this long after its start: the appointment lane; later: the normal queue
  int cancel_before_minutes = 60;       // cancel up to this long before the slot starts
  int release_before_minutes = 30;      // booking closes this long before the slot: its free places are walk-ins'
  int no_show_limit = 3;                // this many no-shows within no_show_days …
  int no_show_days = 30;
  int cool_down_days = 14;              // … and no new booking for this long after the last
  int promise_minutes = 10;             // the lane's promise: called within this long of the slot's start
};

struct HallInfo {
  std::string id;                       // hall code, e.g. "demo-county"
  std::string name;                     // 政务服务中心 name shown on screens
  std::string opens = "09:00";          // opening time, local, HH:MM
  std::string closes = "17:00";         // closing time, local, HH:MM
  int utc_offset_minutes = 480;         // China Standard Time
  int followup_working_days = 5;        // 差评 follow-up deadline (local rule: 5 or 15)
  int device_silent_after_s = 90;       // a screen not heard this long (real time) is silent; screens report every third of it
  int rating_keep_days = 40;            // ratings stay live (on the bus) this long; older days live on in daystats
  double remote_share = 0;              // web.remote.share: part of each category's day taken from phones; 0 = none
  int remote_stop_min = 30;             // web.remote.stop_before_close_min: no remote ticket this close to closing
  AppointmentRules appointments;
  std::string day;                      // the hall's current business day
};

struct Category {
  std::string code;                     // stable id, e.g. "company"
  std::string name;                     // 企业开办
  std::string prefix;                   // ticket prefix, e.g. "A"
  std::string department;               // main department serving it
  std::vector<int> windows;             // windows that serve it
  std::vector<Lane> lanes;              // priority lanes offered besides Normal
  int default_service_s = 600;          // service time assumed before today has data
};

struct Window {
  int number = 0;                       // 5 → "5号窗口"
  std::string name;                     // 企业开办综合窗口
  std::string department;               // 市场监管局
  std::vector<std::string> categories;  // category codes it serves, in preference order
  WindowState state = WindowState::Closed;
  std::string pause_reason;             // lunch, meeting, system fault
  std::string staff_id;                 // staff on duty; empty when closed
  std::string ticket;                   // ticket key in hand (called or serving), or empty
};

struct Staff {
  std::string id;                       // 工号
  std::string name;                     // full name; public screens mask it
  std::string department;
};

struct Material {
  std::string name;                     // 营业执照
  std::string form = "原件";            // 原件 / 复印件 / 原件及复印件 / 电子
  int copies = 1;
};

struct ServiceItem {
  std::string code;                     // catalogue code
  std::string name;                     // 事项名称
  std::string department;
  std::string theme;                    // 企业开办, 不动产, 社保, …
  std::string category;                 // ticket category that serves it
  int legal_days = 0;                   // 法定时限, working days
  int promised_days = 0;                // 承诺时限, working days (0 = 即办件)
  std::vector<std::string> conditions;  // 办理条件
  std::vector<Material> materials;      // 申请材料
  std::vector<std::string> steps;       // 办理流程
  std::string fees = "不收费";
  std::string legal_basis;              // 设定依据
  std::string where;                    // 办理地点
  bool at_most_once = true;             // 最多跑一次
  bool fully_online = false;            // 全程网办
  std::string pinyin;                   // initials for keyword search, e.g. "qysldj"
};

// 惠企政策: a policy supporting enterprises, shown at the kiosk.
struct Policy {
  std::string id;                       // "P001"
  std::string title;
  std::string department;               // 发布部门
  std::string summary;                  // one paragraph
  std::vector<std::string> eligible;    // 申报条件 / 支持对象
  std::vector<std::string> support;     // 扶持内容 (amounts, reductions)
  std::string how;                      // 申报方式
  std::string deadline;                 // YYYY-MM-DD, or empty when open-ended
  std::string contact;                  // 咨询电话 / place
  std::string basis;                    // 政策依据 (document name and number)
  std::string pinyin;                   // initials of the title, for search
};

// [SECTION] Day-to-day entities --------------------------------------------

struct Ticket {
  std::string key;                      // "2026-11-22/A001": unique across days
  std::string number;                   // "A001": what the citizen reads
  std::string day;
  std::string category;
  std::string item;                     // service item code, when chosen at the kiosk
  Lane lane = Lane::Normal;
  TicketState state = TicketState::Waiting;
  int64_t issued_ms = 0;
  int64_t called_ms = 0;                // first call of the current visit to a window
  int64_t serving_ms = 0;
  int64_t done_ms = 0;
  int window = 0;                       // window that called / serves it
  std::string staff_id;
  int target_window = 0;                // after a transfer to one window: only it may call
  int recalls = 0;
  int transfers = 0;
  int64_t wait_ms = 0;                  // total waiting (issue → first call)
  bool rated = false;
  bool remote = false;                  // taken from a phone (web.remote); its number is kept private
  std::string booking;                  // the booking code it was checked in with (预约), or empty
};

struct Rating {
  std::string key;                      // "T/2026-11-22/A001" or "C/202611220001": one per visit / case
  int level = 5;
  std::vector<std::string> reasons;
  std::string comment;
  std::string channel = "kiosk";        // kiosk, evaluator, web, app, sms
  std::string ticket;                   // ticket key, for 一次一评
  std::string case_number;              // for 一事一评
  int window = 0;
  std::string staff_id;
  std::string department;
  std::string item;
  int64_t at_ms = 0;
  std::string day;
};

struct FollowUpStep {
  FollowUpState state = FollowUpState::Open;
  std::string note;
  int64_t at_ms = 0;
};

struct FollowUp {
  std::string key;                      // the rating key it follows up
  FollowUpState state = FollowUpState::Open;
  std::string opened_day;
  std::string due_day;                  // opened + N working days
  int window = 0;
  std::string department;
  std::string staff_id;
  std::vector<FollowUpStep> history;
};

struct CaseStep {
  std::string name;                     // 受理, 审查, 决定, 办结 (as the approval system names them)
  std::string day;
  int64_t at_ms = 0;
};

struct Case {
  std::string number;                   // 办件编号, digits only so a kiosk keypad can enter it
  std::string item;
  std::string department;
  std::string applicant;                // already masked: 张*明
  CaseState state = CaseState::Accepted;
  std::string accepted_day;
  int64_t accepted_ms = 0;
  int promised_days = 0;
  int legal_days = 0;
  std::string due_day;                  // accepted + promised working days
  std::string finished_day;
  int64_t finished_ms = 0;
  int actual_days = -1;                 // working days taken, once finished
  bool rated = false;
  std::vector<CaseStep> steps;          // steps done, oldest first
};

// 办不成事 / 投诉建议 left at a kiosk; managers answer it. The phone number,
// when given, is kept apart (Contact), never on the bus.
struct Complaint {
  std::string id;                       // "20261123-001"
  ComplaintKind kind = ComplaintKind::Unresolved;
  std::string category;                 // service category code or theme it concerns, may be empty
  std::vector<std::string> phrases;     // common phrases tapped
  std::string text;                     // free text
  std::string phone;                    // masked: 138****5678, or empty
  std::string channel = "kiosk";
  std::string day;
  int64_t at_ms = 0;
  ComplaintState state = ComplaintState::Open;
  std::string answer;
  int64_t answered_ms = 0;
};

struct Contact {                        // private: stored by the hall server, never published
  std::string complaint;                // the complaint id, ticket key (remote ticket) or booking code it belongs to
  std::string phone;
  std::string id_hash;                  // a booking's ID number, salted hash only (the one-booking check)
};

enum class BookingState { Booked, CheckedIn, Cancelled, NoShow };

// 预约: one booked slot. The person's phone (and ID hash) is private (contact/B-<code>).
struct Booking {
  std::string code;                     // 8 digits: what the citizen types at the kiosk
  std::string category;
  std::string item;                     // service item, when booked by item
  std::string day;
  std::string slot;                     // "09:30": the slot's start, local
  int64_t start_ms = 0, end_ms = 0;
  BookingState state = BookingState::Booked;
  std::string channel = "kiosk";        // kiosk, web, desk
  int64_t booked_ms = 0;
  int64_t checked_in_ms = 0;
  bool late = false;                    // checked in after the on-time window: a normal-lane ticket
  std::string ticket;                   // the ticket key issued at check-in
  int64_t cancelled_ms = 0;
};

// 帮办: a citizen at a kiosk (or evaluator) asks for a person. The hall's
// staff see it on the screens and the console, one of them takes it (the
// kiosk shows so) and closes it when helped. Answer time: taken − asked.
enum class HelpState { Open, Taken, Done, Cancelled };

struct HelpRequest {
  std::string id;
  std::string day;
  std::string device;                   // the asking program's device id
  std::string place;                    // where it stands, from its config: "东门自助区 2 号机"
  std::string page;                     // the page the citizen was on
  HelpState state = HelpState::Open;
  int64_t asked_ms = 0, taken_ms = 0, closed_ms = 0;
  std::string taken_by;                 // staff id or the manager's name
};

struct Announcement {
  std::string id;
  std::string text;
  int64_t posted_ms = 0;
  int64_t until_ms = 0;                 // 0 = until removed
};

// A screen program as it reports itself (report_device): who it is, what
// it shows, its health (a full outbox disk, the printer's paper), so
// managers see every screen of the hall. The hall server marks one silent
// when it has not reported for device_silent_after_s of real time.
struct Device {
  std::string id;                       // the program's own name, e.g. "evaluator-5", "kiosk@host"
  std::string kind;                     // kiosk, evaluator, counter, display, relay, gateway
  int window = 0;                       // the window it is bound to, or 0
  std::string storage = "ok";           // ok, full (it cannot keep citizens' input on disk)
  std::string detail;                   // what the program saw, for the technician
  int64_t at_ms = 0;                    // hall time of the last report
  std::string program;                  // hall-display, hall-kiosk, …
  std::string version;                  // the program's version
  std::string page;                     // the page it shows now
  int64_t last_input_ms = 0;            // hall time of the last touch or key, 0 = none yet
  std::string paper;                    // a kiosk's printer: ok, low, out; empty = no printer / unknown
  bool screenshots = false;             // it answers request_screenshot
  bool silent = false;                  // not heard for device_silent_after_s (the server says so)
  int64_t screenshot_asked_ms = 0;      // hall time a manager last asked for its picture
  int64_t screenshot_ms = 0;            // hall time its last picture arrived (query screenshot)
};

struct CallRecord {
  std::string ticket;                   // ticket key
  std::string number;                   // A023
  int window = 0;
  int64_t at_ms = 0;
  bool recall = false;
};

struct Counter {
  int last = 0;                         // last number issued (tickets of a prefix per day, cases per day)
};

// One closed business day, kept after its tickets leave the live state so that
// trend charts and month figures need no archive access.
struct DayStat {
  std::string day;
  int issued = 0;
  int served = 0;
  int no_show = 0;
  int ratings = 0;
  int good = 0;                         // ratings at 基本满意 or better
  int bad = 0;                          // 差评
  int64_t mean_wait_ms = 0;
  int64_t mean_service_ms = 0;
  std::vector<int> arrivals_by_hour = std::vector<int>(24, 0);
  std::map<std::string, std::pair<int, int>> good_total_by_department;  // department → (good, total)
  int help_asked = 0, help_answered = 0;                                 // 帮办 requests, and of them taken by staff
  int64_t help_answer_p50_ms = 0, help_answer_p90_ms = 0;
};

// [SECTION] JSON encoding --------------------------------------------------

NLOHMANN_JSON_SERIALIZE_ENUM(Lane, {{Lane::Normal, "normal"},
                                    {Lane::Elderly, "elderly"},
                                    {Lane::Disabled, "disabled"},
                                    {Lane::Appointment, "appointment"},
                                    {Lane::Green, "green"}})
NLOHMANN_JSON_SERIALIZE_ENUM(TicketState, {{TicketState::Waiting, "waiting"},
                                           {TicketState::Called, "called"},
                                           {TicketState::Serving, "serving"},
                                           {TicketState::Done, "done"},
                                           {TicketState::NoShow, "no_show"}})
NLOHMANN_JSON_SERIALIZE_ENUM(WindowState, {{WindowState::Open, "open"},
                                           {WindowState::Paused, "paused"},
                                           {WindowState::Closed, "closed"}})
NLOHMANN_JSON_SERIALIZE_ENUM(FollowUpState, {{FollowUpState::Open, "open"},
                                             {FollowUpState::CalledBack, "called_back"},
                                             {FollowUpState::Verified, "verified"},
                                             {FollowUpState::Rectified, "rectified"},
                                             {FollowUpState::Replied, "replied"},
                                             {FollowUpState::Closed, "closed"}})
NLOHMANN_JSON_SERIALIZE_ENUM(CaseState, {{CaseState::Accepted, "accepted"},
                                         {CaseState::Finished, "finished"}})
NLOHMANN_JSON_SERIALIZE_ENUM(ComplaintKind, {{ComplaintKind::Unresolved, "unresolved"},
                                             {ComplaintKind::Complaint, "complaint"},
                                             {ComplaintKind::Suggestion, "suggestion"}})
NLOHMANN_JSON_SERIALIZE_ENUM(ComplaintState, {{ComplaintState::Open, "open"},
                                              {ComplaintState::Answered, "answered"}})

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(AppointmentRules, enabled, days_ahead, slot_minutes, walk_in_share, early_minutes,
                                                late_minutes, cancel_before_minutes, release_before_minutes, no_show_limit, no_show_days,
                                                cool_down_days, promise_minutes)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(HallInfo, id, name, opens, closes, utc_offset_minutes,
                                                followup_working_days, device_silent_after_s, rating_keep_days, remote_share, remote_stop_min, appointments, day)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Category, code, name, prefix, department, windows, lanes,
                                                default_service_s)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Window, number, name, department, categories, state,
                                                pause_reason, staff_id, ticket)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Staff, id, name, department)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Material, name, form, copies)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ServiceItem, code, name, department, theme, category,
                                                legal_days, promised_days, conditions, materials, steps,
                                                fees, legal_basis, where, at_most_once, fully_online, pinyin)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Ticket, key, number, day, category, item, lane, state,
                                                issued_ms, called_ms, serving_ms, done_ms, window, staff_id,
                                                target_window, recalls, transfers, wait_ms, rated, remote, booking)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Rating, key, level, reasons, comment, channel, ticket,
                                                case_number, window, staff_id, department, item, at_ms, day)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(FollowUpStep, state, note, at_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(FollowUp, key, state, opened_day, due_day, window,
                                                department, staff_id, history)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Policy, id, title, department, summary, eligible, support, how,
                                                deadline, contact, basis, pinyin)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(CaseStep, name, day, at_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Case, number, item, department, applicant, state,
                                                accepted_day, accepted_ms, promised_days, legal_days, due_day,
                                                finished_day, finished_ms, actual_days, rated, steps)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Complaint, id, kind, category, phrases, text, phone, channel, day,
                                                at_ms, state, answer, answered_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Contact, complaint, phone, id_hash)
NLOHMANN_JSON_SERIALIZE_ENUM(BookingState, {{BookingState::Booked, "booked"},
                                            {BookingState::CheckedIn, "checked_in"},
                                            {BookingState::Cancelled, "cancelled"},
                                            {BookingState::NoShow, "no_show"}})
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Booking, code, category, item, day, slot, start_ms, end_ms, state, channel, booked_ms,
                                                checked_in_ms, late, ticket, cancelled_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Announcement, id, text, posted_ms, until_ms)
NLOHMANN_JSON_SERIALIZE_ENUM(HelpState, {{HelpState::Open, "open"}, {HelpState::Taken, "taken"}, {HelpState::Done, "done"}, {HelpState::Cancelled, "cancelled"}})
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(HelpRequest, id, day, device, place, page, state, asked_ms, taken_ms, closed_ms, taken_by)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Device, id, kind, window, storage, detail, at_ms, program, version, page,
                                                last_input_ms, paper, screenshots, silent, screenshot_asked_ms, screenshot_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(CallRecord, ticket, number, window, at_ms, recall)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Counter, last)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DayStat, day, issued, served, no_show, ratings, good, bad,
                                                mean_wait_ms, mean_service_ms, arrivals_by_hour,
                                                good_total_by_department, help_asked, help_answered, help_answer_p50_ms,
                                                help_answer_p90_ms)

}  // namespace hall
