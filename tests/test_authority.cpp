// The authority never lies: property tests that search for a refused command
// that changed something, or a change that memory holds and disk does not;
// strict input; no personal data anywhere on the bus.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <thread>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>

#include <zmq.hpp>

#include "hall/engine.h"
#include "shared/client.h"
#include "shared/privacy.h"
#include "tests/random_commands.h"
#include "tests/support.h"

using namespace hall;
namespace fs = std::filesystem;

namespace {

int64_t monday_9am() { return parse_local_datetime("2026-11-23T09:00", 480); }

uint64_t seed_from_env(uint64_t fallback) {
  const char* s = std::getenv("HALL_PROPERTY_SEED");
  return s ? std::strtoull(s, nullptr, 10) : fallback;
}

const HallConfig& small_hall() {
  static const HallConfig config = [] {
    auto dir = test::temp_dir("authority");
    json j = test::test_hall_config(dir + "/hall.db", 1, 2);
    j["web"] = {{"public_url", "http://127.0.0.1:8080"}, {"remote", {{"share", 0.5}}}};  // remote tickets reachable too
    j["appointments"] = {{"release_before_minutes", 0}, {"early_minutes", 60}, {"late_minutes", 20}};  // bookings checked in within a sequence
    return load_hall_config(test::write_file(dir + "/hall.json", j.dump()));
  }();
  return config;
}

// One run of a sequence on a fresh hall, in memory. `disk` receives what the
// engine says changed, as the server writes it; it must always equal memory.
// Returns the first broken promise, or nothing.
struct Outcome {
  std::optional<std::string> failure;
  int commands = 0, refused = 0;
  std::map<std::string, int> applied;  // per command, how often it went through
};

Outcome run_sequence(const std::vector<test::Step>& steps) {
  Outcome out;
  HallState live, disk;
  HallClock clock = HallClock::manual(monday_9am());
  Engine engine(live, clock);
  auto persist = [&] {
    for (const auto& key : engine.take_changes()) disk.apply(key, live.get(key));
    engine.take_archived();
  };
  engine.configure(small_hall());
  engine.set_ticket_links(std::string(64, 'a'), "http://127.0.0.1:8080");
  engine.roll_over_if_new_day();
  persist();
  for (size_t i = 0; i < steps.size(); ++i) {
    const auto& step = steps[i];
    clock.advance(step.advance_ms);
    if (engine.roll_over_if_new_day()) persist();
    const json before = test::changeable_state(live);
    bool refused = false;
    try {
      engine.execute(step.cmd, step.args);
    } catch (const BusError&) {
      refused = true;
    } catch (const std::exception& e) {
      out.failure = "step " + std::to_string(i) + ": an exception that is not a BusError escaped: " + e.what();
      return out;
    }
    ++out.commands;
    if (refused) {
      ++out.refused;
      if (test::changeable_state(live) != before) {
        out.failure = "step " + std::to_string(i) + ": a refused command changed the state";
        return out;
      }
      if (!engine.take_changes().empty()) {
        out.failure = "step " + std::to_string(i) + ": a refused command marked entities changed";
        return out;
      }
      continue;
    }
    ++out.applied[step.cmd];
    persist();
    if (test::changeable_state(disk) != test::changeable_state(live)) {
      out.failure = "step " + std::to_string(i) + ": memory holds a change that was never marked for disk";
      return out;
    }
  }
  return out;
}

// The shortest sub-sequence that still fails (greedy one-step removal).
std::vector<test::Step> shrink(std::vector<test::Step> steps) {
  bool smaller = true;
  while (smaller) {
    smaller = false;
    for (size_t i = 0; i < steps.size(); ++i) {
      auto fewer = steps;
      fewer.erase(fewer.begin() + long(i));
      if (run_sequence(fewer).failure) {
        steps = std::move(fewer);
        smaller = true;
        break;
      }
    }
  }
  return steps;
}

std::string describe(const std::vector<test::Step>& steps) {
  std::ostringstream o;
  for (const auto& s : steps) o << "  +" << s.advance_ms << " ms  " << s.cmd << " " << s.args.dump() << "\n";
  return o.str();
}

}  // namespace

TEST_CASE("random command sequences: a refused command changes nothing, and memory always equals what goes to disk") {
  const uint64_t seed = seed_from_env(20261201);
  // HALL_PROPERTY_SEQUENCES: fewer under the sanitizers (deploy/sanitize.sh), where each command costs ~20× more.
  const char* n_env = std::getenv("HALL_PROPERTY_SEQUENCES");
  const int sequences = n_env ? std::max(1, std::atoi(n_env)) : 2000, length = 60;
  int commands = 0, refused = 0;
  std::map<std::string, int> applied;
  test::CommandGenerator gen(seed);
  for (int n = 0; n < sequences; ++n) {
    // Generate against a hall that runs the sequence as it is built, so names exist.
    std::vector<test::Step> steps;
    HallState s;
    HallClock clock = HallClock::manual(monday_9am());
    Engine engine(s, clock);
    engine.configure(small_hall());
    engine.set_ticket_links(std::string(64, 'a'), "http://127.0.0.1:8080");
    engine.roll_over_if_new_day();
    for (int i = 0; i < length; ++i) {
      steps.push_back(gen.next(s));
      clock.advance(steps.back().advance_ms);
      engine.roll_over_if_new_day();
      try {
        engine.execute(steps.back().cmd, steps.back().args);
      } catch (const std::exception&) {
      }
    }
    Outcome o = run_sequence(steps);
    commands += o.commands;
    refused += o.refused;
    for (const auto& [cmd, k] : o.applied) applied[cmd] += k;
    if (o.failure) {
      auto shortest = shrink(steps);
      FAIL("seed " << seed << ", sequence " << n << ": " << *o.failure << "\nshortest failing sequence ("
                   << shortest.size() << " steps):\n" << describe(shortest) << "then: " << *run_sequence(shortest).failure);
    }
  }
  MESSAGE("property: " << sequences << " sequences, " << commands << " commands, " << refused << " refused (seed " << seed << ")");
  CHECK(refused > commands / 10);  // the generator does reach refusals…
  std::string never;
  for (const auto& c : hall::commands())  // …and every command also goes through
    if (c.mutating && applied[c.name] == 0) never += std::string(" ") + c.name;
  if (sequences >= 2000) CHECK_MESSAGE(never.empty(), "never applied:" << never);  // a shorter run may miss the rarest
  std::ostringstream mix;
  for (const auto& [cmd, k] : applied) mix << " " << cmd << "=" << k;
  MESSAGE("applied:" << mix.str());
}

// [SECTION] Through the real server ------------------------------------------

namespace {

struct Snapshot {
  uint64_t seq = 0;
  json entities;
};

Snapshot snapshot_of(HallClient& client) {
  Reply r = client.call("snapshot", json::object());
  REQUIRE_MESSAGE(r.ok, r.code << ": " << r.message);
  Snapshot s{r.result["seq"].get<uint64_t>(), json::object()};
  for (auto& e : r.result["entities"]) s.entities[e["key"].get<std::string>()] = e["value"];
  return s;
}

HallState state_of(const Snapshot& s) {
  HallState st;
  for (auto& [k, v] : s.entities.items()) st.apply(k, v);
  return st;
}

}  // namespace

TEST_CASE("through the real server: refused commands leave snapshot and seq as they were, and a server restarted on a copy of its database publishes the same snapshot") {
  const uint64_t seed = seed_from_env(7);
  auto dir = test::temp_dir("authority-live");
  test::ServerProcess server{dir};
  HallClient client{server.commands(), ClientOptions{5000, 2}};
  test::CommandGenerator gen(seed);
  Snapshot now = snapshot_of(client);
  int refused = 0, applied = 0;
  for (int i = 0; i < 400; ++i) {
    test::Step step = gen.next(state_of(now));
    Reply r = client.call(step.cmd, step.args);
    REQUIRE_MESSAGE(r.code != err::kTimeout, "the server stopped answering at " << step.cmd << " " << step.args.dump());
    Snapshot after = snapshot_of(client);
    if (!r.ok) {
      ++refused;
      INFO("seed " << seed << " step " << i << ": " << step.cmd << " " << step.args.dump() << " → " << r.code);
      REQUIRE(after.seq == now.seq);
      REQUIRE(after.entities == now.entities);
    } else {
      ++applied;
      CHECK(r.seq == after.seq);
    }
    now = std::move(after);
  }
  MESSAGE("live property: 400 commands through the bus, " << refused << " refused, " << applied << " applied (seed " << seed << ")");
  CHECK(applied > 20);
  // Private entities too: each complaint's contact, asked of both servers.
  auto contacts = [](HallClient& c, const Snapshot& s) {
    json out = json::object();
    for (auto& [k, v] : s.entities.items())
      if (k.rfind("complaint/", 0) == 0) out[k] = c.call("contact", {{"complaint", v["id"]}}).result;
    return out;
  };
  const json live_contacts = contacts(client, now);
  server.stop();
  auto copy = test::temp_dir("authority-copy");
  for (const char* suffix : {"", "-wal", "-shm"})
    if (fs::exists(server.database() + suffix)) fs::copy_file(server.database() + suffix, copy + "/hall.db" + suffix);
  test::ServerProcess second{copy};
  HallClient client2{second.commands(), ClientOptions{5000, 2}};
  Snapshot restarted = snapshot_of(client2);
  CHECK(restarted.seq == now.seq);
  CHECK(restarted.entities == now.entities);
  CHECK(contacts(client2, restarted) == live_contacts);
}

// [SECTION] Strict input -------------------------------------------------------

namespace {

// A raw DEALER: frames exactly as given, the reply as the server wrote it.
struct RawClient {
  zmq::context_t ctx{1};
  zmq::socket_t sock{ctx, zmq::socket_type::dealer};
  explicit RawClient(const std::string& ep) {
    sock.set(zmq::sockopt::linger, 0);
    sock.connect(ep);
  }
  json send(const std::string& frame) {
    sock.send(zmq::buffer(frame), zmq::send_flags::none);
    zmq::pollitem_t item{sock.handle(), 0, ZMQ_POLLIN, 0};
    REQUIRE(zmq::poll(&item, 1, std::chrono::milliseconds(5000)) == 1);
    zmq::message_t m;
    (void)sock.recv(m);
    return json::parse(m.to_string());
  }
};

std::string code_of(const json& reply) { return reply.value("ok", false) ? "ok" : reply["error"]["code"].get<std::string>(); }

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("a frame is exactly one JSON document: a NUL, a second document or trailing text is malformed and changes nothing") {
  auto dir = test::temp_dir("strict-frame");
  test::ServerProcess server{dir};
  RawClient raw{server.commands()};
  HallClient client{server.commands()};
  const std::string take = R"({"v":1,"id":"t","key":"k-frame-1","cmd":"take_ticket","args":{"category":"company"}})";
  Snapshot before = snapshot_of(client);
  CHECK(code_of(raw.send(take + std::string("\0garbage", 8))) == "malformed");
  CHECK(code_of(raw.send(take + std::string(1, '\0'))) == "malformed");
  CHECK(code_of(raw.send(take + " {}")) == "malformed");
  CHECK(code_of(raw.send(take + "x")) == "malformed");
  CHECK(code_of(raw.send(std::string("\0", 1) + take)) == "malformed");
  Snapshot after = snapshot_of(client);
  CHECK(after.seq == before.seq);
  CHECK(after.entities == before.entities);
  CHECK(code_of(raw.send(take + " \n\t")) == "ok");  // JSON whitespace after the document is still one document
}

TEST_CASE("integers are range-checked before use, enumerations checked against their lists, wrong types reported before any domain check") {
  auto dir = test::temp_dir("strict-args");
  test::ServerProcess server{dir};
  HallClient client{server.commands()};
  auto code = [&](const std::string& cmd, json args) {
    Reply r = client.call(cmd, args);
    INFO(cmd << " " << args.dump() << " → " << r.code << ": " << r.message);
    return r.ok ? std::string("ok") : r.code;
  };
  Snapshot before = snapshot_of(client);
  // 2^32 + 1 would be window 1 if truncated to 32 bits; it does not exist.
  CHECK(code("open_window", {{"window", 4294967297LL}}) == "invalid_argument");
  CHECK(code("open_window", {{"window", -1}}) == "invalid_argument");
  CHECK(code("open_window", {{"window", 0}}) == "invalid_argument");
  CHECK(code("open_window", {{"window", 1.0}}) == "invalid_argument");
  CHECK(code("open_window", {{"window", "1"}}) == "invalid_argument");
  CHECK(code("open_window", {{"window", std::numeric_limits<uint64_t>::max()}}) == "invalid_argument");
  CHECK(code("transfer", {{"window", 1}, {"to_window", 4294967298LL}}) == "invalid_argument");
  CHECK(code("rate", {{"ticket", "A001"}, {"level", 4294967301LL}}) == "invalid_argument");  // 5 in 32 bits
  CHECK(code("rate", {{"ticket", "A001"}, {"level", 0}}) == "invalid_argument");
  CHECK(code("rate", {{"ticket", "A001"}, {"level", 6}}) == "invalid_argument");
  CHECK(code("post_announcement", {{"text", "x"}, {"until_ms", -5}}) == "invalid_argument");
  // Enumerations: an unknown value is refused, never stored.
  CHECK(code("take_ticket", {{"category", "company"}, {"lane", "vip"}}) == "invalid_argument");
  CHECK(code("rate", {{"ticket", "A001"}, {"level", 5}, {"channel", "fax"}}) == "invalid_argument");
  CHECK(code("submit_complaint", {{"kind", "praise"}, {"text", "x"}}) == "invalid_argument");
  CHECK(code("submit_complaint", {{"kind", "complaint"}, {"text", "x"}, {"channel", "letter"}}) == "invalid_argument");
  CHECK(code("submit_complaint", {{"kind", "complaint"}, {"text", "x"}, {"category", "nosuch"}}) == "invalid_argument");
  // A wrong type is invalid_argument even when what it sits beside does not exist.
  CHECK(code("take_ticket", {{"category", "nosuch"}, {"lane", 5}}) == "invalid_argument");
  CHECK(code("take_ticket", {{"item", "X999"}, {"lane", json::array()}}) == "invalid_argument");
  CHECK(code("rate", {{"ticket", "Z999"}, {"level", 5}, {"window", "5"}}) == "invalid_argument");
  CHECK(code("transfer", {{"window", 99}, {"to_window", "two"}}) == "invalid_argument");
  CHECK(code("advance_followup", {{"rating", "T/none"}, {"to", 3}}) == "invalid_argument");
  CHECK(code("finish", {{"window", 1}, {"ticket", json::array({"A001"})}}) == "invalid_argument");
  CHECK(code("accept_case", {{"item", "X999"}, {"number", "12ab"}}) == "invalid_argument");
  Snapshot after = snapshot_of(client);
  CHECK(after.seq == before.seq);
  CHECK(after.entities == before.entities);
  // And the same arguments in range go through.
  CHECK(code("take_ticket", {{"category", "company"}, {"lane", "green"}}) == "ok");
  CHECK(code("open_window", {{"window", 1}}) == "ok");
}

TEST_CASE("text limits are bytes of UTF-8, and the boundary holds on both sides with multi-byte text") {
  auto dir = test::temp_dir("strict-limits");
  test::ServerProcess server{dir};
  HallClient client{server.commands()};
  RawClient raw{server.commands()};
  auto code = [&](const std::string& cmd, json args) {
    Reply r = client.call(cmd, args);
    return r.ok ? std::string("ok") : r.code;
  };
  const std::string hao = "好";  // 3 bytes
  // announcement text ≤ 1,000 bytes: 333 × 3 + 1 = 1000, one byte more is refused
  CHECK(code("post_announcement", {{"text", repeat(hao, 333) + "a"}}) == "ok");
  CHECK(code("post_announcement", {{"text", repeat(hao, 333) + "ab"}}) == "invalid_argument");
  CHECK(code("post_announcement", {{"text", repeat(hao, 334)}}) == "invalid_argument");  // 334 characters, 1002 bytes
  // complaint text ≤ 2,000 bytes; a phrase ≤ 200 bytes
  CHECK(code("submit_complaint", {{"kind", "suggestion"}, {"text", repeat(hao, 666) + "ab"}}) == "ok");
  CHECK(code("submit_complaint", {{"kind", "suggestion"}, {"text", repeat(hao, 667)}}) == "invalid_argument");
  CHECK(code("submit_complaint", {{"kind", "suggestion"}, {"phrases", {repeat(hao, 66) + "ab"}}}) == "ok");
  CHECK(code("submit_complaint", {{"kind", "suggestion"}, {"phrases", {repeat(hao, 67)}}}) == "invalid_argument");
  // case step ≤ 60 bytes
  std::string number = client.call("accept_case", {{"item", "SC001"}}).result["case"]["number"];
  CHECK(code("advance_case", {{"number", number}, {"step", repeat(hao, 20)}}) == "ok");
  CHECK(code("advance_case", {{"number", number}, {"step", repeat(hao, 20) + "a"}}) == "invalid_argument");
  // key ≤ 128 bytes: 42 × 3 + 2 = 128
  auto with_key = [](const std::string& key) {
    return json{{"v", 1}, {"id", "k"}, {"key", key}, {"cmd", "take_ticket"}, {"args", {{"category", "tax"}}}}.dump();
  };
  CHECK(code_of(raw.send(with_key(repeat("键", 42) + "ab"))) == "ok");
  CHECK(code_of(raw.send(with_key(repeat("键", 42) + "abc"))) == "malformed");
  CHECK(code_of(raw.send(with_key(repeat("键", 43)))) == "malformed");
}

// [SECTION] No personal data on the bus -----------------------------------------

namespace {

// Phone and ID numbers in the forms citizens write them, with what the bus may show.
const std::vector<std::pair<std::string, std::string>> kPersonal{
    {"13812345678", "138****5678"},
    {"138 1234 5678", "138 **** 5678"},
    {"138-1234-5678", "138-****-5678"},
    {"+86 139 8765 4321", "+86 1** **** 4321"},
    {"0571-88881234", "057*-****1234"},
    {"(0571)88881235", "(057*)****1235"},
    {"057188881236", "057*****1236"},
    {"88881237", "******37"},
    {"6688123", "*****23"},
    {"400-820-8820", "400-***-**20"},
    {"800 810 8888", "800 *** **88"},
    {"0571-88881238-8021", "057*-********-8021"},
    {"0571-88881239转8022", "057*-****1239转8022"},
    {"11010519491231002X", "110***********002X"},
    {"110105194912310021", "110***********0021"},
    {"１３９１２３４５６７８", "１３９****５６７８"},
};

std::string digits_only(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = s[i];
    if (c >= '0' && c <= '9') out += char(c);
    else if (c == 0xEF && i + 2 < s.size() && (unsigned char)s[i + 1] == 0xBC && (unsigned char)s[i + 2] >= 0x90 &&
             (unsigned char)s[i + 2] <= 0x99) {
      out += char('0' + ((unsigned char)s[i + 2] - 0x90));
      i += 2;
    } else if (c == 'X' || c == 'x') out += 'X';
    else if (c == '*') out += '*';
  }
  return out;
}

// Every string in a JSON value (keys too), to scan.
void strings_of(const json& j, std::vector<std::string>& out) {
  if (j.is_string()) out.push_back(j);
  else if (j.is_object()) for (auto& [k, v] : j.items()) { out.push_back(k); strings_of(v, out); }
  else if (j.is_array()) for (auto& v : j) strings_of(v, out);
}

}  // namespace

TEST_CASE("every common form of phone and ID number is masked, dates and short numbers are not") {
  for (const auto& [given, shown] : kPersonal) {
    CAPTURE(given);
    CHECK(mask_personal(given) == shown);
    CHECK(mask_personal("请打 " + given + " 联系") == "请打 " + shown + " 联系");
    CHECK_FALSE(holds_personal_number(mask_personal(given)));
  }
  CHECK(mask_personal("A023 号, 窗口 12, 3 个工作日") == "A023 号, 窗口 12, 3 个工作日");
  CHECK(mask_personal("2026-12-01 起, 2026.12.01 止") == "2026-12-01 起, 2026.12.01 止");
  CHECK(mask_personal("") == "");
  CHECK(mask_name("张三明") == "张*明");
}

TEST_CASE("after a simulated day with personal numbers in every free text, no update, snapshot, heartbeat, get or stats reply holds one unmasked") {
  auto dir = test::temp_dir("privacy-day");
  test::ServerProcess server{dir, {"--start", "2026-11-23T08:30", "--speed", "600"}};
  // Everything the bus publishes, as it arrives.
  std::vector<std::string> published;
  std::atomic<bool> listening{true};
  std::atomic<int> heartbeats{0};
  zmq::context_t ctx{1};
  std::thread listener([&] {
    zmq::socket_t sub(ctx, zmq::socket_type::sub);
    sub.set(zmq::sockopt::subscribe, "");
    sub.connect(server.updates());
    while (listening) {
      zmq::pollitem_t item{sub.handle(), 0, ZMQ_POLLIN, 0};
      if (zmq::poll(&item, 1, std::chrono::milliseconds(50)) <= 0) continue;
      zmq::message_t topic, body;
      (void)sub.recv(topic);
      (void)sub.recv(body);
      if (topic.to_string() == "heartbeat") ++heartbeats;
      published.push_back(body.to_string());
    }
  });
  HallClient client{server.commands(), ClientOptions{5000, 2}};
  REQUIRE(test::eventually([&] { return heartbeats > 0; }));  // subscribed
  auto must = [&](const std::string& cmd, json args) {
    Reply r = client.call(cmd, args);
    INFO(cmd << " " << args.dump() << " → " << r.code << ": " << r.message);
    REQUIRE(r.ok);
    return r.result;
  };
  // The citizen side and the staff side, each free text with a number in it.
  must("sign_in", {{"window", 1}, {"staff", "S1"}, {"pin", "1111"}});
  size_t k = 0;
  for (const auto& [number, _] : kPersonal) {
    must("take_ticket", {{"category", "company"}});
    must("call_next", {{"window", 1}});
    json t = must("finish", {{"window", 1}});
    must("rate", {{"ticket", t["ticket"]["key"]}, {"level", 1 + int(k % 2)}, {"comment", "回电 " + number},
                  {"reasons", {"电话" + number}}});
    must("advance_followup", {{"rating", "T/" + t["ticket"]["key"].get<std::string>()}, {"note", "已致电 " + number}});
    json c = must("submit_complaint", {{"kind", "unresolved"}, {"text", "我的电话 " + number}, {"phrases", {"号码" + number}},
                                       {"phone", "13900001111"}});
    must("answer_complaint", {{"id", c["complaint"]["id"]}, {"answer", "已回复至 " + number}});
    must("post_announcement", {{"text", "咨询电话 " + number}});
    json cs = must("accept_case", {{"item", "SC001"}, {"applicant", "王" + number}});
    must("advance_case", {{"number", cs["case"]["number"]}, {"step", "审查" + number}});
    must("pause_window", {{"window", 1}, {"reason", "回电 " + number}});
    must("resume_window", {{"window", 1}});
    ++k;
  }
  // A stretch of an ordinary day around it.
  auto sim = test::run_program({HALL_SIM_BIN, "--commands", server.commands(), "--updates", server.updates(), "--minutes", "0.1",
                                "--visitors", "400", "--quiet"}, 30000);
  CHECK(sim.status == 0);
  // Everything a client can ask: the snapshot, every entity by get, the stats.
  std::vector<std::string> replies;
  Reply snap = client.call("snapshot", json::object());
  REQUIRE(snap.ok);
  replies.push_back(snap.result.dump());
  for (auto& e : snap.result["entities"]) replies.push_back(client.call("get", {{"key", e["key"]}}).result.dump());
  replies.push_back(client.call("stats", json::object()).result.dump());
  REQUIRE(test::eventually([&] { return heartbeats > 2; }));
  listening = false;
  listener.join();
  // The one place the full number may be: the private contact, for an admin.
  CHECK(client.call("contact", {{"complaint", snap.result["entities"].back()["value"].value("id", "")}}).ok);
  int scanned = 0, leaks = 0;
  for (const auto* source : {&published, &replies})
    for (const auto& text : *source) {
      std::vector<std::string> strings;
      strings_of(json::parse(text), strings);
      for (const auto& s : strings) {
        ++scanned;
        const std::string d = digits_only(s);
        for (const auto& [number, _] : kPersonal) {
          std::string core = digits_only(number.substr(0, number.find("转")));  // an extension after 转 is no one's number
          core = core.substr(core.size() - 7);  // a number's last 7 digits never appear together
          if (d.find(core) != std::string::npos) {
            ++leaks;
            FAIL_CHECK("unmasked " << number << " in: " << s);
          }
        }
        if (s.find("13900001111") != std::string::npos) FAIL_CHECK("the complaint's phone in full: " << s);
      }
    }
  MESSAGE("privacy scan: " << published.size() << " published messages and " << replies.size() << " replies, " << scanned
                           << " strings, " << leaks << " unmasked numbers");
  CHECK(published.size() > 100);
}

TEST_CASE("the command table is the one list: the server knows each command, roles and hallctl's usage come from it") {
  auto usage = test::run_program({HALLCTL_BIN, "--help"});
  CHECK(usage.status == 0);
  auto dir = test::temp_dir("authority-table");
  test::ServerProcess server{dir};
  HallClient client{server.commands()};
  for (const auto& c : hall::commands()) {
    CAPTURE(c.name);
    CHECK(usage.output.find(std::string(" ") + c.name + " ") != std::string::npos);
    CHECK((c.handler != nullptr) == c.mutating);
    // Known to the server: whatever it answers, it is not unknown_command.
    Reply r = client.call(c.name, json::object());
    CHECK(r.code != err::kUnknownCommand);
  }
  CHECK(client.call("no_such_command", json::object()).code == err::kUnknownCommand);
  CHECK(usage.output.find("sign_in") != std::string::npos);  // once missing from a hand-written list
}
