#include "hall/engine.h"
#include "shared/ticket_token.h"

#include "shared/base64.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <type_traits>
#include <utility>

#include "shared/privacy.h"
#include "shared/stats.h"

namespace hall {

namespace {

// Arguments are read in two steps in every command: first all of them, by
// type, range and list (so a wrong type is invalid_argument before any
// domain check), then what they name. Nothing is touched before both.

[[noreturn]] void refuse(const char* code, const std::string& message) { throw BusError(code, message); }
[[noreturn]] void bad_arg(const char* name, const std::string& what) {
  refuse(err::kInvalidArgument, std::string("argument '") + name + "' " + what);
}

const json* field(const json& args, const char* name) {
  auto it = args.find(name);
  return it == args.end() || it->is_null() ? nullptr : &*it;
}

// An integer argument within the range the argument table gives it (hall/commands.cpp).
std::optional<int64_t> opt_int_arg(const json& args, const char* name) {
  const json* v = field(args, name);
  if (!v) return std::nullopt;
  const ArgSpec* spec = find_arg(name);
  return checked_integer(*v, name, spec->min, spec->max);
}

int64_t int_arg(const json& args, const char* name) {
  auto v = opt_int_arg(args, name);
  if (!v) bad_arg(name, "is missing");
  return *v;
}

// Limits are in bytes of UTF-8 (docs/PROTOCOL.md §9).
std::string str_arg(const json& args, const char* name, bool required, size_t max_bytes = 200) {
  const json* v = field(args, name);
  if (!v) {
    if (required) bad_arg(name, "is missing");
    return "";
  }
  // Digits typed as a number (a PIN, a case number) mean the same text.
  if (v->is_number_unsigned()) return std::to_string(v->get<uint64_t>());
  if (!v->is_string()) bad_arg(name, "must be a string");
  std::string s = *v;
  if (required && s.empty()) bad_arg(name, "must not be empty");
  if (s.size() > max_bytes) bad_arg(name, "is longer than " + std::to_string(max_bytes) + " bytes");
  return s;
}

// Free text a person typed: phone and ID numbers in it are masked before it
// enters the state, so no form of them reaches the bus (shared/privacy.h).
std::string text_arg(const json& args, const char* name, bool required, size_t max_bytes) {
  return mask_personal(str_arg(args, name, required, max_bytes));
}

// One value of a fixed list; anything else is invalid_argument, never stored.
template <class T>
T enum_arg(const json& args, const char* name, const std::map<std::string, T>& values, T fallback) {
  const json* v = field(args, name);
  if (!v) return fallback;
  auto found = v->is_string() ? values.find(v->get<std::string>()) : values.end();
  if (found == values.end()) {
    std::string list;
    for (const auto& [k, _] : values) list += (list.empty() ? "" : ", ") + k;
    bad_arg(name, "must be one of " + list);
  }
  return found->second;
}

// The same for a list of words kept as text (a channel, a device's kind).
std::string word_arg(const json& args, const char* name, const std::vector<std::string>& words, const std::string& fallback) {
  std::map<std::string, std::string> values;
  for (const auto& w : words) values.emplace(w, w);
  return enum_arg(args, name, values, fallback);
}

// An optional list of short texts (reasons of a rating, phrases of a complaint): at most 10, each ≤ 200 bytes, masked.
std::vector<std::string> text_list_arg(const json& args, const char* name) {
  std::vector<std::string> out;
  const json* v = field(args, name);
  if (!v) return out;
  if (!v->is_array() || v->size() > 10) bad_arg(name, "must be a list of at most 10 texts");
  for (const auto& item : *v) {
    if (!item.is_string() || item.get<std::string>().size() > 200)
      bad_arg(name, "must hold texts of at most 200 bytes each");
    out.push_back(mask_personal(item));
  }
  return out;
}

// A mainland mobile number (remote tickets, bookings): the one check for both.
std::string mobile_arg(const json& args) {
  const std::string phone = str_arg(args, "phone", true, 11);
  if (phone.size() != 11 || phone[0] != '1' || phone.find_first_not_of("0123456789") != std::string::npos)
    bad_arg("phone", "must be an 11-digit mobile number");
  return phone;
}

std::string ticket_number(const std::string& prefix, int n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%s%03d", prefix.c_str(), n);
  return buf;
}

bool finished(const Ticket& t) { return t.state == TicketState::Done || t.state == TicketState::NoShow; }

const std::vector<std::string> kChannels{"kiosk", "evaluator", "web", "app", "sms"};

}  // namespace

// [SECTION] Setup and bookkeeping -------------------------------------------

Engine::Engine(HallState& state, const HallClock& clock) : s_(state), clock_(clock) {}

std::string Engine::today() const { return format_day(day_of(clock_.now_ms(), s_.hall.utc_offset_minutes)); }

void Engine::configure(const HallConfig& config) {
  rating_keep_days_ = config.rating_keep_days;
  pins_ = config.staff_pins;
  case_keep_days_ = config.case_keep_days;
  HallInfo info = config.hall;
  info.day = s_.hall.day;  // the business day is the state's, not the config's
  info.rating_keep_days = config.rating_keep_days;
  if (json(info) != json(s_.hall)) {
    s_.hall = info;
    touch("hall");
  }
  if (config.calendar.to_json() != s_.calendar.to_json()) {
    s_.calendar = config.calendar;
    touch("calendar");
  }
  // Sync a configured map: new and changed entries are written, removed ones erased.
  auto sync = [&](auto& live, const auto& wanted, const char* kind, auto key_of, auto merge) {
    auto entity = [kind](const auto& id) {
      if constexpr (std::is_same_v<std::decay_t<decltype(id)>, int>) return std::string(kind) + "/" + std::to_string(id);
      else return std::string(kind) + "/" + id;
    };
    std::set<std::decay_t<decltype(live.begin()->first)>> keep;
    for (const auto& v : wanted) {
      auto id = key_of(v);
      keep.insert(id);
      auto it = live.find(id);
      auto next = merge(v, it == live.end() ? nullptr : &it->second);
      if (it == live.end() || json(it->second) != json(next)) {
        live[id] = next;
        touch(entity(id));
      }
    }
    for (auto it = live.begin(); it != live.end();) {
      if (keep.count(it->first)) { ++it; continue; }
      touch(entity(it->first));
      it = live.erase(it);
    }
  };
  auto same = [](const auto& v, const auto*) { return v; };
  sync(s_.categories, config.categories, "category", [](const Category& c) { return c.code; }, same);
  sync(s_.staff, config.staff, "staff", [](const Staff& v) { return v.id; }, same);
  sync(s_.items, config.items, "item", [](const ServiceItem& v) { return v.code; }, same);
  sync(s_.policies, config.policies, "policy", [](const Policy& v) { return v.id; }, same);
  sync(s_.windows, config.windows, "window", [](const Window& w) { return w.number; },
       [](const Window& w, const Window* live) {
         Window next = w;  // configuration decides what a window is; the day decides its state
         if (live) {
           next.state = live->state;
           next.pause_reason = live->pause_reason;
           next.staff_id = live->staff_id;
           next.ticket = live->ticket;
         }
         return next;
       });
}

void Engine::touch(const std::string& key) {
  if (in_command_ && !before_.count(key)) before_.emplace(key, s_.get(key));
  if (changed_.insert(key).second && in_command_) newly_changed_.push_back(key);
}

void Engine::undo() {
  for (const auto& [key, value] : before_) s_.apply(key, value);
  for (const auto& key : newly_changed_) changed_.erase(key);
}

void Engine::settle() {
  const std::string prefix = "ticket/";
  for (const auto& [key, was] : before_) {
    if (key.rfind(prefix, 0) != 0) continue;
    const std::string id = key.substr(prefix.size());
    unindex_ticket(id);
    auto count_service = [&](const Ticket& t, int sign) {
      if (t.state != TicketState::Done || t.day != s_.hall.day) return;
      auto& [sum, n] = service_[t.category];
      sum += sign * service_ms(t);
      n += sign;
    };
    if (!was.is_null()) count_service(was.get<Ticket>(), -1);
    auto now = s_.tickets.find(id);
    if (now == s_.tickets.end()) continue;
    if (now->second.state == TicketState::Waiting) index_ticket(now->second);
    count_service(now->second, +1);
  }
}

void Engine::index_ticket(const Ticket& t) {
  Indexed at{t.category, t.target_window, QueueKey{queue_class(t), t.issued_ms, t.key}};
  if (at.target_window) {
    targeted_[at.target_window].insert(at.key);
  } else {
    queue_[at.category].insert(at.key);
    ++class_count_[at.category][size_t(std::get<0>(at.key))];
  }
  indexed_[t.key] = std::move(at);
}

void Engine::unindex_ticket(const std::string& key) {
  auto it = indexed_.find(key);
  if (it == indexed_.end()) return;
  const Indexed& at = it->second;
  if (at.target_window) {
    targeted_[at.target_window].erase(at.key);
  } else {
    queue_[at.category].erase(at.key);
    --class_count_[at.category][size_t(std::get<0>(at.key))];
  }
  indexed_.erase(it);
}

void Engine::reindex() {
  queue_.clear();
  targeted_.clear();
  class_count_.clear();
  indexed_.clear();
  service_.clear();
  for (const auto& [key, t] : s_.tickets) {
    if (t.state == TicketState::Waiting) {
      index_ticket(t);
    } else if (t.state == TicketState::Done && t.day == s_.hall.day) {
      auto& [sum, n] = service_[t.category];
      sum += service_ms(t);
      ++n;
    }
  }
}

std::set<std::string> Engine::take_changes() { return std::exchange(changed_, {}); }
std::vector<std::pair<std::string, json>> Engine::take_archived() { return std::exchange(archived_, {}); }

int Engine::next_counter(const std::string& name) {
  touch("counter/" + name);
  return ++s_.counters[name].last;
}

Window& Engine::window_arg(const json& args) {
  const int n = int(int_arg(args, "window"));
  auto it = s_.windows.find(n);
  if (it == s_.windows.end()) refuse(err::kUnknownWindow, "window " + std::to_string(n) + " does not exist in this hall");
  return it->second;
}

Window& Engine::open_window_arg(const json& args) {
  Window& w = window_arg(args);
  if (w.state != WindowState::Open)
    refuse(err::kWindowNotOpen, "window " + std::to_string(w.number) + " is " + json(w.state).get<std::string>());
  return w;
}

Ticket* Engine::find_ticket(const std::string& key_or_number) {
  auto it = s_.tickets.find(key_or_number);
  if (it == s_.tickets.end()) it = s_.tickets.find(ticket_key(s_.hall.day, key_or_number));  // "A001" means today's
  return it == s_.tickets.end() ? nullptr : &it->second;
}

// The ticket a window holds; an optional "ticket" argument must name it, so a
// stale click on a console acts on nothing rather than on the next citizen.
Ticket& Engine::ticket_in_hand(Window& w, const json& args) {
  const std::string named = str_arg(args, "ticket", false, 64);
  if (!named.empty()) {
    Ticket* t = find_ticket(named);
    if (!t) refuse(err::kUnknownTicket, "ticket '" + named + "' does not exist");
    if (finished(*t)) refuse(err::kTicketFinished, "ticket " + t->number + " is already finished");
    if (w.ticket != t->key) refuse(err::kNoTicketInHand, "window " + std::to_string(w.number) + " does not hold ticket " + t->number);
  }
  auto it = w.ticket.empty() ? s_.tickets.end() : s_.tickets.find(w.ticket);
  if (it == s_.tickets.end()) refuse(err::kNoTicketInHand, "window " + std::to_string(w.number) + " holds no ticket");
  return it->second;
}

void Engine::push_call(const Ticket& t, bool recall) {
  touch("calls");
  s_.calls.insert(s_.calls.begin(), CallRecord{t.key, t.number, t.window, clock_.now_ms(), recall});
  if (s_.calls.size() > HallState::kMaxCalls) s_.calls.resize(HallState::kMaxCalls);
}

bool Engine::roll_over_if_new_day() {
  const std::string day = today();
  if (s_.hall.day == day) return false;
  if (!s_.hall.day.empty() && day < s_.hall.day) return false;  // clock went back: keep the later day
  const int64_t now = clock_.now_ms();
  const std::string closing = s_.hall.day;
  if (!closing.empty()) {
    HallStats st = compute_stats(s_, now);
    DayStat ds;
    ds.day = closing;
    ds.issued = st.today.issued;
    ds.served = st.today.served;
    ds.no_show = st.today.no_show;
    ds.ratings = st.hall_today.total;
    ds.good = st.hall_today.good;
    ds.bad = st.hall_today.bad;
    ds.arrivals_by_hour = st.arrivals_by_hour;
    ds.mean_wait_ms = st.today.mean_wait_ms;
    ds.mean_service_ms = st.today.mean_service_ms;
    for (const auto& [dep, score] : st.department_today) ds.good_total_by_department[dep] = {score.good, score.total};
    ds.help_asked = st.help.asked, ds.help_answered = st.help.answered;
    ds.help_answer_p50_ms = st.help.answer_p50_ms, ds.help_answer_p90_ms = st.help.answer_p90_ms;
    s_.daystats[closing] = ds;
    touch("daystat/" + closing);
  }
  auto retire = [&](const std::string& key, json value) {
    archived_.emplace_back(key, std::move(value));
    touch(key);
  };
  for (auto it = s_.tickets.begin(); it != s_.tickets.end();) {
    if (it->second.day == day) { ++it; continue; }
    retire("ticket/" + it->first, it->second);
    it = s_.tickets.erase(it);
  }
  for (auto it = s_.counters.begin(); it != s_.counters.end();) {
    if (it->first.find(day) != std::string::npos || it->first.rfind("announcement", 0) == 0) { ++it; continue; }
    touch("counter/" + it->first);
    it = s_.counters.erase(it);
  }
  const Day today_day = *parse_day(day);
  const std::string oldest_rating = format_day(today_day - std::chrono::days{rating_keep_days_});
  for (auto it = s_.ratings.begin(); it != s_.ratings.end();) {
    auto fu = s_.followups.find(it->first);
    bool followup_open = fu != s_.followups.end() && fu->second.state != FollowUpState::Closed;
    if (it->second.day >= oldest_rating || followup_open) { ++it; continue; }
    retire("rating/" + it->first, it->second);
    if (fu != s_.followups.end()) {
      retire("followup/" + fu->first, fu->second);
      s_.followups.erase(fu);
    }
    it = s_.ratings.erase(it);
  }
  const std::string oldest_case = format_day(today_day - std::chrono::days{case_keep_days_});
  for (auto it = s_.cases.begin(); it != s_.cases.end();) {
    if (it->second.state != CaseState::Finished || it->second.finished_day >= oldest_case) { ++it; continue; }
    retire("case/" + it->first, it->second);
    it = s_.cases.erase(it);
  }
  // Bookings (and their private numbers) stay as long as the no-show rule looks back, then leave.
  mark_no_shows(clock_.now_ms());
  const std::string oldest_booking = format_day(today_day - std::chrono::days{std::max(s_.hall.appointments.no_show_days, rating_keep_days_)});
  for (auto it = s_.bookings.begin(); it != s_.bookings.end();) {
    if (it->second.day >= oldest_booking) { ++it; continue; }
    retire("booking/" + it->first, it->second);
    if (auto c = s_.contacts.find("B-" + it->first); c != s_.contacts.end()) {
      touch("contact/" + c->first);
      s_.contacts.erase(c);
    }
    it = s_.bookings.erase(it);
  }
  // A remote ticket's number is kept for its day only.
  for (auto it = s_.contacts.begin(); it != s_.contacts.end();) {
    if (it->first.rfind("R-", 0) != 0 || it->first.compare(2, day.size(), day) == 0) { ++it; continue; }
    touch("contact/" + it->first);
    it = s_.contacts.erase(it);
  }
  // 帮办 requests live for their day; the day's figures stay in its daystat.
  for (auto it = s_.helps.begin(); it != s_.helps.end();) {
    if (it->second.day == day) { ++it; continue; }
    retire("help/" + it->first, it->second);
    it = s_.helps.erase(it);
  }
  // Answered complaints leave with old ratings; open ones stay until answered.
  for (auto it = s_.complaints.begin(); it != s_.complaints.end();) {
    if (it->second.state == ComplaintState::Open || it->second.day >= oldest_rating) { ++it; continue; }
    retire("complaint/" + it->first, it->second);
    if (auto c = s_.contacts.find(it->first); c != s_.contacts.end()) {
      retire("contact/" + c->first, c->second);
      s_.contacts.erase(c);
    }
    it = s_.complaints.erase(it);
  }
  const std::string oldest_daystat = format_day(today_day - std::chrono::days{400});
  for (auto it = s_.daystats.begin(); it != s_.daystats.end();) {
    if (it->first >= oldest_daystat) { ++it; continue; }
    touch("daystat/" + it->first);
    it = s_.daystats.erase(it);
  }
  // A new day starts with every window closed until its staff signs in.
  for (auto& [n, w] : s_.windows) {
    if (w.state == WindowState::Closed && w.ticket.empty() && w.staff_id.empty()) continue;
    w.state = WindowState::Closed;
    w.ticket.clear();
    w.staff_id.clear();
    w.pause_reason.clear();
    touch_window(w);
  }
  for (auto it = s_.announcements.begin(); it != s_.announcements.end();) {
    if (it->second.until_ms == 0 || it->second.until_ms > now) { ++it; continue; }
    touch("announcement/" + it->first);
    it = s_.announcements.erase(it);
  }
  s_.calls.clear();
  touch("calls");
  s_.hall.day = day;
  touch("hall");
  reindex();
  return true;
}

// A command either applies completely or not at all. Each handler reads and
// checks its arguments before it touches anything; and whatever it throws,
// every entity it touched is put back, so memory, disk and bus never see
// half a command (docs/ARCHITECTURE.md, "A refused command changes nothing").
json Engine::execute(const std::string& cmd, const json& args) {
  const CommandSpec* spec = find_command(cmd);
  if (!spec || !spec->handler) refuse(err::kUnknownCommand, "unknown command '" + cmd + "'");
  if (!args.is_object()) refuse(err::kMalformed, "'args' must be an object");
  check_arg_types(args);  // every argument's type and range before anything it names
  in_command_ = true;
  before_.clear();
  newly_changed_.clear();
  auto end_command = [&] {
    in_command_ = false;
    before_.clear();
    newly_changed_.clear();
  };
  try {
    json result = (this->*spec->handler)(args);
    settle();
    end_command();
    return result;
  } catch (const BusError&) {
    undo();
    end_command();
    throw;
  } catch (const std::exception& e) {  // a rule that did not expect this input: still refused whole
    undo();
    end_command();
    refuse(err::kInvalidArgument, "command '" + cmd + "' could not use its arguments: " + e.what());
  }
}

// [SECTION] Commands ---------------------------------------------------------

std::map<std::string, int> Engine::waiting_by_category() const {
  std::map<std::string, int> out;
  for (const auto& [code, c] : s_.categories) out[code] = 0;
  for (const auto& [key, at] : indexed_) ++out[at.category];
  return out;
}

json Engine::take_ticket(const json& args) {
  static const std::map<std::string, Lane> lanes{{"normal", Lane::Normal},     {"elderly", Lane::Elderly},
                                                 {"disabled", Lane::Disabled}, {"appointment", Lane::Appointment},
                                                 {"green", Lane::Green}};
  std::string code = str_arg(args, "category", false, 40);
  std::string item_code = str_arg(args, "item", false, 40);
  const Lane lane = enum_arg(args, "lane", lanes, Lane::Normal);
  if (!item_code.empty()) {
    auto item = s_.items.find(item_code);
    if (item == s_.items.end()) refuse(err::kUnknownItem, "service item '" + item_code + "' is not in the catalogue");
    if (code.empty()) code = item->second.category;
  }
  if (code.empty()) refuse(err::kInvalidArgument, "argument 'category' (or an 'item' with a category) is missing");
  auto cat_it = s_.categories.find(code);
  if (cat_it == s_.categories.end()) refuse(err::kUnknownCategory, "service category '" + code + "' does not exist");
  const Category& cat = cat_it->second;
  if (lane != Lane::Normal && std::find(cat.lanes.begin(), cat.lanes.end(), lane) == cat.lanes.end())
    refuse(err::kLaneNotOffered, std::string("category '") + code + "' offers no " + json(lane).get<std::string>() + " lane");
  Ticket t;
  t.day = s_.hall.day;
  t.number = ticket_number(cat.prefix, next_counter(t.day + "/" + cat.prefix));
  t.key = ticket_key(t.day, t.number);
  t.category = code;
  t.item = item_code;
  t.lane = lane;
  t.issued_ms = clock_.now_ms();
  touch_ticket(t);
  s_.tickets[t.key] = t;
  // The new ticket is the last of its class: everyone waiting in a class
  // called no later than its own is ahead of it (the index gets it at settle()).
  int ahead = 0;
  const auto& counts = class_count_[code];
  for (int c = 0; c <= queue_class(t); ++c) ahead += counts[size_t(c)];
  auto [sum, served] = service_[code];
  int64_t service = served ? sum / served : int64_t(cat.default_service_s) * 1000;
  int open = 0;
  for (int n : cat.windows) open += s_.windows.count(n) && s_.windows.at(n).state == WindowState::Open;
  int64_t estimate = open ? int64_t(double(ahead + 1) * double(service) / open) : -1;
  json out{{"ticket", t}, {"ahead", ahead}, {"estimated_wait_ms", estimate}, {"windows", cat.windows}};
  if (!ticket_secret_.empty()) {
    // Only in the reply (to the kiosk that took it, for its QR), never on the bus.
    out["token"] = ticket_token(ticket_secret_, s_.hall.id, t.key);
    if (!public_url_.empty()) out["link"] = public_url_ + "/t/" + out["token"].get<std::string>();
  }
  return out;
}

// A ticket from a phone: the hall's rule (remote_offer) decides, the number
// stays private (a contact entity, deleted when the day ends), and a number
// holds one open remote ticket at a time, so nobody fills a queue from home.
json Engine::take_remote_ticket(const json& args) {
  const std::string code = str_arg(args, "category", true, 40);
  const std::string phone = mobile_arg(args);
  if (!s_.categories.count(code)) refuse(err::kUnknownCategory, "service category '" + code + "' does not exist");
  if (ticket_secret_.empty() || public_url_.empty()) refuse(err::kRemoteRefused, "off: this hall has no ticket links (web.public_url)");
  RemoteOffer offer = remote_offer(s_, code, clock_.now_ms());
  if (!offer.allowed) refuse(err::kRemoteRefused, offer.why_not + ": no remote ticket for '" + code + "' now");
  for (const auto& [id, c] : s_.contacts) {
    if (id.rfind("R-", 0) != 0 || c.phone != phone) continue;
    auto t = s_.tickets.find(c.complaint);
    if (t != s_.tickets.end() && (t->second.state == TicketState::Waiting || t->second.state == TicketState::Called ||
                                  t->second.state == TicketState::Serving))
      refuse(err::kRemoteTicketOpen, "this number already holds an open remote ticket");
  }
  json out = take_ticket(json{{"category", code}});
  Ticket& t = s_.tickets.at(out["ticket"]["key"].get<std::string>());
  t.remote = true;
  touch_ticket(t);
  out["ticket"]["remote"] = true;
  const std::string id = "R-" + t.day + "-" + t.number;  // the contact entity names the ticket key in `complaint`
  s_.contacts[id] = Contact{t.key, phone};
  touch("contact/" + id);
  return out;
}

void Engine::set_ticket_links(std::string secret, std::string public_url) {
  ticket_secret_ = std::move(secret);
  public_url_ = std::move(public_url);
}

json Engine::ticket_by_token(const json& args) const {
  if (!args.contains("token") || !args["token"].is_string() || !looks_like_token(args["token"]))
    throw BusError(err::kInvalidArgument, "argument 'token' must be 32 lowercase hex characters");
  const std::string token = args["token"];
  if (!ticket_secret_.empty())
    for (const auto& [key, t] : s_.tickets)  // today's only: a link ends with its day
      if (t.day == s_.hall.day && ticket_token(ticket_secret_, s_.hall.id, key) == token) return json{{"ticket", t.key}, {"number", t.number}};
  throw BusError(err::kUnknownToken, "no ticket of today has this link (a link works on its ticket's day only)");
}

json Engine::call_next(const json& args) {
  Window& w = open_window_arg(args);
  if (!w.ticket.empty())
    refuse(err::kWindowBusy, "window " + std::to_string(w.number) + " still holds ticket " + w.ticket +
                                 ": finish, skip or transfer it first");
  // The head of each queue this window serves, and of its own transfers.
  const QueueKey* best = nullptr;
  auto consider = [&](const std::set<QueueKey>& q) {
    if (!q.empty() && (!best || *q.begin() < *best)) best = &*q.begin();
  };
  for (const auto& code : w.categories)
    if (auto q = queue_.find(code); q != queue_.end()) consider(q->second);
  if (auto q = targeted_.find(w.number); q != targeted_.end()) consider(q->second);
  Ticket* next = best ? &s_.tickets.at(std::get<2>(*best)) : nullptr;
  if (!next) refuse(err::kQueueEmpty, "nobody is waiting for window " + std::to_string(w.number));
  const int64_t now = clock_.now_ms();
  touch_window(w);
  touch_ticket(*next);
  next->state = TicketState::Called;
  if (next->called_ms == 0) next->wait_ms = now - next->issued_ms;
  next->called_ms = now;
  next->window = w.number;
  next->staff_id = w.staff_id;
  next->target_window = 0;
  w.ticket = next->key;
  push_call(*next, false);
  return json{{"ticket", *next}};
}

json Engine::recall(const json& args) {
  Window& w = open_window_arg(args);
  Ticket& t = ticket_in_hand(w, args);
  touch_ticket(t);
  ++t.recalls;
  push_call(t, true);
  return json{{"ticket", t}};
}

json Engine::start_serving(const json& args) {
  Window& w = window_arg(args);
  Ticket& t = ticket_in_hand(w, args);
  if (t.state == TicketState::Called) {
    touch_ticket(t);
    t.state = TicketState::Serving;
    t.serving_ms = clock_.now_ms();
  }
  return json{{"ticket", t}};
}

json Engine::skip(const json& args) {
  Window& w = window_arg(args);
  Ticket& t = ticket_in_hand(w, args);
  if (t.state != TicketState::Called)
    refuse(err::kBadTransition, "ticket " + t.number + " is already being served; finish or transfer it");
  touch_ticket(t);
  touch_window(w);
  t.state = TicketState::NoShow;
  t.done_ms = clock_.now_ms();
  w.ticket.clear();
  return json{{"ticket", t}};
}

json Engine::transfer(const json& args) {
  Window& w = window_arg(args);
  const std::string to_category = str_arg(args, "to_category", false, 40);
  const std::optional<int64_t> to_window = opt_int_arg(args, "to_window");
  const std::string reason = text_arg(args, "reason", false, 200);
  if (to_category.empty() && !to_window) refuse(err::kInvalidArgument, "give 'to_category' or 'to_window'");
  if (!to_category.empty() && !s_.categories.count(to_category))
    refuse(err::kUnknownCategory, "service category '" + to_category + "' does not exist");
  if (to_window) {
    if (!s_.windows.count(*to_window)) refuse(err::kUnknownWindow, "window " + std::to_string(*to_window) + " does not exist in this hall");
    if (*to_window == w.number) refuse(err::kInvalidArgument, "cannot transfer a ticket to the window that holds it");
  }
  Ticket& t = ticket_in_hand(w, args);
  touch_ticket(t);
  touch_window(w);
  t.state = TicketState::Waiting;
  if (!to_category.empty()) t.category = to_category;
  t.target_window = int(to_window.value_or(0));
  ++t.transfers;
  t.window = 0;
  t.staff_id.clear();
  t.serving_ms = 0;
  w.ticket.clear();
  return json{{"ticket", t}, {"reason", reason}};
}

json Engine::finish(const json& args) {
  Window& w = window_arg(args);
  Ticket& t = ticket_in_hand(w, args);
  touch_ticket(t);
  touch_window(w);
  if (t.serving_ms == 0) t.serving_ms = t.called_ms;
  t.state = TicketState::Done;
  t.done_ms = clock_.now_ms();
  w.ticket.clear();
  return json{{"ticket", t}};
}

json Engine::open_window(const json& args) {
  Window& w = window_arg(args);
  std::string staff = str_arg(args, "staff", false, 32);
  if (!staff.empty() && !s_.staff.count(staff)) refuse(err::kUnknownStaff, "staff member '" + staff + "' is not on this hall's list");
  touch_window(w);
  w.state = WindowState::Open;
  w.pause_reason.clear();
  if (!staff.empty()) w.staff_id = staff;
  return json{{"window", w}};
}

// A staff console signs in with a staff number and PIN; the window opens
// with that staff on duty. Which of the two was wrong is not said.
json Engine::sign_in(const json& args) {
  Window& w = window_arg(args);
  std::string staff = str_arg(args, "staff", true, 32);
  std::string pin = str_arg(args, "pin", true, 16);
  auto known = pins_.find(staff);
  if (!s_.staff.count(staff) || known == pins_.end() || known->second != pin)
    refuse(err::kSignInRefused, "staff number or PIN is not right");
  if (!w.staff_id.empty() && w.staff_id != staff && w.state != WindowState::Closed && !w.ticket.empty())
    refuse(err::kWindowBusy, "window " + std::to_string(w.number) + " still holds a ticket of another staff member");
  touch_window(w);
  w.state = WindowState::Open;
  w.pause_reason.clear();
  w.staff_id = staff;
  return json{{"window", w}, {"staff", s_.staff.at(staff)}};
}

json Engine::sign_out(const json& args) { return close_window(args); }

json Engine::pause_window(const json& args) {
  Window& w = window_arg(args);
  std::string reason = text_arg(args, "reason", false, 200);
  if (w.state == WindowState::Closed) refuse(err::kWindowNotOpen, "window " + std::to_string(w.number) + " is closed");
  touch_window(w);
  w.state = WindowState::Paused;
  w.pause_reason = reason;
  return json{{"window", w}};
}

json Engine::resume_window(const json& args) {
  Window& w = window_arg(args);
  if (w.state != WindowState::Paused) refuse(err::kBadTransition, "window " + std::to_string(w.number) + " is not paused");
  touch_window(w);
  w.state = WindowState::Open;
  w.pause_reason.clear();
  return json{{"window", w}};
}

json Engine::close_window(const json& args) {
  Window& w = window_arg(args);
  if (!w.ticket.empty())
    refuse(err::kWindowBusy, "window " + std::to_string(w.number) + " still holds ticket " + w.ticket);
  touch_window(w);
  w.state = WindowState::Closed;
  w.staff_id.clear();
  w.pause_reason.clear();
  return json{{"window", w}};
}

json Engine::rate(const json& args) {
  Rating r;
  r.level = int(int_arg(args, "level"));  // 1..5 (kLevelMin..kLevelMax), from the argument table
  r.channel = word_arg(args, "channel", kChannels, "kiosk");
  r.comment = text_arg(args, "comment", false, 1000);
  r.reasons = text_list_arg(args, "reasons");
  const std::string ticket = str_arg(args, "ticket", false, 64);
  const std::string case_number = str_arg(args, "case", false, 24);
  const std::optional<int64_t> only_window = opt_int_arg(args, "window");  // an evaluator rates its own window's visits only
  if (ticket.empty() == case_number.empty()) refuse(err::kInvalidArgument, "give exactly one of 'ticket' or 'case'");
  if (!ticket.empty()) {
    Ticket* t = find_ticket(ticket);
    if (!t) refuse(err::kUnknownTicket, "ticket '" + ticket + "' does not exist");
    if (t->state != TicketState::Done) refuse(err::kNotRatable, "ticket " + t->number + " has not been served yet");
    if (only_window && *only_window != t->window) refuse(err::kNotRatable, "ticket " + t->number + " was not served at this window");
    if (t->rated) refuse(err::kAlreadyRated, "ticket " + t->number + " has already been rated (一次一评)");
    touch_ticket(*t);
    t->rated = true;
    r.key = "T/" + t->key;
    r.ticket = t->key;
    r.window = t->window;
    r.staff_id = t->staff_id;
    r.item = t->item;
    auto w = s_.windows.find(t->window);
    if (w != s_.windows.end()) r.department = w->second.department;
  } else {
    auto c = s_.cases.find(case_number);
    if (c == s_.cases.end()) refuse(err::kUnknownCase, "case '" + case_number + "' does not exist");
    if (c->second.rated) refuse(err::kAlreadyRated, "case " + case_number + " has already been rated (一事一评)");
    touch("case/" + case_number);
    c->second.rated = true;
    r.key = "C/" + case_number;
    r.case_number = case_number;
    r.department = c->second.department;
    r.item = c->second.item;
  }
  r.at_ms = clock_.now_ms();
  r.day = s_.hall.day;
  touch("rating/" + r.key);
  s_.ratings[r.key] = r;
  json out{{"rating", r}};
  if (is_bad(r.level)) {  // 差评 opens a follow-up due in N working days
    FollowUp f;
    f.key = r.key;
    f.opened_day = r.day;
    f.due_day = format_day(s_.calendar.add_working_days(*parse_day(r.day), s_.hall.followup_working_days));
    f.window = r.window;
    f.department = r.department;
    f.staff_id = r.staff_id;
    f.history.push_back({FollowUpState::Open, "", r.at_ms});
    touch("followup/" + f.key);
    s_.followups[f.key] = f;
    out["followup"] = f;
  }
  return out;
}

json Engine::advance_followup(const json& args) {
  static const std::map<std::string, FollowUpState> states{{"called_back", FollowUpState::CalledBack},
                                                           {"verified", FollowUpState::Verified},
                                                           {"rectified", FollowUpState::Rectified},
                                                           {"replied", FollowUpState::Replied},
                                                           {"closed", FollowUpState::Closed}};
  const std::string key = str_arg(args, "rating", true, 128);
  const std::optional<FollowUpState> named =
      field(args, "to") ? std::optional(enum_arg(args, "to", states, FollowUpState::Closed)) : std::nullopt;
  const std::string note = text_arg(args, "note", false, 1000);
  auto it = s_.followups.find(key);
  if (it == s_.followups.end()) refuse(err::kUnknownFollowUp, "no follow-up for rating '" + key + "'");
  FollowUp& f = it->second;
  if (f.state == FollowUpState::Closed) refuse(err::kBadTransition, "follow-up " + key + " is already closed");
  FollowUpState to = named.value_or(FollowUpState(int(f.state) + 1));
  if (int(to) <= int(f.state))
    refuse(err::kBadTransition, "follow-up " + key + " is " + json(f.state).get<std::string>() + "; it cannot go back to " +
                                    json(to).get<std::string>());
  touch("followup/" + key);
  f.state = to;
  f.history.push_back({to, note, clock_.now_ms()});
  return json{{"followup", f}};
}

json Engine::accept_case(const json& args) {
  const std::string code = str_arg(args, "item", true, 40);
  const std::string applicant = mask_name(str_arg(args, "applicant", false, 100));  // the full name never enters the hall state
  const std::string accepted_day = str_arg(args, "accepted_day", false, 10);
  std::string number = str_arg(args, "number", false, 24);
  if (number.find_first_not_of("0123456789") != std::string::npos)
    bad_arg("number", "must be digits only (a kiosk keypad enters it)");
  if (!accepted_day.empty() && (!parse_day(accepted_day) || accepted_day > s_.hall.day))
    bad_arg("accepted_day", "must be a past YYYY-MM-DD");
  auto item = s_.items.find(code);
  if (item == s_.items.end()) refuse(err::kUnknownItem, "service item '" + code + "' is not in the catalogue");
  if (!number.empty() && s_.cases.count(number)) refuse(err::kInvalidArgument, "case number " + number + " is already used");
  Case c;
  c.item = code;
  c.department = item->second.department;
  c.promised_days = item->second.promised_days;
  c.legal_days = item->second.legal_days;
  c.applicant = applicant;
  c.accepted_day = accepted_day.empty() ? s_.hall.day : accepted_day;  // earlier: imported from the approval system
  c.accepted_ms = clock_.now_ms();
  c.due_day = format_day(s_.calendar.add_working_days(*parse_day(c.accepted_day), c.promised_days));
  if (number.empty()) {
    // A number of the day nobody used yet (an imported case may have taken one).
    std::string day = s_.hall.day;
    day.erase(std::remove(day.begin(), day.end(), '-'), day.end());
    do {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%s%04d", day.c_str(), next_counter("case/" + s_.hall.day));
      number = buf;
    } while (s_.cases.count(number));
  }
  c.number = number;
  c.steps.push_back({"受理", c.accepted_day, c.accepted_ms});
  touch("case/" + c.number);
  s_.cases[c.number] = c;
  return json{{"case", c}};
}

json Engine::finish_case(const json& args) {
  std::string number = str_arg(args, "number", true, 24);
  auto it = s_.cases.find(number);
  if (it == s_.cases.end()) refuse(err::kUnknownCase, "case '" + number + "' does not exist");
  Case& c = it->second;
  if (c.state == CaseState::Finished) refuse(err::kCaseFinished, "case " + number + " was finished on " + c.finished_day);
  touch("case/" + number);
  c.state = CaseState::Finished;
  c.finished_day = s_.hall.day;
  c.finished_ms = clock_.now_ms();
  c.actual_days = s_.calendar.working_days_between(*parse_day(c.accepted_day), *parse_day(c.finished_day));
  c.steps.push_back({"办结", c.finished_day, c.finished_ms});
  return json{{"case", c}};
}

json Engine::advance_case(const json& args) {
  const std::string number = str_arg(args, "number", true, 24);
  const std::string step = text_arg(args, "step", true, 60);
  auto it = s_.cases.find(number);
  if (it == s_.cases.end()) refuse(err::kUnknownCase, "case '" + number + "' does not exist");
  Case& c = it->second;
  if (c.state == CaseState::Finished) refuse(err::kCaseFinished, "case " + number + " was finished on " + c.finished_day);
  if (step == "办结") refuse(err::kInvalidArgument, "a case is finished with finish_case, not advance_case");
  for (const auto& done : c.steps)
    if (done.name == step) return json{{"case", c}};  // already recorded (a poll repeating itself): nothing changes
  touch("case/" + number);
  c.steps.push_back({step, s_.hall.day, clock_.now_ms()});
  return json{{"case", c}};
}

json Engine::submit_complaint(const json& args) {
  static const std::map<std::string, ComplaintKind> kinds{
      {"unresolved", ComplaintKind::Unresolved}, {"complaint", ComplaintKind::Complaint}, {"suggestion", ComplaintKind::Suggestion}};
  if (!field(args, "kind")) bad_arg("kind", "is missing");
  Complaint c;
  c.kind = enum_arg(args, "kind", kinds, ComplaintKind::Unresolved);
  c.category = str_arg(args, "category", false, 40);
  c.text = text_arg(args, "text", false, 2000);
  c.phrases = text_list_arg(args, "phrases");
  c.channel = word_arg(args, "channel", kChannels, "kiosk");
  const std::string phone = str_arg(args, "phone", false, 20);
  if (!phone.empty() && (phone.size() < 7 || phone.find_first_not_of("0123456789-") != std::string::npos))
    bad_arg("phone", "must be 7 to 20 digits or '-'");
  if (c.text.empty() && c.phrases.empty()) refuse(err::kInvalidArgument, "a complaint needs 'text' or at least one of 'phrases'");
  if (!c.category.empty() && !s_.categories.count(c.category) &&
      std::none_of(s_.items.begin(), s_.items.end(), [&](const auto& i) { return i.second.theme == c.category; }))
    bad_arg("category", "must be a service category code or a theme of the catalogue");
  c.phone = mask_personal(phone);
  c.day = s_.hall.day;
  c.at_ms = clock_.now_ms();
  char id[48];
  std::snprintf(id, sizeof id, "%s-%03d", c.day.c_str(), next_counter("complaint/" + c.day));
  c.id = id;
  touch("complaint/" + c.id);
  s_.complaints[c.id] = c;
  if (!phone.empty()) {
    touch("contact/" + c.id);
    s_.contacts[c.id] = Contact{c.id, phone};
  }
  return json{{"complaint", c}};
}

json Engine::answer_complaint(const json& args) {
  const std::string id = str_arg(args, "id", true, 48);
  const std::string answer = text_arg(args, "answer", true, 2000);
  auto it = s_.complaints.find(id);
  if (it == s_.complaints.end()) refuse(err::kUnknownComplaint, "complaint '" + id + "' does not exist");
  Complaint& c = it->second;
  if (c.state == ComplaintState::Answered) refuse(err::kBadTransition, "complaint " + id + " is already answered");
  touch("complaint/" + id);
  c.answer = answer;
  c.state = ComplaintState::Answered;
  c.answered_ms = clock_.now_ms();
  return json{{"complaint", c}};
}

// A report names only what it knows: fields it leaves out keep their last
// value (an outbox reports its disk, the screen runtime its page).
json Engine::report_device(const json& args) {
  const std::string id = str_arg(args, "device", true, 64);
  auto old = s_.devices.find(id);
  Device d = old == s_.devices.end() ? Device{} : old->second;
  d.id = id;
  d.kind = word_arg(args, "kind", {"kiosk", "evaluator", "counter", "display", "relay", "gateway"}, d.kind);
  if (d.kind.empty()) bad_arg("kind", "is missing");
  d.storage = word_arg(args, "storage", {"ok", "full"}, d.storage.empty() ? "ok" : d.storage);
  if (field(args, "detail")) d.detail = text_arg(args, "detail", false, 200);
  if (auto w = opt_int_arg(args, "window")) d.window = int(*w);
  if (d.window && !s_.windows.count(d.window)) refuse(err::kUnknownWindow, "window " + std::to_string(d.window) + " does not exist in this hall");
  if (field(args, "program")) d.program = str_arg(args, "program", false, 32);
  if (field(args, "version")) d.version = str_arg(args, "version", false, 32);
  if (field(args, "page")) d.page = str_arg(args, "page", false, 64);
  if (field(args, "paper")) d.paper = word_arg(args, "paper", {"ok", "low", "out"}, "");
  if (auto shots = opt_int_arg(args, "screenshots")) d.screenshots = *shots != 0;
  const int64_t now = clock_.now_ms();
  if (auto idle = opt_int_arg(args, "idle_ms")) d.last_input_ms = now - int64_t(double(*idle) * clock_.scale());
  d.at_ms = now;
  d.silent = false;
  touch("device/" + d.id);
  s_.devices[d.id] = d;
  heard_wall_ms_[d.id] = wall_ms();
  return json{{"device", d}};
}

// A manager asks one screen for a picture of what it shows: the ask is on
// the bus (the device's screenshot_asked_ms), the screen answers with
// put_screenshot, the picture stays in the server's memory for the query.
json Engine::request_screenshot(const json& args) {
  const std::string id = str_arg(args, "device", true, 64);
  auto it = s_.devices.find(id);
  if (it == s_.devices.end()) refuse(err::kUnknownDevice, "no screen '" + id + "' has reported to this hall");
  if (!it->second.screenshots) refuse(err::kBadTransition, "screen '" + id + "' does not send pictures (" + it->second.program + ")");
  touch("device/" + id);
  it->second.screenshot_asked_ms = std::max(clock_.now_ms(), it->second.screenshot_asked_ms + 1);  // each ask its own time
  return json{{"device", it->second}};
}

// One part of a picture, base64 of PNG bytes; parts may come in any order
// and again (a retry); the picture counts when every part is in and it is a PNG.
json Engine::put_screenshot(const json& args) {
  const std::string id = str_arg(args, "device", true, 64);
  auto it = s_.devices.find(id);
  if (it == s_.devices.end()) refuse(err::kUnknownDevice, "no screen '" + id + "' has reported to this hall");
  const int64_t asked = int_arg(args, "asked_ms");
  const int part = int(int_arg(args, "part")), parts = int(int_arg(args, "parts"));
  if (parts < 1 || parts > kScreenshotMaxParts) bad_arg("parts", "must be 1.." + std::to_string(kScreenshotMaxParts));
  if (part < 0 || part >= parts) bad_arg("part", "must be 0..parts-1");
  const std::string data = str_arg(args, "data", true, kScreenshotPartBytes);
  if (asked != it->second.screenshot_asked_ms) refuse(err::kBadTransition, "that picture was not asked for (or a newer one was)");
  Picture& p = pictures_[id];
  if (p.asked_ms != asked || int(p.parts.size()) != parts) p = Picture{asked, std::vector<std::string>(size_t(parts)), p.png, p.at_ms};
  p.parts[size_t(part)] = data;
  json out{{"device", id}, {"part", part}, {"complete", false}};
  for (const auto& x : p.parts)
    if (x.empty()) return out;
  std::string b64;
  for (const auto& x : p.parts) b64 += x;
  std::optional<std::string> png = from_base64(b64);
  if (!png || png->size() < 8 || png->compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) {
    p.parts.assign(p.parts.size(), "");
    bad_arg("data", "is not base64 of a PNG picture");
  }
  p.png = std::move(*png);
  p.at_ms = clock_.now_ms();
  touch("device/" + id);
  it->second.screenshot_ms = p.at_ms;
  out["complete"] = true;
  return out;
}

json Engine::screenshot(const json& args) const {
  const std::string id = str_arg(args, "device", true, 64);
  if (!s_.devices.count(id)) refuse(err::kUnknownDevice, "no screen '" + id + "' has reported to this hall");
  auto it = pictures_.find(id);
  if (it == pictures_.end() || it->second.png.empty()) refuse(err::kNoScreenshot, "screen '" + id + "' has sent no picture");
  return json{{"device", id}, {"at_ms", it->second.at_ms}, {"png", to_base64(it->second.png)}};
}

void Engine::housekeep(int64_t wall_now_ms) {
  const int64_t silent_after = int64_t(s_.hall.device_silent_after_s) * 1000;
  for (auto& [id, d] : s_.devices) {
    auto heard = heard_wall_ms_.find(id);
    if (heard == heard_wall_ms_.end()) {  // known from before this server started: it gets the full time to report
      heard_wall_ms_[id] = wall_now_ms;
      continue;
    }
    if (!d.silent && wall_now_ms - heard->second > silent_after) {
      touch("device/" + id);
      d.silent = true;
    }
  }
  const int64_t now = clock_.now_ms();
  for (auto it = s_.announcements.begin(); it != s_.announcements.end();) {
    if (it->second.until_ms == 0 || it->second.until_ms > now) { ++it; continue; }
    touch("announcement/" + it->first);
    it = s_.announcements.erase(it);
  }
  mark_no_shows(now);  // a booking not checked in by the end of its slot
}

// [SECTION] Appointments (预约) ----------------------------------------------
// The rules of docs/PROTOCOL.md "Appointments"; slots and their capacity
// are shared/stats day_slots(), so a kiosk shows exactly what may be booked.

namespace {
const std::vector<std::string> kBookingChannels{"kiosk", "web", "desk"};
}  // namespace

std::string Engine::secret_mac(const std::string& what) const {
  static const std::string no_secret(64, '0');  // a hall without links (tests): still unique, not secret
  return ticket_token(ticket_secret_.empty() ? no_secret : ticket_secret_, s_.hall.id, what);
}

Booking& Engine::booking_arg(const json& args) {
  const std::string code = str_arg(args, "code", true, 16);
  auto it = s_.bookings.find(code);
  if (it == s_.bookings.end()) refuse(err::kUnknownBooking, "no booking has the code '" + code + "'");
  return it->second;
}

json Engine::book(const json& args) {
  std::string code = str_arg(args, "category", false, 40);
  const std::string item_code = str_arg(args, "item", false, 40);
  const std::string day = str_arg(args, "day", true, 10);
  const std::string slot = str_arg(args, "slot", true, 5);
  const std::string phone = mobile_arg(args);
  const std::string id_number = str_arg(args, "id_number", false, 18);
  if (!id_number.empty() && (id_number.size() != 18 || id_number.find_first_not_of("0123456789X") != std::string::npos))
    bad_arg("id_number", "must be 18 characters, digits and X");
  const std::string channel = word_arg(args, "channel", kBookingChannels, "kiosk");
  if (!item_code.empty()) {
    auto item = s_.items.find(item_code);
    if (item == s_.items.end()) refuse(err::kUnknownItem, "service item '" + item_code + "' is not in the catalogue");
    if (code.empty()) code = item->second.category;
  }
  if (code.empty()) bad_arg("category", "(or an 'item' with a category) is missing");
  if (!s_.categories.count(code)) refuse(err::kUnknownCategory, "service category '" + code + "' does not exist");
  if (!offers_appointments(s_, code)) refuse(err::kAppointmentsOff, "'" + code + "' takes no appointments in this hall");
  const int64_t now = clock_.now_ms();
  std::string why;
  std::vector<Slot> slots = day_slots(s_, code, day, now, &why);
  if (slots.empty()) refuse(err::kSlotClosed, day + ": " + (why.empty() ? "no slots" : why));
  auto chosen = std::find_if(slots.begin(), slots.end(), [&](const Slot& x) { return x.slot == slot; });
  if (chosen == slots.end()) bad_arg("slot", "must be the start of one of the day's slots (" + slots.front().slot + ", …)");
  if (!chosen->open) {
    // The nearest free slots of the day, so the citizen picks again at once.
    std::vector<const Slot*> free;
    for (const Slot& x : slots)
      if (x.open) free.push_back(&x);
    std::sort(free.begin(), free.end(), [&](const Slot* a, const Slot* b) {
      return std::llabs(a->start_ms - chosen->start_ms) < std::llabs(b->start_ms - chosen->start_ms);
    });
    std::string nearest;
    for (size_t i = 0; i < free.size() && i < 3; ++i) nearest += (i ? ", " : "") + free[i]->slot;
    refuse(chosen->why_not == "full" ? err::kSlotFull : err::kSlotClosed,
           day + " " + slot + " is " + chosen->why_not + "; nearest free: " + (nearest.empty() ? "none this day" : nearest));
  }
  const std::string id_hash = id_number.empty() ? "" : secret_mac("id/" + id_number);
  const std::string what = item_code.empty() ? code : item_code;
  // One active booking per person per item per day; a cool-down after repeated no-shows.
  const AppointmentRules& r = s_.hall.appointments;
  const Day today = *parse_day(s_.hall.day);
  int no_shows = 0;
  std::string last_no_show;
  for (const auto& [cid, c] : s_.contacts) {
    if (cid.rfind("B-", 0) != 0) continue;
    if (c.phone != phone && (id_hash.empty() || c.id_hash != id_hash)) continue;
    auto b = s_.bookings.find(c.complaint);
    if (b == s_.bookings.end()) continue;
    const Booking& o = b->second;
    const bool active = o.state == BookingState::Booked || o.state == BookingState::CheckedIn;
    if (active && o.day == day && (o.item.empty() ? o.category : o.item) == what)
      refuse(err::kBookingExists, "this person already holds a booking for " + what + " on " + day + " (" + o.slot + ")");
    if (o.state == BookingState::NoShow && *parse_day(o.day) > today - std::chrono::days{r.no_show_days}) {
      ++no_shows;
      last_no_show = std::max(last_no_show, o.day);
    }
  }
  if (no_shows >= r.no_show_limit) {
    const Day until = *parse_day(last_no_show) + std::chrono::days{r.cool_down_days};
    if (today < until)
      refuse(err::kBookingCoolDown, std::to_string(no_shows) + " bookings not kept within " + std::to_string(r.no_show_days) +
                                        " days: new bookings from " + format_day(until));
  }
  Booking b;
  for (int n = next_counter("booking");; n = next_counter("booking")) {  // 8 digits from the hall's secret: not guessable from the last
    const std::string mac = secret_mac("booking/" + std::to_string(n));
    char digits[16];
    std::snprintf(digits, sizeof digits, "%08llu", (unsigned long long)(std::stoull(mac.substr(0, 12), nullptr, 16) % 100000000ULL));
    if (!s_.bookings.count(digits)) {
      b.code = digits;
      break;
    }
  }
  b.category = code;
  b.item = item_code;
  b.day = day;
  b.slot = slot;
  b.start_ms = chosen->start_ms;
  b.end_ms = chosen->end_ms;
  b.channel = channel;
  b.booked_ms = now;
  touch("booking/" + b.code);
  s_.bookings[b.code] = b;
  touch("contact/B-" + b.code);
  s_.contacts["B-" + b.code] = Contact{b.code, phone, id_hash};
  return json{{"booking", b}, {"free", chosen->free() - 1}};
}

json Engine::cancel_booking(const json& args) {
  Booking& b = booking_arg(args);
  // From a phone the code alone is not enough (8 digits can be guessed): the number it was booked with must match.
  if (field(args, "phone")) {
    const std::string phone = mobile_arg(args);
    auto c = s_.contacts.find("B-" + b.code);
    if (c == s_.contacts.end() || c->second.phone != phone) refuse(err::kUnknownBooking, "no booking has this code and number");
  }
  if (b.state != BookingState::Booked)
    refuse(err::kBadTransition, "booking " + b.code + " is " + json(b.state).get<std::string>() + ", not booked");
  const int64_t deadline = b.start_ms - int64_t(s_.hall.appointments.cancel_before_minutes) * 60'000;
  if (clock_.now_ms() > deadline)
    refuse(err::kTooLateToCancel, "a booking is cancelled up to " + std::to_string(s_.hall.appointments.cancel_before_minutes) +
                                      " minutes before its slot");
  touch("booking/" + b.code);
  b.state = BookingState::Cancelled;
  b.cancelled_ms = clock_.now_ms();
  return json{{"booking", b}};
}

// Check-in issues the ticket: the appointment lane when on time, the normal
// queue when late (the kiosk asks the `booking` query first and says so).
json Engine::check_in(const json& args) {
  Booking& b = booking_arg(args);
  if (b.state == BookingState::CheckedIn) refuse(err::kBadTransition, "booking " + b.code + " was checked in already");
  if (b.state == BookingState::Cancelled) refuse(err::kBadTransition, "booking " + b.code + " was cancelled");
  if (b.day != s_.hall.day) refuse(err::kBadTransition, "booking " + b.code + " is for " + b.day + ", not today");
  const std::string arrival = arrival_of(b, s_.hall.appointments, clock_.now_ms());
  if (b.state == BookingState::NoShow || arrival == "missed")
    refuse(err::kBookingMissed, "the slot of booking " + b.code + " has ended: take a ticket for the queue");
  if (arrival == "early") {
    const int64_t from = b.start_ms - int64_t(s_.hall.appointments.early_minutes) * 60'000;
    char at[16];
    std::snprintf(at, sizeof at, "%02d:%02d", minute_of_day(from, s_.hall.utc_offset_minutes) / 60, minute_of_day(from, s_.hall.utc_offset_minutes) % 60);
    refuse(err::kTooEarly, std::string("check-in for the ") + b.slot + " slot opens at " + at);
  }
  json taken = take_ticket(json{{"category", b.category}, {"item", b.item.empty() ? json() : json(b.item)},
                                {"lane", arrival == "on_time" ? "appointment" : "normal"}});
  Ticket& t = s_.tickets.at(taken["ticket"]["key"].get<std::string>());
  t.booking = b.code;
  touch("booking/" + b.code);
  b.state = BookingState::CheckedIn;
  b.checked_in_ms = clock_.now_ms();
  b.late = arrival == "late";
  b.ticket = t.key;
  taken["ticket"] = t;
  taken["booking"] = b;
  taken["late"] = b.late;
  return taken;
}

json Engine::booking(const json& args) const {
  const std::string code = str_arg(args, "code", true, 16);
  auto it = s_.bookings.find(code);
  if (it == s_.bookings.end()) refuse(err::kUnknownBooking, "no booking has the code '" + code + "'");
  const Booking& b = it->second;
  json out{{"booking", b}, {"arrival", arrival_of(b, s_.hall.appointments, clock_.now_ms())}};
  out["category_name"] = s_.categories.count(b.category) ? s_.categories.at(b.category).name : b.category;
  if (auto item = s_.items.find(b.item); item != s_.items.end()) out["item_name"] = item->second.name;
  out["check_in_from_ms"] = b.start_ms - int64_t(s_.hall.appointments.early_minutes) * 60'000;
  out["on_time_until_ms"] = b.start_ms + int64_t(s_.hall.appointments.late_minutes) * 60'000;
  return out;
}

json Engine::slots(const json& args) const {
  std::string code = str_arg(args, "category", false, 40);
  const std::string item_code = str_arg(args, "item", false, 40);
  const std::string day = str_arg(args, "day", true, 10);
  if (!item_code.empty()) {
    auto item = s_.items.find(item_code);
    if (item == s_.items.end()) refuse(err::kUnknownItem, "service item '" + item_code + "' is not in the catalogue");
    if (code.empty()) code = item->second.category;
  }
  if (!s_.categories.count(code)) refuse(err::kUnknownCategory, "service category '" + code + "' does not exist");
  std::string why;
  json list = json::array();
  for (const Slot& x : day_slots(s_, code, day, clock_.now_ms(), &why))
    list.push_back({{"slot", x.slot}, {"start_ms", x.start_ms}, {"end_ms", x.end_ms}, {"capacity", x.capacity}, {"booked", x.booked},
                    {"free", x.free()}, {"open", x.open}, {"why_not", x.why_not}});
  return json{{"category", code}, {"day", day}, {"slots", list}, {"why_not", why}, {"rules", s_.hall.appointments}};
}

void Engine::mark_no_shows(int64_t now) {
  for (auto& [code, b] : s_.bookings) {
    if (b.state != BookingState::Booked || now < b.end_ms) continue;
    touch("booking/" + code);
    b.state = BookingState::NoShow;
  }
}

json Engine::lookup_case(const json& args) const {
  std::string number = str_arg(args, "number", true, 24);
  auto it = s_.cases.find(number);
  if (it == s_.cases.end()) refuse(err::kUnknownCase, "case '" + number + "' does not exist");
  const Case& c = it->second;
  json out{{"case", c}};
  auto item = s_.items.find(c.item);
  out["item_name"] = item == s_.items.end() ? c.item : item->second.name;
  Day today = *parse_day(s_.hall.day);
  Day due = *parse_day(c.due_day);
  if (c.state == CaseState::Finished) {
    out["overdue"] = c.finished_day > c.due_day;
    out["early"] = c.actual_days < c.promised_days;
  } else {
    out["overdue"] = today > due;
    out["working_days_left"] = today > due ? -s_.calendar.working_days_between(due, today)
                                           : s_.calendar.working_days_between(today, due);
  }
  return out;
}

json Engine::post_announcement(const json& args) {
  Announcement a;
  a.text = text_arg(args, "text", true, 1000);
  a.until_ms = opt_int_arg(args, "until_ms").value_or(0);
  a.posted_ms = clock_.now_ms();
  // One that ended already would come down within the second: a mistake, said so (and nothing flickers on the boards).
  if (a.until_ms != 0 && a.until_ms <= a.posted_ms) bad_arg("until_ms", "is already past (0 = until removed)");
  a.id = std::to_string(next_counter("announcement"));
  touch("announcement/" + a.id);
  s_.announcements[a.id] = a;
  return json{{"announcement", a}};
}

json Engine::remove_announcement(const json& args) {
  std::string id = str_arg(args, "id", true, 24);
  if (!s_.announcements.count(id)) refuse(err::kUnknownAnnouncement, "announcement '" + id + "' does not exist");
  touch("announcement/" + id);
  s_.announcements.erase(id);
  return json{{"removed", id}};
}

// ---- 帮办: a citizen at a kiosk asks for a person -------------------------

HelpRequest& Engine::help_arg(const json& args, bool still_active) {
  const std::string id = str_arg(args, "id", true, 24);
  auto it = s_.helps.find(id);
  if (it == s_.helps.end()) refuse(err::kUnknownHelp, "no help request '" + id + "' today");
  const HelpRequest& h = it->second;
  if (still_active && h.state != HelpState::Open && h.state != HelpState::Taken)
    refuse(err::kBadTransition, "help request " + h.id + " is " + json(h.state).get<std::string>() + " already");
  return it->second;
}

json Engine::ask_help(const json& args) {
  const std::string device = str_arg(args, "device", true, 64);
  // A second tap (or a retry after a lost answer) from the same screen is the
  // same request: staff walk to a screen once, and the figures count it once.
  for (const auto& [id, h] : s_.helps)
    if (h.device == device && (h.state == HelpState::Open || h.state == HelpState::Taken)) return json{{"help", h}, {"already", true}};
  HelpRequest h;
  h.device = device;
  h.place = text_arg(args, "place", false, 80);
  h.page = str_arg(args, "page", false, 40);
  h.day = s_.hall.day;
  h.asked_ms = clock_.now_ms();
  h.id = s_.hall.day + "-" + std::to_string(next_counter(s_.hall.day + "/help"));
  touch("help/" + h.id);
  s_.helps[h.id] = h;
  return json{{"help", h}, {"already", false}};
}

json Engine::cancel_help(const json& args) {
  HelpRequest& h = help_arg(args, true);
  touch("help/" + h.id);
  h.state = HelpState::Cancelled;
  h.closed_ms = clock_.now_ms();
  return json{{"help", h}};
}

json Engine::take_help(const json& args) {
  HelpRequest& h = help_arg(args, false);
  const std::string by = text_arg(args, "by", true, 40);
  if (h.state != HelpState::Open)
    refuse(err::kBadTransition, "help request " + h.id + " is " + json(h.state).get<std::string>() + (h.taken_by.empty() ? "" : " (by " + h.taken_by + ")"));
  touch("help/" + h.id);
  h.state = HelpState::Taken;
  h.taken_ms = clock_.now_ms();
  h.taken_by = by;
  return json{{"help", h}};
}

json Engine::close_help(const json& args) {
  HelpRequest& h = help_arg(args, true);
  touch("help/" + h.id);
  if (h.state == HelpState::Open) {  // helped without being marked taken first: answered now
    h.taken_ms = clock_.now_ms();
    h.taken_by = text_arg(args, "by", false, 40);
  }
  h.state = HelpState::Done;
  h.closed_ms = clock_.now_ms();
  return json{{"help", h}};
}

}  // namespace hall
