#include "hall/commands.h"

#include <climits>
#include <map>

#include "hall/engine.h"

namespace hall {

unsigned role_bit(const std::string& role) {
  static const std::map<std::string, unsigned> bits{
      {"display", kDisplay}, {"kiosk", kKiosk}, {"evaluator", kEvaluator}, {"console", kConsole}, {"admin", kAdmin}, {"gateway", kGateway}};
  auto it = bits.find(role);
  return it == bits.end() ? 0u : it->second;
}

const std::vector<CommandSpec>& commands() {
  constexpr unsigned kWindowSide = kConsole;  // the staff console's commands
  static const std::vector<CommandSpec> table{
      {"take_ticket", true, kKiosk, &Engine::take_ticket, "category=CODE [item=CODE] [lane=normal|elderly|disabled|appointment|green]", "issue a queue ticket (取号)"},
      {"take_remote_ticket", true, kGateway, &Engine::take_remote_ticket, "category=CODE phone=MOBILE", "a ticket taken from a phone (web.remote): within the share, one open per number"},
      {"call_next", true, kWindowSide, &Engine::call_next, "window=N", "call the next waiting ticket to a window"},
      {"recall", true, kWindowSide, &Engine::recall, "window=N", "call the ticket in hand once more"},
      {"start_serving", true, kWindowSide, &Engine::start_serving, "window=N", "the called citizen has arrived"},
      {"skip", true, kWindowSide, &Engine::skip, "window=N", "the called citizen did not come (过号)"},
      {"transfer", true, kWindowSide, &Engine::transfer, "window=N to_category=CODE|to_window=N [reason=TEXT]", "send the ticket in hand to another queue or window"},
      {"finish", true, kWindowSide, &Engine::finish, "window=N [ticket=NUMBER]", "the visit is done"},
      {"open_window", true, kWindowSide, &Engine::open_window, "window=N [staff=ID]", "open a window"},
      {"sign_in", true, kWindowSide, &Engine::sign_in, "window=N staff=ID pin=DIGITS", "staff signs in; the window opens"},
      {"sign_out", true, kWindowSide, &Engine::sign_out, "window=N", "staff signs out; the window closes"},
      {"pause_window", true, kWindowSide, &Engine::pause_window, "window=N [reason=TEXT]", "pause a window (暂停服务)"},
      {"resume_window", true, kWindowSide, &Engine::resume_window, "window=N", "resume a paused window"},
      {"close_window", true, kWindowSide, &Engine::close_window, "window=N", "close a window"},
      {"rate", true, kKiosk | kEvaluator | kGateway, &Engine::rate, "level=1..5 ticket=NUMBER|case=NUMBER [reasons=[..]] [comment=TEXT] [channel=kiosk|evaluator|web|app|sms] [window=N]", "rate a visit or a case (好差评)"},
      {"advance_followup", true, kGateway, &Engine::advance_followup, "rating=KEY [to=STATE] [note=TEXT]", "move a 差评 follow-up on"},
      {"accept_case", true, 0, &Engine::accept_case, "item=CODE [applicant=NAME] [number=DIGITS] [accepted_day=YYYY-MM-DD]", "accept a case (受理)"},
      {"finish_case", true, 0, &Engine::finish_case, "number=DIGITS", "finish a case (办结)"},
      {"advance_case", true, 0, &Engine::advance_case, "number=DIGITS step=TEXT", "record a step of a case"},
      {"submit_complaint", true, kKiosk, &Engine::submit_complaint, "kind=unresolved|complaint|suggestion [text=TEXT] [phrases=[..]] [phone=DIGITS] [category=CODE] [channel=..]", "“办不成事”反映, 投诉, 建议"},
      {"answer_complaint", true, kGateway, &Engine::answer_complaint, "id=ID answer=TEXT", "answer a complaint"},
      {"post_announcement", true, kGateway, &Engine::post_announcement, "text=TEXT [until_ms=MS]", "show an announcement on the screens"},
      {"remove_announcement", true, kGateway, &Engine::remove_announcement, "id=ID", "take an announcement down"},
      {"report_device", true, kKiosk | kEvaluator | kConsole | kDisplay | kGateway, &Engine::report_device,
       "device=ID kind=kiosk|evaluator|counter|display|relay|gateway [storage=ok|full] [detail=TEXT] [window=N] [program=NAME] [version=V] [page=NAME] [idle_ms=MS] [paper=ok|low|out] [screenshots=0|1]",
       "a screen program reports who it is, what it shows and its health"},
      {"request_screenshot", true, kGateway, &Engine::request_screenshot, "device=ID", "ask one screen for a picture of what it shows"},
      {"put_screenshot", true, kKiosk | kEvaluator | kConsole | kDisplay, &Engine::put_screenshot,
       "device=ID asked_ms=MS part=I parts=N data=BASE64 [window=N]", "a screen sends the picture it was asked for, in parts"},
      {"book", true, kKiosk | kGateway, &Engine::book, "category=CODE|item=CODE day=YYYY-MM-DD slot=HH:MM phone=MOBILE [id_number=ID] [channel=kiosk|web|desk]",
       "book a slot (预约)"},
      {"cancel_booking", true, kKiosk | kGateway, &Engine::cancel_booking, "code=DIGITS [phone=MOBILE]", "cancel a booking before its deadline (the web sends the number it was booked with)"},
      {"check_in", true, kKiosk | kConsole, &Engine::check_in, "code=DIGITS", "check a booking in: its ticket (appointment lane when on time)"},
      {"ask_help", true, kKiosk | kEvaluator, &Engine::ask_help, "device=ID [place=TEXT] [page=NAME]",
       "a citizen asks for a person (帮办); the same screen's open request is answered again, not doubled"},
      {"cancel_help", true, kKiosk | kEvaluator, &Engine::cancel_help, "id=ID", "the citizen no longer needs the help asked for"},
      {"take_help", true, kWindowSide | kGateway, &Engine::take_help, "id=ID by=NAME", "a staff member is on the way (the kiosk shows it)"},
      {"close_help", true, kWindowSide | kGateway, &Engine::close_help, "id=ID [by=NAME]", "the citizen has been helped"},
      {"slots", false, kEveryRole, nullptr, "category=CODE|item=CODE day=YYYY-MM-DD", "a day's slots with free places (预约)"},
      {"booking", false, kKiosk | kGateway | kConsole | kAdmin, nullptr, "code=DIGITS", "one booking and where its holder stands now"},
      {"lookup_case", false, kEveryRole, nullptr, "number=DIGITS", "a case's progress (办件查询)"},
      {"snapshot", false, kEveryRole, nullptr, "", "the whole public state"},
      {"contact", false, kAdmin | kGateway, nullptr, "complaint=ID", "the phone number a complaint left (private)"},
      {"ticket_by_token", false, kGateway, nullptr, "token=HEX", "the ticket of today a phone's link names"},
      {"screenshot", false, kGateway, nullptr, "device=ID", "a screen's last picture (base64 PNG)"},
      {"stats", false, kEveryRole, nullptr, "", "the live figures"},
      {"get", false, kEveryRole, nullptr, "key=KEY", "one entity"},
      {"ping", false, kEveryRole, nullptr, "", "epoch, seq and hall time"},
  };
  return table;
}

const CommandSpec* find_command(const std::string& name) {
  static const std::map<std::string, const CommandSpec*> by_name = [] {
    std::map<std::string, const CommandSpec*> m;
    for (const auto& c : commands()) m[c.name] = &c;
    return m;
  }();
  auto it = by_name.find(name);
  return it == by_name.end() ? nullptr : it->second;
}

const ArgSpec* find_arg(const std::string& name) {
  static const std::map<std::string, ArgSpec> args = [] {
    std::map<std::string, ArgSpec> m;
    for (const char* n : {"window", "to_window"}) m[n] = {n, ArgKind::Integer, 1, INT_MAX};
    m["level"] = {"level", ArgKind::Integer, kLevelMin, kLevelMax};  // 非常不满意 … 非常满意
    for (const char* n : {"until_ms", "idle_ms", "asked_ms"}) m[n] = {n, ArgKind::Integer, 0, INT64_MAX};
    m["screenshots"] = {"screenshots", ArgKind::Integer, 0, 1};
    m["part"] = {"part", ArgKind::Integer, 0, 1000};
    m["parts"] = {"parts", ArgKind::Integer, 1, 1000};
    for (const char* n : {"reasons", "phrases"}) m[n] = {n, ArgKind::TextList};
    for (const char* n : {"category", "item", "lane", "ticket", "to_category", "reason", "staff", "pin", "comment", "channel",
                          "case", "rating", "to", "note", "applicant", "number", "accepted_day", "step", "kind", "text", "phone",
                          "id", "answer", "key", "complaint", "device", "storage", "detail", "program", "version",
                          "page", "paper", "data", "day", "slot", "id_number", "code"})
      m[n] = {n, ArgKind::Text};
    return m;
  }();
  auto it = args.find(name);
  return it == args.end() ? nullptr : &it->second;
}

int64_t checked_integer(const json& v, const std::string& name, int64_t lo, int64_t hi) {
  auto refuse = [&](const std::string& what) { throw BusError(err::kInvalidArgument, "argument '" + name + "' " + what); };
  if (!v.is_number_integer()) refuse("must be an integer");
  bool fits = v.is_number_unsigned() ? v.get<uint64_t>() <= uint64_t(hi) && (lo <= 0 || v.get<uint64_t>() >= uint64_t(lo))
                                     : v.get<int64_t>() >= lo && v.get<int64_t>() <= hi;
  if (!fits) refuse("must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  return v.get<int64_t>();
}

void check_arg_types(const json& args) {
  for (auto it = args.begin(); it != args.end(); ++it) {
    const std::string name = it.key();  // a copy, not a structured binding: lambdas below capture it
    const json& v = it.value();
    const ArgSpec* a = find_arg(name);
    if (!a || v.is_null()) continue;
    auto refuse = [&](const std::string& what) { throw BusError(err::kInvalidArgument, "argument '" + name + "' " + what); };
    switch (a->kind) {
      case ArgKind::Integer:
        checked_integer(v, name, a->min, a->max);
        break;
      case ArgKind::Text:  // digits may come as a non-negative integer (a PIN, a case number)
        if (!v.is_string() && !v.is_number_unsigned()) refuse("must be a string");
        break;
      case ArgKind::TextList:
        if (!v.is_array()) refuse("must be a list of texts");
        for (const auto& item : v)
          if (!item.is_string()) refuse("must be a list of texts");
        break;
    }
  }
}

}  // namespace hall
