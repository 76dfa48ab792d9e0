// The hall's rules, tested on the engine directly (no sockets, no database).
#include <doctest/doctest.h>

#include <filesystem>
#include <functional>
#include <optional>

#include "hall/engine.h"
#include "shared/county_stats.h"
#include "shared/privacy.h"
#include "shared/report.h"
#include "shared/stats.h"
#include "shared/ticket_token.h"
#include "tests/support.h"

using namespace hall;

namespace {

const int64_t kMinute = 60'000;

// 2026-11-23 (a Monday) 09:00 in China.
int64_t monday_9am() { return parse_local_datetime("2026-11-23T09:00", 480); }

struct Hall {
  HallState state;
  HallClock clock = HallClock::manual(monday_9am());
  Engine engine{state, clock};
  HallConfig config;
  explicit Hall(const std::function<void(json&)>& tweak = {}) {
    auto dir = test::temp_dir("rules");
    json c = test::test_hall_config(dir + "/hall.db", 1, 2);
    if (tweak) tweak(c);
    auto path = test::write_file(dir + "/hall.json", c.dump());
    config = load_hall_config(path);
    engine.configure(config);
    engine.roll_over_if_new_day();
    engine.take_changes();
  }
  json run(const std::string& cmd, json args = json::object()) { return engine.execute(cmd, args); }
  std::string code_of(const std::string& cmd, json args) {
    try {
      engine.execute(cmd, args);
    } catch (const BusError& e) {
      return e.code;
    }
    return "ok";
  }
  std::string take(const std::string& category, const std::string& lane = "normal") {
    return run("take_ticket", {{"category", category}, {"lane", lane}})["ticket"]["number"];
  }
  std::string call(int window) { return run("call_next", {{"window", window}})["ticket"]["number"]; }
};

}  // namespace

TEST_CASE("working days skip weekends and holidays and count make-up days") {
  WorkCalendar cal = load_calendar(std::string(HALL_ASSETS_DIR) + "/calendar.json");
  auto d = [](const char* s) { return *parse_day(s); };
  CHECK(cal.is_working_day(d("2026-11-23")));        // Monday
  CHECK_FALSE(cal.is_working_day(d("2026-11-22")));  // Sunday
  CHECK_FALSE(cal.is_working_day(d("2026-10-01")));  // 国庆节
  CHECK(cal.is_working_day(d("2026-10-10")));        // Saturday, 调休上班
  CHECK(cal.is_working_day(d("2026-09-20")));        // Sunday, 调休上班
  // Accepted Friday 2026-09-18 with 5 working days: Sun 9-20 works, then 21, 22, 23, 24; 25-27 中秋.
  CHECK(format_day(cal.add_working_days(d("2026-09-18"), 5)) == "2026-09-24");
  // Across National Day: 9-30 + 2 → 10-08 (10-01..07 off), 10-09.
  CHECK(format_day(cal.add_working_days(d("2026-09-30"), 2)) == "2026-10-09");
  CHECK(cal.working_days_between(d("2026-09-30"), d("2026-10-10")) == 3);  // 10-08, 10-09, 10-10
  CHECK(cal.working_days_between(d("2026-11-23"), d("2026-11-23")) == 0);
  CHECK(format_day(cal.add_working_days(d("2026-02-13"), 1)) == "2026-02-14");  // 春节前调休 Saturday
}

TEST_CASE("a calendar with a bad date is refused with the date named") {
  CHECK_THROWS_WITH_AS(WorkCalendar::from_json(json{{"holidays", {"2026-13-01"}}}),
                       doctest::Contains("2026-13-01"), std::runtime_error);
  CHECK_THROWS_WITH_AS(WorkCalendar::from_json(json{{"holidays", {"2026-10-10"}}, {"workdays", {"2026-10-10"}}}),
                       doctest::Contains("both"), std::runtime_error);
}

TEST_CASE("tickets are numbered per prefix and start again at 001 each day") {
  Hall h;
  CHECK(h.take("company") == "A001");
  CHECK(h.take("company") == "A002");
  CHECK(h.take("realestate") == "B001");
  CHECK(h.take("company") == "A003");
  h.clock.advance(24 * 60 * kMinute);  // Tuesday
  CHECK(h.engine.roll_over_if_new_day());
  CHECK(h.state.hall.day == "2026-11-24");
  CHECK(h.take("company") == "A001");
  CHECK(h.state.tickets.size() == 1);                      // Monday's tickets left the live state…
  CHECK(h.engine.take_archived().size() == 4);             // …into the archive
  CHECK(h.state.daystats.at("2026-11-23").issued == 4);    // and Monday's figures were kept
}

TEST_CASE("call next takes priority lanes first — then transferred tickets — then first come first served") {
  Hall h;
  h.run("open_window", {{"window", 1}, {"staff", "S1"}});
  h.run("open_window", {{"window", 4}, {"staff", "S4"}});
  std::string a1 = h.take("company");
  h.clock.advance(kMinute);
  std::string a2 = h.take("company");
  h.clock.advance(kMinute);
  std::string green = h.take("company", "green");
  CHECK(h.call(1) == green);
  // Window 1 transfers the green ticket back to window 4 only.
  h.run("transfer", {{"window", 1}, {"to_window", 4}, {"reason", "需补充材料"}});
  CHECK(h.call(1) == a1);  // the ticket was transferred to window 4, so window 1 does not see it
  h.run("finish", {{"window", 1}});
  CHECK(h.call(4) == green);
  h.run("finish", {{"window", 4}});
  CHECK(h.call(4) == a2);
  CHECK(h.code_of("call_next", {{"window", 4}}) == err::kWindowBusy);
  h.run("finish", {{"window", 4}});
  CHECK(h.code_of("call_next", {{"window", 4}}) == err::kQueueEmpty);
}

TEST_CASE("a transferred ticket goes ahead of tickets that have not been called yet") {
  Hall h;
  h.run("open_window", {{"window", 3}, {"staff", "S3"}});
  h.run("open_window", {{"window", 2}, {"staff", "S2"}});
  std::string c1 = h.take("tax");
  h.clock.advance(kMinute);
  std::string b1 = h.take("realestate");
  h.clock.advance(kMinute);
  std::string b2 = h.take("realestate");
  CHECK(h.call(3) == c1);
  h.run("transfer", {{"window", 3}, {"to_category", "realestate"}});
  CHECK(h.call(2) == c1);  // ahead of B001 and B002
  CHECK(h.state.tickets.at(ticket_key("2026-11-23", c1)).category == "realestate");
  h.run("finish", {{"window", 2}});
  CHECK(h.call(2) == b1);
  (void)b2;
}

TEST_CASE("window commands are refused with typed errors and change nothing") {
  Hall h;
  json before = h.state.entities();
  CHECK(h.code_of("call_next", {{"window", 99}}) == err::kUnknownWindow);
  CHECK(h.code_of("call_next", {{"window", 1}}) == err::kWindowNotOpen);
  CHECK(h.code_of("call_next", {{"window", "one"}}) == err::kInvalidArgument);
  CHECK(h.code_of("take_ticket", {{"category", "nope"}}) == err::kUnknownCategory);
  CHECK(h.code_of("take_ticket", {{"category", "tax"}, {"lane", "green"}}) == err::kLaneNotOffered);
  CHECK(h.code_of("finish", {{"window", 1}}) == err::kNoTicketInHand);
  CHECK(h.code_of("resume_window", {{"window", 1}}) == err::kBadTransition);
  CHECK(h.code_of("open_window", {{"window", 1}, {"staff", "nobody"}}) == err::kUnknownStaff);
  CHECK(h.code_of("rate", {{"ticket", "A001"}, {"level", 5}}) == err::kUnknownTicket);
  CHECK(h.engine.take_changes().empty());
  CHECK(json(h.state.entities()) == before);
}

TEST_CASE("finishing a ticket twice is refused as already finished") {
  Hall h;
  h.run("open_window", {{"window", 1}, {"staff", "S1"}});
  std::string a = h.take("company");
  h.call(1);
  h.run("finish", {{"window", 1}, {"ticket", a}});
  CHECK(h.code_of("finish", {{"window", 1}, {"ticket", a}}) == err::kTicketFinished);
}

TEST_CASE("skip marks a no-show and recall re-announces the same ticket") {
  Hall h;
  h.run("open_window", {{"window", 1}, {"staff", "S1"}});
  std::string a = h.take("company");
  h.call(1);
  h.run("recall", {{"window", 1}});
  REQUIRE(h.state.calls.size() == 2);
  CHECK(h.state.calls.front().recall);
  CHECK(h.state.calls.front().number == a);
  h.run("skip", {{"window", 1}});
  CHECK(h.state.tickets.begin()->second.state == TicketState::NoShow);
  CHECK(h.state.windows.at(1).ticket.empty());
}

TEST_CASE("one rating per visit — attributed to the window — staff and department that served it") {
  Hall h;
  h.run("open_window", {{"window", 1}, {"staff", "S1"}});
  std::string a = h.take("company");
  CHECK(h.code_of("rate", {{"ticket", a}, {"level", 5}}) == err::kNotRatable);  // not served yet
  h.call(1);
  h.run("finish", {{"window", 1}});
  CHECK(h.code_of("rate", {{"ticket", a}, {"level", 5}, {"window", 2}}) == err::kNotRatable);  // another window's evaluator
  CHECK(h.code_of("rate", {{"ticket", a}, {"level", 0}}) == err::kInvalidArgument);
  json r = h.run("rate", {{"ticket", a}, {"level", 2}, {"reasons", {"等候时间长"}}, {"channel", "evaluator"}});
  CHECK(r["rating"]["window"] == 1);
  CHECK(r["rating"]["staff_id"] == "S1");
  CHECK(r["rating"]["department"] == "市场监管局");
  CHECK(r["followup"]["due_day"] == "2026-11-30");  // Monday + 5 working days
  CHECK(h.code_of("rate", {{"ticket", a}, {"level", 5}}) == err::kAlreadyRated);
  HallStats st = compute_stats(h.state, h.clock.now_ms());
  CHECK(st.hall_today.total == 1);
  CHECK(st.hall_today.bad == 1);
  CHECK(st.window_today.at(1).good_rate() == 0.0);
  CHECK(st.followups.open == 1);
  h.run("advance_followup", {{"rating", "T/" + ticket_key("2026-11-23", a)}, {"note", "已电话回访"}});
  CHECK(h.code_of("advance_followup", {{"rating", "T/" + ticket_key("2026-11-23", a)}, {"to", "called_back"}}) == err::kBadTransition);
  h.run("advance_followup", {{"rating", "T/" + ticket_key("2026-11-23", a)}, {"to", "closed"}});
  st = compute_stats(h.state, h.clock.now_ms());
  CHECK(st.followups.closed == 1);
  CHECK(st.followups.closed_rate == doctest::Approx(1.0));
}

TEST_CASE("好评率 counts 基本满意 and better as good") {
  Score s;
  for (int level : {5, 4, 3, 2, 1}) s.add(level);
  CHECK(s.total == 5);
  CHECK(s.good == 3);
  CHECK(s.bad == 2);
  CHECK(s.good_rate() == doctest::Approx(0.6));
}

TEST_CASE("wait and service statistics: mean — 90th percentile and the estimate for a new ticket") {
  Hall h;
  h.run("open_window", {{"window", 2}, {"staff", "S2"}});
  for (int i = 0; i < 10; ++i) h.take("realestate");
  // Serve the ten in order; the k-th waits k minutes and is served for 2 minutes.
  for (int i = 0; i < 10; ++i) {
    h.clock.advance(kMinute);
    h.call(2);
    h.clock.advance(2 * kMinute);
    h.run("finish", {{"window", 2}});
    h.clock.advance(-2 * kMinute);
  }
  h.take("realestate");
  h.take("realestate");
  HallStats st = compute_stats(h.state, h.clock.now_ms());
  const QueueFigures* q = nullptr;
  for (const auto& f : st.queues)
    if (f.code == "realestate") q = &f;
  REQUIRE(q);
  CHECK(q->waiting == 2);
  CHECK(q->open_windows == 1);
  CHECK(q->mean_wait_ms == 55 * kMinute / 10);  // 1..10 minutes
  CHECK(q->p90_wait_ms == 9 * kMinute);
  CHECK(q->mean_service_ms == 2 * kMinute);
  CHECK(q->estimated_wait_ms == 2 * 2 * kMinute);  // two waiting, one window, 2 minutes each
  CHECK(st.today.served == 10);
  CHECK(percentile({}, 0.9) == 0);
}

TEST_CASE("cases: promised due date in working days — actual days — 压缩率 — 提前办结率 and overdue") {
  Hall h;
  // BDC002 二手房转移登记: legal 30, promised 3 working days.
  json early = h.run("accept_case", {{"item", "BDC002"}, {"applicant", "王小明"}, {"accepted_day", "2026-11-20"}});
  json late = h.run("accept_case", {{"item", "BDC002"}, {"applicant", "李四"}, {"accepted_day", "2026-11-13"}});
  json open_late = h.run("accept_case", {{"item", "BDC002"}, {"accepted_day", "2026-11-16"}});
  CHECK(early["case"]["applicant"] == "王*明");          // the full name never enters the state
  CHECK(early["case"]["due_day"] == "2026-11-25");       // Fri + 3 working days = Wed
  h.run("finish_case", {{"number", early["case"]["number"]}});
  h.run("finish_case", {{"number", late["case"]["number"]}});
  const Case& e = h.state.cases.at(early["case"]["number"]);
  CHECK(e.actual_days == 1);                              // Fri → Mon
  CHECK(h.state.cases.at(late["case"]["number"]).actual_days == 6);
  CHECK(h.code_of("finish_case", {{"number", early["case"]["number"]}}) == err::kCaseFinished);
  HallStats st = compute_stats(h.state, h.clock.now_ms());
  const ApprovalFigures& item = st.items.at("BDC002");
  CHECK(item.compression == doctest::Approx(27.0 / 30.0));
  CHECK(item.finished == 2);
  CHECK(item.early == 1);
  CHECK(item.early_rate == doctest::Approx(0.5));
  CHECK(item.mean_actual_days == doctest::Approx(3.5));
  CHECK(item.open == 1);
  CHECK(item.overdue == 1);                               // accepted 11-16, due 11-19, still open
  CHECK(st.departments.at("不动产登记中心").overdue == 1);
  json look = h.engine.lookup_case({{"number", open_late["case"]["number"]}});
  CHECK(look["overdue"] == true);
  CHECK(look["working_days_left"] == -2);                 // 11-20 and 11-23 past the due day
}

TEST_CASE("names are masked and long digit runs hidden") {
  CHECK(mask_name("张三明") == "张*明");
  CHECK(mask_name("张三") == "张*");
  CHECK(mask_name("欧阳娜娜") == "欧**娜");
  CHECK(mask_name("") == "");
  CHECK(mask_personal("电话13812345678") == "电话138****5678");
  CHECK(mask_personal("A023") == "A023");
}

TEST_CASE("a wrong configuration is refused naming the file — the key and the problem") {
  auto dir = test::temp_dir("config");
  json good = test::test_hall_config(dir + "/hall.db", 1, 2);
  auto expect = [&](json bad, const std::string& words) {
    auto path = test::write_file(dir + "/bad.json", bad.dump());
    CHECK_THROWS_WITH_AS(load_hall_config(path), doctest::Contains(words.c_str()), ConfigError);
  };
  json j = good;
  j["windows"][1]["categories"] = {"nosuch"};
  expect(j, "bad.json: windows[1].categories: unknown category 'nosuch'");
  j = good;
  j["hall"]["opens"] = "8 o'clock";
  expect(j, "hall.opens: must be HH:MM");
  j = good;
  j["categories"][1]["prefix"] = "A";
  expect(j, "categories[1].prefix: 'A' is used by another category");
  j = good;
  j["windows"][0]["number"] = "one";
  expect(j, "windows[0].number: has the wrong type");
  j = good;
  j["bus"]["commands"] = "localhost:5555";
  expect(j, "bus.commands: must be a ZeroMQ endpoint");
  j = good;
  j["bus"]["update_hwm"] = 5;
  expect(j, "bus.update_hwm: must be 10..1000000 updates, got 5");
  j = good;
  j["bus"]["update_sndbuf_kb"] = 4;
  expect(j, "bus.update_sndbuf_kb: must be 0 (the kernel's own) or 16..65536 KB, got 4");
  j = good;
  j["bus"]["update_sndbuf_kb"] = 0;
  CHECK(load_hall_config(test::write_file(dir + "/ok.json", j.dump())).bus.update_sndbuf_kb == 0);
  test::write_file(dir + "/broken.json", "{\"hall\": ");
  CHECK_THROWS_WITH_AS(load_hall_config(dir + "/broken.json"), doctest::Contains("broken.json: not valid JSON"), ConfigError);
}

TEST_CASE("complaints are checked and numbered per day and their phone numbers kept private") {
  Hall h;
  CHECK(h.code_of("submit_complaint", {{"kind", "praise"}, {"text", "x"}}) == err::kInvalidArgument);
  CHECK(h.code_of("submit_complaint", {{"kind", "complaint"}}) == err::kInvalidArgument);  // nothing said
  CHECK(h.code_of("submit_complaint", {{"kind", "complaint"}, {"text", "x"}, {"phone", "abc1234"}}) == err::kInvalidArgument);
  CHECK(h.code_of("submit_complaint", {{"kind", "complaint"}, {"phrases", "not a list"}}) == err::kInvalidArgument);
  json a = h.run("submit_complaint", {{"kind", "unresolved"}, {"phrases", {"在多个窗口之间来回跑"}}, {"phone", "13912345678"}})["complaint"];
  json b = h.run("submit_complaint", {{"kind", "suggestion"}, {"text", "增加座椅"}})["complaint"];
  CHECK(a["id"] == "2026-11-23-001");
  CHECK(b["id"] == "2026-11-23-002");
  CHECK(a["phone"] == "139****5678");
  CHECK(h.state.contacts.at("2026-11-23-001").phone == "13912345678");
  CHECK(h.state.contacts.count("2026-11-23-002") == 0);
  CHECK(is_private_key("contact/2026-11-23-001"));
  bool contact_public = false;
  for (auto& [key, value] : h.state.entities()) contact_public |= key.rfind("contact/", 0) == 0;
  CHECK_FALSE(contact_public);  // snapshots are built from entities()
  CHECK(h.code_of("answer_complaint", {{"id", "nope"}, {"answer", "x"}}) == err::kUnknownComplaint);
  h.run("answer_complaint", {{"id", "2026-11-23-001"}, {"answer", "已办结"}});
  CHECK(h.state.complaints.at("2026-11-23-001").state == ComplaintState::Answered);
}

TEST_CASE("a case records the steps done once each and finishing adds 办结") {
  Hall h;
  std::string number = h.run("accept_case", {{"item", "BDC002"}})["case"]["number"];
  h.run("advance_case", {{"number", number}, {"step", "审查"}});
  h.run("advance_case", {{"number", number}, {"step", "审查"}});  // a poll repeating itself
  h.run("advance_case", {{"number", number}, {"step", "决定"}});
  CHECK(h.code_of("advance_case", {{"number", number}, {"step", "办结"}}) == err::kInvalidArgument);
  h.run("finish_case", {{"number", number}});
  std::vector<std::string> steps;
  for (const auto& s : h.state.cases.at(number).steps) steps.push_back(s.name);
  CHECK(steps == std::vector<std::string>{"受理", "审查", "决定", "办结"});
  CHECK(h.code_of("advance_case", {{"number", number}, {"step", "送达"}}) == err::kCaseFinished);
  CHECK(h.code_of("advance_case", {{"number", "1"}, {"step", "审查"}}) == err::kUnknownCase);
}

TEST_CASE("policies come from their file and a bad one is refused naming the key") {
  Hall h;
  CHECK(h.state.policies.size() == 10);
  CHECK(h.state.policies.at("P001").department == "税务局");
  auto dir = test::temp_dir("policies");
  auto bad = test::write_file(dir + "/p.json", R"({"policies": [{"id": "X", "title": "t", "deadline": "2026-13-01"}]})");
  try {
    load_policies(bad);
    FAIL("accepted a bad deadline");
  } catch (const ConfigError& e) {
    CHECK(std::string(e.what()).find("policies[0].deadline") != std::string::npos);
  }
}

TEST_CASE("a ticket's phone link: an unguessable token in take_ticket's reply only, resolved for its own day and hall only") {
  Hall h;
  const std::string secret = new_ticket_secret();
  h.engine.set_ticket_links(secret, "http://192.168.1.10:8080");
  json taken = h.run("take_ticket", {{"category", "company"}});
  const std::string token = taken["token"];
  CHECK(looks_like_token(token));
  CHECK(taken["link"] == "http://192.168.1.10:8080/t/" + token);
  CHECK(token.find(taken["ticket"]["number"].get<std::string>()) == std::string::npos);
  CHECK(h.engine.ticket_by_token({{"token", token}})["ticket"] == taken["ticket"]["key"]);
  // Not on the bus: no entity carries it.
  for (const auto& [key, value] : h.state.entities()) CHECK(value.dump().find(token) == std::string::npos);
  // Another ticket has another token; another hall's secret or id gives other tokens.
  json other = h.run("take_ticket", {{"category", "company"}});
  CHECK(other["token"] != token);
  CHECK(ticket_token(secret, "another-hall", taken["ticket"]["key"]) != token);
  CHECK(ticket_token(new_ticket_secret(), h.state.hall.id, taken["ticket"]["key"]) != token);
  // Guessed, malformed, then the next day: refused with what is wrong.
  auto code = [&](const json& args) {
    try {
      h.engine.ticket_by_token(args);
    } catch (const BusError& e) {
      return e.code;
    }
    return std::string("ok");
  };
  std::string guessed = token;
  guessed[0] = guessed[0] == '0' ? '1' : '0';
  CHECK(code({{"token", guessed}}) == err::kUnknownToken);
  CHECK(code({{"token", "2026-11-23/A001"}}) == err::kInvalidArgument);
  CHECK(code(json::object()) == err::kInvalidArgument);
  h.clock.advance(24 * 60 * kMinute);
  REQUIRE(h.engine.roll_over_if_new_day());
  CHECK(code({{"token", token}}) == err::kUnknownToken);  // the link ended with its day
}

TEST_CASE("a ticket's place on its phone page: calling order (priority lanes, transfers, then first come), the board's wait estimate") {
  Hall h;
  h.run("open_window", {{"window", 1}, {"staff", "S1"}});
  std::string a1 = h.take("company"), a2 = h.take("company"), a3 = h.take("company", "green"), a4 = h.take("company");
  QueueDigest d = digest_queues(h.state);
  auto place = [&](const std::string& number) { return ticket_progress(h.state, d, h.state.hall.day + "/" + number); };
  CHECK(place(a3).ahead == 0);  // a priority lane (绿色通道) is called first
  CHECK(place(a1).ahead == 1);
  CHECK(place(a2).ahead == 2);
  CHECK(place(a4).ahead == 3);
  // The board's figure for the same number of people ahead.
  HallStats st = compute_stats(h.state, h.clock.now_ms());
  const QueueFigures& company = st.queues.front();
  REQUIRE(company.code == "company");
  CHECK(place(a4).estimated_wait_ms > 0);
  CHECK(place(a4).estimated_wait_ms * company.waiting == company.estimated_wait_ms * 3);  // estimate(n) is linear in n
  CHECK(place(a3).estimated_wait_ms == 0);
  // Called: a window, no place; an unknown key: not found.
  CHECK(h.call(1) == a3);
  d = digest_queues(h.state);
  TicketProgress called = place(a3);
  CHECK(called.state == TicketState::Called);
  CHECK(called.window == 1);
  CHECK(place(a1).ahead == 0);
  CHECK_FALSE(ticket_progress(h.state, d, "2026-11-23/Z999").found);
}

TEST_CASE("tickets from phones: a share of each category's day while open, one open ticket per number, the number private and gone at day end") {
  Hall h([](json& c) { c["web"] = {{"public_url", "http://127.0.0.1:8080"}, {"remote", {{"share", 0.05}, {"stop_before_close_min", 30}}}}; });
  h.engine.set_ticket_links(new_ticket_secret(), "http://127.0.0.1:8080");
  // tax: windows 3 and 4, 600 s a visit, 08:30–17:30: 54 visits a window, 108 a day; 5 % of that is 5.
  RemoteOffer offer = remote_offer(h.state, "tax", h.clock.now_ms());
  CHECK(offer.allowed);
  CHECK(offer.quota == 5);
  std::vector<std::string> numbers;
  for (int i = 0; i < 5; ++i) {
    json got = h.run("take_remote_ticket", {{"category", "tax"}, {"phone", "1390000000" + std::to_string(i)}});
    CHECK(got["ticket"]["remote"] == true);
    CHECK(got["link"].get<std::string>().rfind("http://127.0.0.1:8080/t/", 0) == 0);
    numbers.push_back(got["ticket"]["number"]);
  }
  CHECK(h.code_of("take_remote_ticket", {{"category", "tax"}, {"phone", "13900000009"}}) == err::kRemoteRefused);
  CHECK(remote_offer(h.state, "tax", h.clock.now_ms()).why_not == "full");
  CHECK(h.take("tax") == "C006");  // the kiosk serves people who come
  // One open ticket per number, in any category; served, the number may take another.
  CHECK(h.code_of("take_remote_ticket", {{"category", "company"}, {"phone", "13900000000"}}) == err::kRemoteTicketOpen);
  h.run("open_window", {{"window", 3}});
  CHECK(h.call(3) == numbers[0]);
  h.run("finish", {{"window", 3}});
  CHECK(h.code_of("take_remote_ticket", {{"category", "company"}, {"phone", "13900000000"}}) == "ok");
  // Not a mobile number, no such category: refused, nothing taken.
  const size_t tickets = h.state.tickets.size();
  CHECK(h.code_of("take_remote_ticket", {{"category", "company"}, {"phone", "0571888812"}}) == err::kInvalidArgument);
  CHECK(h.code_of("take_remote_ticket", {{"category", "company"}, {"phone", "23900000001"}}) == err::kInvalidArgument);
  CHECK(h.code_of("take_remote_ticket", {{"category", "nosuch"}, {"phone", "13900000001"}}) == err::kUnknownCategory);
  CHECK(h.state.tickets.size() == tickets);
  // The numbers stay private: no public entity holds one.
  for (const auto& [key, value] : h.state.entities()) CHECK(value.dump().find("1390000000") == std::string::npos);
  CHECK(h.state.contacts.size() == 6);
  // Near closing and after it: none.
  h.clock.advance(8 * 60 * kMinute + 10 * kMinute);  // 17:10
  CHECK(remote_offer(h.state, "company", h.clock.now_ms()).why_not == "closing");
  CHECK(h.code_of("take_remote_ticket", {{"category", "company"}, {"phone", "13900000007"}}) == err::kRemoteRefused);
  h.clock.advance(30 * kMinute);  // 17:40
  CHECK(remote_offer(h.state, "company", h.clock.now_ms()).why_not == "closed");
  // The next day the numbers are gone.
  h.clock.advance(16 * 60 * kMinute);
  h.engine.roll_over_if_new_day();
  CHECK(h.state.contacts.empty());
  // A hall without web.remote offers none.
  Hall plain;
  plain.engine.set_ticket_links(new_ticket_secret(), "http://127.0.0.1:8080");
  CHECK(remote_offer(plain.state, "tax", plain.clock.now_ms()).why_not == "off");
  CHECK(plain.code_of("take_remote_ticket", {{"category", "tax"}, {"phone", "13900000001"}}) == err::kRemoteRefused);
}

TEST_CASE("a remote-ticket config over one half, or without a public address, is refused naming the key") {
  for (auto [remote, fragment] : {std::pair(json{{"share", 0.8}}, "web.remote.share"), std::pair(json{{"share", 0}}, "web.remote.share"),
                                  std::pair(json{{"share", 0.1}, {"stop_before_close_min", 500}}, "web.remote.stop_before_close_min")}) {
    auto dir = test::temp_dir("remote-config");
    json c = test::test_hall_config(dir + "/hall.db", 1, 2);
    c["web"] = {{"public_url", "http://127.0.0.1:8080"}, {"remote", remote}};
    try {
      load_hall_config(test::write_file(dir + "/hall.json", c.dump()));
      FAIL("accepted " << remote.dump());
    } catch (const ConfigError& e) {
      CHECK_MESSAGE(std::string(e.what()).find(fragment) != std::string::npos, e.what());
    }
  }
  auto dir = test::temp_dir("remote-config");
  json c = test::test_hall_config(dir + "/hall.db", 1, 2);
  c["web"] = {{"remote", {{"share", 0.1}}}};
  CHECK_THROWS_WITH_AS(load_hall_config(test::write_file(dir + "/hall.json", c.dump())), doctest::Contains("needs web.public_url"), ConfigError);
}

TEST_CASE("the report of a range: live ratings by window and staff, older days from their daystat, 差评 with their follow-up, cases finished in range") {
  Hall h([](json& c) { c["rating_keep_days"] = 2; });
  h.run("open_window", {{"window", 3}, {"staff", h.state.staff.begin()->first}});
  auto visit = [&](int level) {
    const std::string number = h.take("tax");
    h.call(3);
    h.run("finish", {{"window", 3}});
    json r = h.run("rate", {{"ticket", number}, {"level", level}});
    return r["rating"]["key"].get<std::string>();
  };
  visit(5);
  visit(4);
  const std::string bad = visit(1);
  h.run("advance_followup", {{"rating", bad}, {"to", "closed"}, {"note", "已整改"}});
  json c = h.run("accept_case", {{"item", "BDC002"}, {"accepted_day", "2026-11-20"}});
  h.run("finish_case", {{"number", c["case"]["number"]}});
  h.run("accept_case", {{"item", "BDC002"}, {"accepted_day", "2026-11-16"}});  // open, past its due day

  HallReport r = hall_report(h.state, "2026-11-23", "2026-11-23", h.clock.now_ms());
  REQUIRE(r.days.size() == 1);
  CHECK(r.days[0].live);
  CHECK(r.total.issued == 3);
  CHECK(r.total.score.total == 3);
  CHECK(r.total.score.good_rate() == doctest::Approx(2.0 / 3.0));
  CHECK(r.windows.at(3).total == 3);
  CHECK(r.windows.at(3).bad == 1);
  CHECK(r.staff.begin()->second.total == 3);
  REQUIRE(r.bad.size() == 1);
  CHECK(r.bad[0].state == FollowUpState::Closed);
  CHECK(r.bad[0].last_note == "已整改");
  CHECK(r.followups.closed_rate == doctest::Approx(1.0));
  CHECK(r.approval.all.finished == 1);
  CHECK(r.approval.all.overdue == 1);
  // The same figures as the live ones.
  HallStats live = compute_stats(h.state, h.clock.now_ms());
  CHECK(r.total.score.good == live.hall_today.good);
  CHECK(r.windows.at(3).good == live.window_today.at(3).good);

  // Three days on, the ratings have left the live state (rating_keep_days 2):
  // the first day counts from its daystat, window figures only from the days still live.
  h.clock.advance(3 * 24 * 60 * kMinute);
  h.engine.roll_over_if_new_day();
  HallReport later = hall_report(h.state, "2026-11-23", "2026-11-26", h.clock.now_ms());
  CHECK(later.ratings_from == "2026-11-24");
  REQUIRE(later.days.size() == 2);  // 11-23 from its daystat, 11-26 live; no figures for the days between
  CHECK_FALSE(later.days[0].live);
  CHECK(later.days[0].score.total == 3);
  CHECK(later.days[0].score.good == 2);
  CHECK(later.total.score.total == 3);
  CHECK(later.windows.empty());
  CHECK(later.departments.at("税务局").total == 3);  // from the day's own department tally
  CHECK(later.approval.all.finished == 1);
  CHECK(hall_report(h.state, "2026-11-24", "2026-11-26", h.clock.now_ms()).approval.all.finished == 0);  // finished on 11-23: not in this range

  CHECK_THROWS_AS(hall_report(h.state, "2026-11-24", "2026-11-23", 0), std::invalid_argument);
  CHECK_THROWS_AS(hall_report(h.state, "2026-11-3", "2026-11-23", 0), std::invalid_argument);
  CHECK_THROWS_AS(hall_report(h.state, "2025-01-01", "2026-11-23", 0), std::invalid_argument);
}

namespace {
// A hall that books: 30-minute slots, half of each category's visits kept for walk-ins. company
// (windows 1 and 4, 600 s a visit) has 0.5 × 3 × 2 = 3 places a slot. 2026-11-25 is made a holiday
// and Saturday 2026-11-28 a make-up working day (调休).
void with_appointments(json& c) {
  auto dir = test::temp_dir("appointments");
  c["calendar"] = test::write_file(dir + "/calendar.json", R"({"holidays": ["2026-11-25"], "workdays": ["2026-11-28"]})");
  c["appointments"] = {{"days_ahead", 7},         {"slot_minutes", 30},         {"walk_in_share", 0.5}, {"early_minutes", 15},
                       {"late_minutes", 15},      {"cancel_before_minutes", 60}, {"release_before_minutes", 30},
                       {"no_show_limit", 2},      {"no_show_days", 30},         {"cool_down_days", 14}, {"promise_minutes", 10}};
}
}  // namespace

TEST_CASE("预约 rules: capacity with the walk-in share, the nearest free slots, one booking per person, working days and 调休") {
  Hall h(with_appointments);
  const int64_t now = h.clock.now_ms();  // Monday 2026-11-23 09:00
  CHECK(slot_capacity(h.state, "company") == 3);
  std::vector<Slot> today = day_slots(h.state, "company", "2026-11-23", now);
  REQUIRE(today.size() == 18);  // 08:30 … 17:00
  CHECK(today[1].slot == "09:00");
  CHECK(today[1].why_not == "past");
  CHECK(today[2].why_not == "released");  // 09:30 starts within 30 minutes: its places are the walk-ins'
  CHECK(today[3].open);
  std::string why;
  CHECK(day_slots(h.state, "company", "2026-11-25", now, &why).empty());
  CHECK(why == "not_a_working_day");  // the holiday
  CHECK(day_slots(h.state, "company", "2026-11-29", now, &why).empty());  // Sunday
  CHECK(day_slots(h.state, "company", "2026-11-28", now).size() == 18);   // the make-up Saturday
  CHECK(day_slots(h.state, "company", "2026-12-01", now, &why).empty());
  CHECK(why == "out_of_range");
  CHECK(day_slots(h.state, "tax", "2026-11-24", now, &why).empty());  // tax offers no appointment lane
  CHECK(h.code_of("book", {{"category", "tax"}, {"day", "2026-11-24"}, {"slot", "10:00"}, {"phone", "13900000001"}}) == err::kAppointmentsOff);

  for (int i = 1; i <= 3; ++i)
    CHECK(h.code_of("book", {{"category", "company"}, {"day", "2026-11-23"}, {"slot", "10:00"}, {"phone", "1390000000" + std::to_string(i)}}) == "ok");
  try {
    h.run("book", {{"category", "company"}, {"day", "2026-11-23"}, {"slot", "10:00"}, {"phone", "13900000009"}});
    FAIL("a fourth booking of a 3-place slot");
  } catch (const BusError& e) {
    CHECK(e.code == err::kSlotFull);
    CHECK(std::string(e.what()).find("nearest free: 10:30, 11:00") != std::string::npos);  // 09:30 is released, not free
  }
  CHECK(h.code_of("book", {{"category", "company"}, {"day", "2026-11-23"}, {"slot", "09:30"}, {"phone", "13900000009"}}) == err::kSlotClosed);
  CHECK(h.code_of("book", {{"category", "company"}, {"day", "2026-11-25"}, {"slot", "10:00"}, {"phone", "13900000009"}}) == err::kSlotClosed);
  CHECK(h.code_of("book", {{"category", "company"}, {"day", "2026-11-23"}, {"slot", "10:15"}, {"phone", "13900000009"}}) == err::kInvalidArgument);
  // One active booking per person per item per day, known by phone or by the ID number's hash.
  CHECK(h.code_of("book", {{"category", "company"}, {"day", "2026-11-23"}, {"slot", "11:00"}, {"phone", "13900000001"}}) == err::kBookingExists);
  CHECK(h.code_of("book", {{"category", "company"}, {"day", "2026-11-24"}, {"slot", "11:00"}, {"phone", "13900000001"},
                           {"id_number", "11010519491231002X"}}) == "ok");
  CHECK(h.code_of("book", {{"category", "company"}, {"day", "2026-11-24"}, {"slot", "14:00"}, {"phone", "13800000000"},
                           {"id_number", "11010519491231002X"}}) == err::kBookingExists);
  // Cancelled in time, the place is free again and it is never a no-show.
  json tomorrow = h.run("book", {{"category", "company"}, {"day", "2026-11-24"}, {"slot", "11:00"}, {"phone", "13900000002"}});
  CHECK(h.run("cancel_booking", {{"code", tomorrow["booking"]["code"]}})["booking"]["state"] == "cancelled");
  CHECK(h.code_of("cancel_booking", {{"code", tomorrow["booking"]["code"]}}) == err::kBadTransition);
  CHECK(day_slots(h.state, "company", "2026-11-24", now)[5].booked == 1);  // 11:00: only the first
  // Nothing personal on the bus: not the phone, not the ID number, not its hash.
  for (const auto& [key, value] : h.state.entities()) {
    CHECK(value.dump().find("1390000000") == std::string::npos);
    CHECK(value.dump().find("11010519491231002X") == std::string::npos);
  }
  for (const auto& [id, c] : h.state.contacts)
    if (!c.id_hash.empty()) CHECK(c.id_hash.find("110105") == std::string::npos);
  // Codes are 8 digits and all differ.
  std::set<std::string> codes;
  for (const auto& [code, b] : h.state.bookings) {
    CHECK(code.size() == 8);
    codes.insert(code);
  }
  CHECK(codes.size() == h.state.bookings.size());
}

TEST_CASE("预约 check-in: early refused, on time the appointment lane ahead of walk-ins, late the normal queue, no-show at slot end, cool-down, the promise figure") {
  Hall h(with_appointments);
  auto book = [&](const std::string& phone, const std::string& slot, const std::string& day = "2026-11-23") {
    return h.run("book", {{"category", "company"}, {"day", day}, {"slot", slot}, {"phone", phone}})["booking"]["code"].get<std::string>();
  };
  const std::string on_time = book("13900000001", "10:00"), late = book("13900000002", "10:00"), absent = book("13900000003", "10:00");
  const std::string walk_in = h.take("company");
  h.clock.advance(40 * kMinute);  // 09:40: check-in opens at 09:45
  CHECK(h.engine.booking({{"code", on_time}})["arrival"] == "early");
  try {
    h.run("check_in", {{"code", on_time}});
    FAIL("checked in early");
  } catch (const BusError& e) {
    CHECK(e.code == err::kTooEarly);
    CHECK(std::string(e.what()).find("09:45") != std::string::npos);
  }
  h.clock.advance(10 * kMinute);  // 09:50
  json in = h.run("check_in", {{"code", on_time}});
  CHECK(in["ticket"]["lane"] == "appointment");
  CHECK(in["ticket"]["booking"] == on_time);
  CHECK(in["late"] == false);
  CHECK(h.code_of("check_in", {{"code", on_time}}) == err::kBadTransition);  // once
  h.run("open_window", {{"window", 1}});
  h.clock.advance(15 * kMinute);  // 10:05
  CHECK(h.call(1) == in["ticket"]["number"].get<std::string>());  // before the walk-in who came at 09:00
  h.run("finish", {{"window", 1}});
  // Late: 10:20 is past the on-time window (10:15): the normal queue, behind the walk-in, and said so.
  h.clock.advance(15 * kMinute);
  CHECK(h.engine.booking({{"code", late}})["arrival"] == "late");
  json in_late = h.run("check_in", {{"code", late}});
  CHECK(in_late["ticket"]["lane"] == "normal");
  CHECK(in_late["late"] == true);
  CHECK(h.call(1) == walk_in);
  // The slot ends at 10:30: the one not checked in is a no-show, and cannot check in any more.
  h.clock.advance(11 * kMinute);
  h.engine.housekeep(h.clock.now_ms());
  CHECK(h.state.bookings.at(absent).state == BookingState::NoShow);
  CHECK(h.code_of("check_in", {{"code", absent}}) == err::kBookingMissed);
  // Too late to cancel: within 60 minutes of the slot.
  const std::string soon = book("13900000004", "11:30");
  CHECK(h.code_of("cancel_booking", {{"code", soon}}) == err::kTooLateToCancel);
  // The figures of the day: 4 booked, 2 checked in (1 on time, 1 late), 1 no-show; the promise kept for the one on time.
  HallStats st = compute_stats(h.state, h.clock.now_ms());
  CHECK(st.appointments.bookings == 4);
  CHECK(st.appointments.checked_in == 2);
  CHECK(st.appointments.on_time == 1);
  CHECK(st.appointments.late == 1);
  CHECK(st.appointments.no_show == 1);
  CHECK(st.appointments.no_show_rate == doctest::Approx(1.0 / 3.0));
  CHECK(st.appointments.promise_due == 1);
  CHECK(st.appointments.promise_kept == 1);
  CHECK(st.appointments_by_category.at("company").promise_rate == doctest::Approx(1.0));
  CHECK(to_json(st)["appointments"]["hall"]["no_show"] == 1);
  // The county carries the same figures for this hall (shared/county_stats).
  const CountyHall at_county = county_hall({"h1", "一厅", "township", "", h.clock.now_ms(), "", &h.state, &st}, h.clock.now_ms(), 60'000);
  CHECK(at_county.bookings_today == 4);
  CHECK(at_county.checked_in_today == 2);
  CHECK(at_county.no_show_today == 1);
  CHECK(at_county.promise_due == 1);
  CHECK(at_county.promise_kept == 1);
  // A second no-show by the same number within 30 days: no new booking for 14 days after the last.
  h.clock.advance(45 * kMinute);  // 11:16, and the 11:30 holder comes in time: not a no-show
  h.run("check_in", {{"code", soon}});
  const std::string again = book("13900000003", "14:00");
  h.clock.advance(4 * 60 * kMinute);  // 15:16: past the 14:00 slot's end
  h.engine.housekeep(h.clock.now_ms());
  CHECK(h.state.bookings.at(again).state == BookingState::NoShow);
  try {
    book("13900000003", "10:00", "2026-11-24");
    FAIL("booked during a cool-down");
  } catch (const BusError& e) {
    CHECK(e.code == err::kBookingCoolDown);
    CHECK(std::string(e.what()).find("from 2026-12-07") != std::string::npos);
  }
  CHECK(book("13900000001", "10:00", "2026-11-24").size() == 8);  // someone who kept theirs books as before
}

TEST_CASE("帮办: one request per screen, cancelled or taken then closed, the answer times as median and 90th percentile, an alert while it waits, gone at day end with its day's figures kept") {
  Hall h;
  json first = h.run("ask_help", {{"device", "kiosk-east"}, {"place", "东门自助区 1 号机"}, {"page", "categories"}});
  const std::string id = first["help"]["id"];
  CHECK(first["already"] == false);
  CHECK(first["help"]["state"] == "open");
  // A second tap from the same screen is the same request.
  json again = h.run("ask_help", {{"device", "kiosk-east"}, {"page", "home"}});
  CHECK(again["already"] == true);
  CHECK(again["help"]["id"] == id);
  CHECK(h.state.helps.size() == 1);
  // Waiting: an amber alert at first, red after two minutes untaken.
  auto alert = [&]() -> std::optional<HallAlert> {
    for (const HallAlert& a : hall_alerts(h.state, compute_stats(h.state, h.clock.now_ms()), h.clock.now_ms()))
      if (a.kind == "help" && a.subject == id) return a;
    return std::nullopt;
  };
  REQUIRE(alert());
  CHECK(alert()->text == "呼叫帮办：东门自助区 1 号机，已等 0 分钟");
  CHECK_FALSE(alert()->severe);
  h.clock.advance(2 * kMinute);
  CHECK(alert()->severe);
  CHECK(compute_stats(h.state, h.clock.now_ms()).help.longest_open_ms == 2 * kMinute);
  // Taken: the kiosk sees by whom; a second taker is refused and changes nothing.
  CHECK(h.run("take_help", {{"id", id}, {"by", "导服台 小李"}})["help"]["state"] == "taken");
  CHECK(h.code_of("take_help", {{"id", id}, {"by", "小王"}}) == err::kBadTransition);
  CHECK(h.state.helps.at(id).taken_by == "导服台 小李");
  CHECK(alert()->text == "帮办：东门自助区 1 号机，导服台 小李 已前往");
  CHECK(h.code_of("take_help", {{"id", "nope"}, {"by", "x"}}) == err::kUnknownHelp);
  CHECK(h.code_of("take_help", {{"id", id}}) == err::kInvalidArgument);  // who takes it is said
  h.clock.advance(3 * kMinute);
  CHECK(h.run("close_help", {{"id", id}})["help"]["state"] == "done");
  CHECK_FALSE(alert());
  CHECK(h.code_of("cancel_help", {{"id", id}}) == err::kBadTransition);
  // Now a new request from that screen is a new one. Four more: answered after 1, 3 and 10 minutes, one cancelled.
  std::vector<std::string> ids;
  for (const char* device : {"kiosk-east", "kiosk-west", "evaluator-5", "kiosk-north"}) ids.push_back(h.run("ask_help", {{"device", device}})["help"]["id"]);
  CHECK(ids[0] != id);
  h.clock.advance(kMinute);
  h.run("take_help", {{"id", ids[0]}, {"by", "S1"}});
  h.clock.advance(2 * kMinute);
  h.run("close_help", {{"id", ids[1]}, {"by", "S2"}});  // helped straight away, not marked taken first: answered at 3 minutes
  h.run("cancel_help", {{"id", ids[3]}});
  h.clock.advance(7 * kMinute);
  h.run("take_help", {{"id", ids[2]}, {"by", "S3"}});
  HallStats st = compute_stats(h.state, h.clock.now_ms());
  CHECK(st.help.asked == 5);
  CHECK(st.help.answered == 4);  // answers 2, 1, 3 and 10 minutes
  CHECK(st.help.cancelled == 1);
  CHECK(st.help.done == 2);
  CHECK(st.help.taken == 2);
  CHECK(st.help.open == 0);
  CHECK(st.help.answer_p50_ms == 2 * kMinute);
  CHECK(st.help.answer_p90_ms == 10 * kMinute);
  CHECK(to_json(st)["help"]["answer_p90_ms"] == 10 * kMinute);
  // The next day: the requests leave, the day's figures stay.
  h.clock.advance(24 * 60 * kMinute);
  REQUIRE(h.engine.roll_over_if_new_day());
  CHECK(h.state.helps.empty());
  const DayStat& monday = h.state.daystats.at("2026-11-23");
  CHECK(monday.help_asked == 5);
  CHECK(monday.help_answered == 4);
  CHECK(monday.help_answer_p90_ms == 10 * kMinute);
}
