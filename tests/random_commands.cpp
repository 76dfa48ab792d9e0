#include "tests/random_commands.h"

#include <map>
#include <set>

#include "hall/commands.h"
#include "shared/calendar.h"

namespace hall::test {

namespace {

// Which kind of value each argument name takes (docs/PROTOCOL.md §8).
const std::map<std::string, std::vector<std::string>>& args_of() {
  static const std::map<std::string, std::vector<std::string>> a{
      {"take_ticket", {"category", "item", "lane"}},
      {"call_next", {"window"}},
      {"recall", {"window", "ticket"}},
      {"start_serving", {"window", "ticket"}},
      {"skip", {"window", "ticket"}},
      {"transfer", {"window", "to_category", "to_window", "reason", "ticket"}},
      {"finish", {"window", "ticket"}},
      {"open_window", {"window", "staff"}},
      {"sign_in", {"window", "staff", "pin"}},
      {"sign_out", {"window"}},
      {"pause_window", {"window", "reason"}},
      {"resume_window", {"window"}},
      {"close_window", {"window"}},
      {"rate", {"level", "ticket", "case", "reasons", "comment", "channel", "window"}},
      {"advance_followup", {"rating", "to", "note"}},
      {"accept_case", {"item", "applicant", "number", "accepted_day"}},
      {"finish_case", {"number"}},
      {"advance_case", {"number", "step"}},
      {"submit_complaint", {"kind", "category", "phrases", "text", "phone", "channel"}},
      {"answer_complaint", {"id", "answer"}},
      {"post_announcement", {"text", "until_ms"}},
      {"remove_announcement", {"id"}},
      {"report_device", {"device", "kind", "storage", "detail", "window", "screenshots"}},
      {"request_screenshot", {"device"}},
      {"put_screenshot", {"device", "asked_ms", "part", "parts", "data"}},
      {"take_remote_ticket", {"category", "phone"}},
      {"book", {"category", "item", "day", "slot", "phone", "id_number", "channel"}},
      {"cancel_booking", {"code"}},
      {"check_in", {"code"}},
      {"ask_help", {"device", "place", "page"}},
      {"cancel_help", {"id"}},
      {"take_help", {"id", "by"}},
      {"close_help", {"id", "by"}},
  };
  return a;
}

template <class Map>
std::vector<std::string> keys_of(const Map& m) {
  std::vector<std::string> out;
  for (const auto& [k, v] : m) {
    if constexpr (std::is_same_v<std::decay_t<decltype(k)>, int>) out.push_back(std::to_string(k));
    else out.push_back(k);
  }
  return out;
}

const std::vector<std::string> kTexts{
    "", "等候时间长", "工作人员态度好", "x", "请回电 13812345678", "座机 0571-88881234 转 8021", "身份证 11010519491231002X",
    "400-800-1234", "😀 emoji", std::string(199, 'a'), std::string(201, 'b'), "一二三四五六七八九十",
    std::string("nul\0inside", 10), "2026-12-01 起暂停"};

}  // namespace

json CommandGenerator::junk() {
  switch (std::uniform_int_distribution<int>(0, 13)(rng_)) {
    case 0: return nullptr;
    case 1: return true;
    case 2: return 4294967297LL;  // 2^32 + 1
    case 3: return -1;
    case 4: return 0;
    case 5: return std::numeric_limits<int64_t>::max();
    case 6: return std::numeric_limits<uint64_t>::max();
    case 7: return 2.5;
    case 8: return "5";
    case 9: return json::array({1, "a"});
    case 10: return json::object({{"a", 1}});
    case 11: return std::string(3000, 'z');
    case 12: return pick(kTexts);
    default: return std::numeric_limits<int64_t>::min();
  }
}

json CommandGenerator::value_for(const std::string& arg, const HallState& s) {
  auto or_unknown = [&](std::vector<std::string> v, const std::string& unknown) {
    v.push_back(unknown);
    return json(pick(v));
  };
  if (arg == "window" || arg == "to_window") {
    std::vector<int> w, open;
    for (const auto& [n, win] : s.windows) {
      w.push_back(n);
      if (win.state == WindowState::Open) open.push_back(n);
    }
    w.push_back(99);
    return !open.empty() && chance(0.7) ? pick(open) : pick(w);
  }
  if (arg == "level") return std::uniform_int_distribution<int>(0, 6)(rng_);
  if (arg == "ticket") {  // rate: a finished visit, often
    std::vector<std::string> done;
    for (const auto& [k, t] : s.tickets)
      if (t.state == TicketState::Done) done.push_back(k);
    if (!done.empty() && chance(0.5)) return pick(done);
  }
  if (arg == "category" || arg == "to_category") return or_unknown(keys_of(s.categories), "nosuch");
  if (arg == "item") return or_unknown(keys_of(s.items), "X999");
  if (arg == "lane") return pick(std::vector<std::string>{"normal", "elderly", "green", "appointment", "disabled", "vip"});
  if (arg == "ticket") {
    std::vector<std::string> t;
    for (const auto& [k, v] : s.tickets) t.push_back(chance(0.5) ? k : v.number);
    for (const auto& [n, w] : s.windows)  // the ticket a window holds, often
      if (!w.ticket.empty()) t.insert(t.end(), 3, w.ticket);
    return or_unknown(t, "Z999");
  }
  if (arg == "case" || arg == "number") return or_unknown(keys_of(s.cases), chance(0.5) ? "202611230999" : "12ab");
  if (arg == "staff") return or_unknown(keys_of(s.staff), "S999");
  if (arg == "pin") return pick(std::vector<json>{"1111", "0000", 1111, ""});
  if (arg == "reasons" || arg == "phrases") {
    json list = json::array();
    int n = std::uniform_int_distribution<int>(0, chance(0.9) ? 2 : 11)(rng_);
    for (int i = 0; i < n; ++i) list.push_back(chance(0.95) ? json(pick(kTexts)) : junk());
    return list;
  }
  if (arg == "channel" && step_cmd_ == "book") return pick(std::vector<std::string>{"kiosk", "web", "desk", "fax"});
  if (arg == "channel") return pick(std::vector<std::string>{"kiosk", "evaluator", "web", "app", "sms", "fax"});
  if (arg == "rating") return or_unknown(keys_of(s.followups), "T/none");
  if (arg == "to") return pick(std::vector<std::string>{"called_back", "verified", "rectified", "replied", "closed", "open", "later"});
  if (arg == "device") return pick(std::vector<std::string>{"kiosk-1", "evaluator-5", "", std::string(70, 'd')});
  if (arg == "storage") return pick(std::vector<std::string>{"ok", "full", "broken"});
  if (arg == "kind" && step_cmd_ == "report_device") return pick(std::vector<std::string>{"kiosk", "evaluator", "counter", "display", "toaster"});
  if (arg == "kind") return pick(std::vector<std::string>{"unresolved", "complaint", "suggestion", "praise"});
  if (arg == "day") {  // today, the next days, or no day at all
    std::vector<json> days{"2026-13-01", "tomorrow"};
    if (auto d = parse_day(s.hall.day))
      for (int i = 0; i < 3; ++i) days.insert(days.end(), i == 0 ? 4 : 1, format_day(*d + std::chrono::days{i}));
    return pick(days);
  }
  if (arg == "slot") return pick(std::vector<json>{"09:00", "09:30", "09:30", "10:00", "10:00", "10:30", "09:15", "25:00"});
  if (arg == "code") return or_unknown(keys_of(s.bookings), chance(0.5) ? "00000000" : "x");
  if (arg == "id_number") return pick(std::vector<json>{"11010519491231002X", "110105194912310021", "123"});
  if (arg == "phone" && step_cmd_ == "book")
    return pick(std::vector<json>{"13900000001", "13900000002", "13900000003", "13900000004", "1390000000"});
  if (arg == "phone" && step_cmd_ == "take_remote_ticket")
    return pick(std::vector<json>{"13900000001", "13900000002", "13900000003", "23900000001", "1390000000", 13900000001LL});
  if (arg == "phone") return pick(std::vector<json>{"13812345678", "0571-88881234", "123", "phone", 13812345678LL});
  if (arg == "screenshots") return pick(std::vector<json>{1, 1, 0, 2});
  if (arg == "asked_ms") {  // the ask on the bus, mostly: a picture only counts for the latest ask
    std::vector<json> asked{0, -1};
    for (const auto& [id, d] : s.devices) asked.insert(asked.end(), 4, d.screenshot_asked_ms);
    return pick(asked);
  }
  if (arg == "part") return pick(std::vector<json>{0, 0, 0, 1, -1});
  if (arg == "parts") return pick(std::vector<json>{1, 1, 1, 2, 0, 17});
  if (arg == "data") return pick(std::vector<json>{"iVBORw0KGgo=", "iVBORw0KGgo=", "aGVsbG8=", "!!", ""});  // a PNG's signature, not a PNG, not base64
  if (arg == "id" && step_cmd_.size() > 5 && step_cmd_.compare(step_cmd_.size() - 5, 5, "_help") == 0) return or_unknown(keys_of(s.helps), "none");
  if (arg == "page") return pick(std::vector<json>{"home", "ticket", "", std::string(50, 'p')});
  if (arg == "id") {
    auto ids = keys_of(s.complaints);
    for (auto& a : keys_of(s.announcements)) ids.push_back(a);
    return or_unknown(ids, "none");
  }
  if (arg == "accepted_day") return pick(std::vector<std::string>{"2026-11-20", "2026-13-40", "2099-01-01", "yesterday"});
  if (arg == "until_ms") return pick(std::vector<json>{0, 1, 1795367243959LL, -5, 2000000000000LL});
  return pick(kTexts);  // reason, comment, text, note, step, answer, applicant
}

Step CommandGenerator::next(const HallState& s) {
  Step step;
  if (chance(0.01)) step.advance_ms = std::uniform_int_distribution<int64_t>(1, 26LL * 3600 * 1000)(rng_);  // sometimes past midnight
  else step.advance_ms = std::uniform_int_distribution<int64_t>(0, 120'000)(rng_);
  // Weights: the window commands more often, as a hall day has them; every command of the table at least once.
  static const std::map<std::string, int> weight{{"take_ticket", 10}, {"call_next", 10}, {"finish", 8}, {"start_serving", 3},
                                                 {"recall", 3}, {"skip", 2},        {"transfer", 3}, {"rate", 8},
                                                 {"open_window", 3}, {"sign_in", 2}, {"pause_window", 2}, {"resume_window", 2},
                                                 {"accept_case", 2}, {"advance_followup", 3}, {"book", 4}, {"check_in", 3},
                                                 {"ask_help", 2}, {"take_help", 2}};
  std::vector<std::string> names;
  for (const auto& c : commands()) {
    if (!c.mutating) continue;
    auto w = weight.find(c.name);
    names.insert(names.end(), size_t(w == weight.end() ? 1 : w->second), c.name);
  }
  step.cmd = chance(0.01) ? "no_such_command" : pick(names);
  step.args = json::object();
  step_cmd_ = step.cmd;
  auto known = args_of().find(step.cmd);
  if (known == args_of().end()) return step;
  static const std::set<std::string> optional{"id_number", "ticket", "item", "to_window", "reasons", "comment", "channel", "window_rate",
                                              "to", "note", "number", "accepted_day", "phone", "until_ms", "category_complaint"};
  for (const auto& arg : known->second) {
    const bool is_optional = (optional.count(arg) && !(arg == "ticket" && step.cmd == "rate") && !(arg == "number" && step.cmd != "accept_case")) ||
                             (arg == "case" && step.cmd == "rate");
    if (chance(is_optional ? (arg == "case" ? 0.85 : 0.6) : 0.05)) continue;  // missing
    step.args[arg] = chance(0.05) ? junk() : value_for(arg, s);
  }
  if (chance(0.02)) step.args["unknown_field"] = junk();
  return step;
}

json changeable_state(const HallState& s) {
  return json{{"hall", s.hall},       {"calls", s.calls},         {"windows", s.windows},   {"tickets", s.tickets},
              {"counters", s.counters}, {"ratings", s.ratings},   {"followups", s.followups}, {"cases", s.cases},
              {"announcements", s.announcements}, {"daystats", s.daystats}, {"complaints", s.complaints},
              {"contacts", s.contacts}, {"devices", s.devices}, {"bookings", s.bookings}, {"helps", s.helps}, {"staff", s.staff},
              {"categories", s.categories}};
}

}  // namespace hall::test
