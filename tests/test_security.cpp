// A secured bus: CURVE keys made by hallctl keygen, roles in the hall
// server's config. A client without an allowed key receives nothing and
// changes nothing; each role may do its own part only.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include "shared/client.h"
#include "shared/config.h"
#include "shared/curve.h"
#include "shared/mirror.h"
#include "tests/support.h"

using namespace hall;

namespace {

struct SecuredHall {
  std::string dir = test::temp_dir("curve");
  std::string key(const std::string& name) { return dir + "/" + name; }
  json config() {
    REQUIRE(test::run_program({HALLCTL_BIN, "keygen", key("server"), key("board"), key("kiosk"), key("console3"),
                               key("evaluator3"), key("admin"), key("stranger")}).status == 0);
    json c = test::test_hall_config("", 0, 0);
    c["production"] = true;
    c["security"] = {{"mode", "curve"}, {"key_file", key("server.key")},
                     {"clients", json::array({{{"name", "board"}, {"role", "display"}, {"public_file", key("board.pub")}},
                                              {{"name", "kiosk-1"}, {"role", "kiosk"}, {"public_file", key("kiosk.pub")}},
                                              {{"name", "console-3"}, {"role", "console"}, {"window", 3}, {"public_file", key("console3.pub")}},
                                              {{"name", "evaluator-3"}, {"role", "evaluator"}, {"window", 3}, {"public_file", key("evaluator3.pub")}},
                                              {{"name", "office"}, {"role", "admin"}, {"public_file", key("admin.pub")}}})}};
    return c;
  }
  test::ServerProcess server{dir, {"--start", "2026-11-23T10:00"}, config()};
  CurveKeys keys(const std::string& name) { return load_client_keys(key(name + ".key"), key("server.pub")); }
  HallClient client(const std::string& name, int timeout_ms = 2000) {
    return HallClient(server.commands(), ClientOptions{timeout_ms, 1, name.empty() ? CurveKeys{} : keys(name)});
  }
};

}  // namespace

TEST_CASE("on a CURVE bus each key may do what its role allows and nothing else") {
  SecuredHall h;
  HallClient admin = h.client("admin"), kiosk = h.client("kiosk"), board = h.client("board"), console = h.client("console3"),
             evaluator = h.client("evaluator3");
  REQUIRE(admin.call("open_window", {{"window", 3}, {"staff", "S3"}}).ok);
  REQUIRE(admin.call("open_window", {{"window", 1}, {"staff", "S1"}}).ok);
  // A kiosk takes tickets; it cannot call one.
  Reply took = kiosk.call("take_ticket", {{"category", "tax"}});
  REQUIRE(took.ok);
  Reply kiosk_call = kiosk.call("call_next", {{"window", 3}});
  CHECK(kiosk_call.code == err::kForbidden);
  CHECK(kiosk_call.message.find("kiosk") != std::string::npos);
  // A display reads; it sends no command.
  CHECK(board.call("ping").ok);
  CHECK(board.call("take_ticket", {{"category", "tax"}}).code == err::kForbidden);
  CHECK(board.call("post_announcement", {{"text", "x"}}).code == err::kForbidden);
  // A console acts for its own window only.
  CHECK(console.call("call_next", {{"window", 1}}).code == err::kForbidden);
  Reply called = console.call("call_next", {{"window", 3}});
  REQUIRE(called.ok);
  REQUIRE(console.call("finish", {{"window", 3}}).ok);
  // An evaluator rates its window's visits, naming its window.
  std::string ticket = called.result["ticket"]["key"];
  CHECK(evaluator.call("rate", {{"ticket", ticket}, {"level", 5}}).code == err::kForbidden);          // no window named
  CHECK(evaluator.call("rate", {{"ticket", ticket}, {"level", 5}, {"window", 1}}).code == err::kForbidden);
  CHECK(evaluator.call("rate", {{"ticket", ticket}, {"level", 5}, {"window", 3}}).ok);
  CHECK(evaluator.call("call_next", {{"window", 3}}).code == err::kForbidden);
  // Only an admin reads a complaint's phone number.
  Reply filed = kiosk.call("submit_complaint", {{"kind", "complaint"}, {"text", "x"}, {"phone", "13800001111"}});
  REQUIRE(filed.ok);
  std::string id = filed.result["complaint"]["id"];
  CHECK(kiosk.call("contact", {{"complaint", id}}).code == err::kForbidden);
  CHECK(admin.call("contact", {{"complaint", id}}).result["phone"] == "13800001111");
  // A display's mirror syncs over the secured updates socket.
  HallMirror mirror(h.server.commands(), h.server.updates(), MirrorOptions{kStaleAfterMs, 2000, h.keys("board")});
  mirror.start();
  CHECK(mirror.wait_until([&](const HallState& s) { return s.ratings.size() == 1; }, 8000));
}

TEST_CASE("a client with no key or an unknown key receives nothing and changes nothing") {
  SecuredHall h;
  HallClient admin = h.client("admin");
  uint64_t seq = admin.call("ping").result["seq"];
  HallClient plain = h.client("", 700);
  CHECK(plain.call("take_ticket", {{"category", "tax"}}).code == err::kTimeout);
  HallClient stranger = h.client("stranger", 700);
  CHECK(stranger.call("take_ticket", {{"category", "tax"}}).code == err::kTimeout);
  CHECK(stranger.call("snapshot").code == err::kTimeout);
  HallMirror eavesdropper(h.server.commands(), h.server.updates(), MirrorOptions{kStaleAfterMs, 500, h.keys("stranger")});
  eavesdropper.start();
  REQUIRE(admin.call("take_ticket", {{"category", "tax"}}).ok);     // something to hear, for whoever may
  CHECK_FALSE(eavesdropper.wait_until([](const HallState& s) { return !s.tickets.empty(); }, 2500));
  CHECK_FALSE(eavesdropper.synced());
  CHECK(admin.call("ping").result["seq"] == seq + 1);               // only the admin's ticket happened
}

TEST_CASE("production refuses plain TCP unless allowed and bad key settings are named") {
  std::string dir = test::temp_dir("curve-config");
  REQUIRE(test::run_program({HALLCTL_BIN, "keygen", dir + "/server", dir + "/one"}).status == 0);
  auto error = [&](json patch) {
    json c = test::test_hall_config(dir + "/hall.db", 1, 2);
    c.merge_patch(patch);
    std::string path = test::write_file(dir + "/hall.json", c.dump());
    try {
      load_hall_config(path);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK(error({{"production", true}}).find("security.mode: plain TCP is refused in production") != std::string::npos);
  CHECK(error({{"production", true}, {"security", {{"allow_plain", true}}}}) == "accepted");
  CHECK(error({{"security", {{"mode", "curve"}, {"key_file", dir + "/missing.key"}, {"clients", json::array()}}}}).find("missing.key") != std::string::npos);
  json one = {{"name", "k"}, {"role", "kiosk"}, {"public_file", dir + "/one.pub"}};
  CHECK(error({{"security", {{"mode", "curve"}, {"key_file", dir + "/server.key"}, {"clients", {one, one}}}}}).find("security.clients[1].public: the same key") != std::string::npos);
  CHECK(error({{"security", {{"mode", "curve"}, {"key_file", dir + "/server.key"}, {"clients", {{{"name", "c"}, {"role", "console"}, {"public_file", dir + "/one.pub"}}}}}}}).find("security.clients[0].window") != std::string::npos);
  CHECK(error({{"security", {{"mode", "curve"}, {"key_file", dir + "/server.key"}, {"clients", {{{"name", "c"}, {"role", "boss"}, {"public", "x"}}}}}}}).find("security.clients[0].role") != std::string::npos);
  CHECK(error({{"security", {{"mode", "tls"}}}}).find("security.mode") != std::string::npos);
  // Z85 keys may begin with '{': still a public key, not JSON.
  std::string brace = "{" + std::string(39, 'a');
  CHECK(read_public_key_file(test::write_file(dir + "/brace.pub", brace + "\n")) == brace);
  // The secret stays the owner's: keygen writes it 0600.
  struct stat st{};
  REQUIRE(stat((dir + "/one.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 077) == 0);
}
