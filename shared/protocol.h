// The bus protocol, version 1 (docs/PROTOCOL.md is the normative text).
//
// Commands: client DEALER → server ROUTER, one JSON frame each way.
// Updates:  server PUB → client SUB, two frames: topic ("update" | "heartbeat"), JSON body.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace hall {

using json = nlohmann::json;

constexpr int kProtocolVersion = 1;                  // the "v" of every message
constexpr size_t kMaxRequestBytes = 64 * 1024;       // larger requests get "message_too_large"
constexpr int64_t kSocketMaxMsgSize = 1024 * 1024;   // larger frames drop the connection (ZMQ_MAXMSGSIZE)
constexpr int kHeartbeatMs = 1000;                   // the server publishes at least this often
constexpr int kStaleAfterMs = 3000;
constexpr int kScreenshotPartBytes = 48000;          // base64 per put_screenshot part (a request stays under 64 KiB)
constexpr int kScreenshotMaxParts = 16;              // so a picture is at most ~560 KB of PNG                  // a client hearing nothing this long is stale
constexpr const char* kTopicUpdate = "update";
constexpr const char* kTopicHeartbeat = "heartbeat";

// Typed error codes (the "code" of an error reply).
namespace err {
constexpr const char* kMalformed = "malformed";
constexpr const char* kUnsupportedVersion = "unsupported_version";
constexpr const char* kTooLarge = "message_too_large";
constexpr const char* kUnknownCommand = "unknown_command";
constexpr const char* kKeyRequired = "key_required";
constexpr const char* kKeyReused = "key_reused";
constexpr const char* kInvalidArgument = "invalid_argument";
constexpr const char* kUnknownWindow = "unknown_window";
constexpr const char* kUnknownCategory = "unknown_category";
constexpr const char* kUnknownTicket = "unknown_ticket";
constexpr const char* kUnknownCase = "unknown_case";
constexpr const char* kUnknownItem = "unknown_item";
constexpr const char* kUnknownStaff = "unknown_staff";
constexpr const char* kUnknownFollowUp = "unknown_followup";
constexpr const char* kUnknownAnnouncement = "unknown_announcement";
constexpr const char* kUnknownComplaint = "unknown_complaint";
constexpr const char* kUnknownDevice = "unknown_device";     // no screen program of that id has reported
constexpr const char* kNoScreenshot = "no_screenshot";       // the screen has sent no picture (yet)
constexpr const char* kUnknownToken = "unknown_token";   // a ticket link of another day, another hall, or made up
constexpr const char* kForbidden = "forbidden";         // this client's role may not do this
constexpr const char* kLaneNotOffered = "lane_not_offered";
constexpr const char* kAppointmentsOff = "appointments_off";     // the category takes no appointments here
constexpr const char* kSlotFull = "slot_full";                   // the message names the nearest free slots
constexpr const char* kSlotClosed = "slot_closed";               // past, released to walk-ins, not a working day, out of range
constexpr const char* kBookingExists = "booking_exists";         // one active booking per person per item per day
constexpr const char* kBookingCoolDown = "booking_cool_down";    // too many bookings not kept lately; the message says from when
constexpr const char* kUnknownBooking = "unknown_booking";
constexpr const char* kUnknownHelp = "unknown_help";             // no 帮办 request with that id
constexpr const char* kTooEarly = "too_early";                   // check-in opens early_minutes before the slot
constexpr const char* kTooLateToCancel = "too_late_to_cancel";
constexpr const char* kBookingMissed = "booking_missed";         // its slot ended without a check-in (a no-show)
constexpr const char* kRemoteRefused = "remote_refused";          // no remote ticket now: off, closed, closing or full (the message says which)
constexpr const char* kRemoteTicketOpen = "remote_ticket_open";   // this phone number already holds an open remote ticket
constexpr const char* kWindowNotOpen = "window_not_open";
constexpr const char* kWindowBusy = "window_busy";
constexpr const char* kNoTicketInHand = "no_ticket_in_hand";
constexpr const char* kQueueEmpty = "queue_empty";
constexpr const char* kTicketFinished = "ticket_already_finished";
constexpr const char* kCaseFinished = "case_already_finished";
constexpr const char* kNotRatable = "not_ratable";
constexpr const char* kAlreadyRated = "already_rated";
constexpr const char* kBadTransition = "bad_transition";
constexpr const char* kStorageFailed = "storage_failed";
constexpr const char* kSignInRefused = "sign_in_refused";  // unknown staff number or wrong PIN (not told which)
constexpr const char* kTimeout = "timeout";            // client side: no reply after all retries
}  // namespace err

// A failure with a typed code; thrown inside the server and by request parsing.
struct BusError : std::runtime_error {
  std::string code;
  BusError(std::string c, const std::string& message) : std::runtime_error(message), code(std::move(c)) {}
};

struct Request {
  std::string id;    // client's correlation id, echoed in the reply
  std::string key;   // idempotency key; required for commands that change state
  std::string cmd;
  json args = json::object();
};

// Parses one request frame: exactly one JSON object and nothing after it
// (no NUL, no second document, no trailing text but JSON whitespace).
// Throws BusError (malformed, unsupported_version, message_too_large) naming
// what was wrong.
Request parse_request(const std::string& frame);
std::string encode_request(const Request& r);

json ok_reply(const std::string& id, uint64_t seq, json result);
json error_reply(const std::string& id, const std::string& code, const std::string& message);

std::string random_key();  // 32 hex digits from a random device: idempotency keys, request ids

}  // namespace hall
