// The Debian packages: built by CPack in the test, their contents checked,
// then hall-common and hall-server unpacked into a temporary directory and the
// unpacked hall server started on loopback with a secured bus.
#include <doctest/doctest.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "shared/client.h"
#include "shared/config.h"
#include "shared/curve.h"
#include "tests/support.h"

extern char** environ;

using namespace hall;

namespace {

std::string contents(const std::string& deb) { return test::run_program({"/usr/bin/dpkg-deb", "-c", deb}).output; }
std::string info(const std::string& deb) { return test::run_program({"/usr/bin/dpkg-deb", "-I", deb}).output; }

}  // namespace

TEST_CASE("the .deb packages hold programs assets units and configs and the unpacked server runs secured") {
  std::string dir = test::temp_dir("package");
  auto built = test::run_program({"/usr/bin/cpack", "--config", std::string(HALL_BUILD_DIR) + "/CPackConfig.cmake", "-B", dir + "/out"}, 120000);
  INFO(built.output);
  REQUIRE(built.status == 0);
  std::string out = dir + "/out/", version = HALL_VERSION;
  std::string common = out + "hall-common_" + version + "_all.deb", server = out + "hall-server_" + version + "_amd64.deb",
              screens = out + "hall-screens_" + version + "_amd64.deb", county = out + "hall-county_" + version + "_amd64.deb";
  for (const auto& deb : {common, server, screens, county}) REQUIRE(std::filesystem::exists(deb));
  const std::string co = contents(county);
  for (const char* f : {"./usr/bin/hall-county", "./usr/bin/county-sim", "/systemd/system/hall-county.service", "./etc/hall/county.json"}) {
    INFO(f);
    CHECK(co.find(f) != std::string::npos);
  }
  CHECK(info(county).find("libpq5") != std::string::npos);  // found from the binary
  std::string c = contents(common), s = contents(server), sc = contents(screens);
  CHECK(c.find("./usr/share/hall/catalogue.json") != std::string::npos);
  CHECK(c.find("./usr/share/hall/policies.json") != std::string::npos);
  CHECK(c.find("./usr/share/hall/strings/zh-CN.json") != std::string::npos);
  CHECK(c.find("./usr/share/hall/web/ticket.html") != std::string::npos);
  for (const char* f : {"./usr/bin/hall-server", "./usr/bin/hallctl", "./usr/bin/hall-sim", "./usr/bin/hall-relay", "./usr/bin/hall-gateway",
                        "/systemd/system/hall-gateway.service", "/systemd/system/hall-server.service",
                        "./etc/hall/hall.json", "./usr/share/doc/hall-server/README.md"}) {
    INFO(f);
    CHECK(s.find(f) != std::string::npos);
  }
  for (const char* f : {"./usr/bin/hall-kiosk", "./usr/bin/hall-display", "./usr/bin/hall-counter", "./usr/bin/hall-evaluator",
                        "hall-kiosk.service", "hall-display@.service", "./etc/hall/kiosk.json", "./etc/hall/displays/hall-board.json"}) {
    INFO(f);
    CHECK(sc.find(f) != std::string::npos);
  }
  std::string si = info(server);
  CHECK(si.find("Package: hall-server") != std::string::npos);
  CHECK(si.find("libzmq5") != std::string::npos);  // dependencies found from the binaries
  CHECK(si.find("libsodium23") != std::string::npos);
  CHECK(si.find("hall-common (= " + version + ")") != std::string::npos);
  CHECK(test::run_program({"/usr/bin/dpkg-deb", "-f", screens, "Recommends"}).output.find("cage") != std::string::npos);
  std::string ctrl = dir + "/ctrl";
  REQUIRE(test::run_program({"/usr/bin/dpkg-deb", "-e", server, ctrl}).status == 0);
  CHECK(test::run_program({"/bin/cat", ctrl + "/conffiles"}).output.find("/etc/hall/hall.json") != std::string::npos);

  // Unpacked, not installed: the programs find their assets beside them.
  std::string root = dir + "/root";
  REQUIRE(test::run_program({"/usr/bin/dpkg-deb", "-x", common, root}).status == 0);
  REQUIRE(test::run_program({"/usr/bin/dpkg-deb", "-x", server, root}).status == 0);
  std::string bin = root + "/usr/bin/", keys = dir + "/keys/";
  std::filesystem::create_directories(keys);
  REQUIRE(test::run_program({bin + "hallctl", "keygen", keys + "server", keys + "board", keys + "office", keys + "stranger"}).status == 0);
  json config = read_json_file(root + "/etc/hall/hall.json");  // the shipped default, made a production hall
  int commands = test::free_port(), updates = test::free_port();
  config["database"] = dir + "/hall.db";
  for (const char* k : {"catalogue", "policies", "calendar"})
    config[k] = root + "/usr/share/hall/" + std::filesystem::path(config[k].get<std::string>()).filename().string();
  config["bus"] = {{"commands", "tcp://127.0.0.1:" + std::to_string(commands)}, {"updates", "tcp://127.0.0.1:" + std::to_string(updates)}};
  config["http"] = "127.0.0.1:" + std::to_string(test::free_port());
  config["production"] = true;
  std::string path = test::write_file(dir + "/hall.json", config.dump(2));
  auto refused = test::run_program({bin + "hall-server", "--config", path, "--check-config"});
  CHECK(refused.status != 0);
  CHECK(refused.output.find("security.mode: plain TCP is refused in production") != std::string::npos);
  config["security"] = {{"mode", "curve"}, {"key_file", keys + "server.key"},
                        {"clients", json::array({{{"name", "board"}, {"role", "display"}, {"public_file", keys + "board.pub"}},
                                                 {{"name", "office"}, {"role", "admin"}, {"public_file", keys + "office.pub"}}})}};
  test::write_file(path, config.dump(2));
  REQUIRE(test::run_program({bin + "hall-server", "--config", path, "--check-config"}).status == 0);
  std::string exe = bin + "hall-server";
  std::vector<char*> argv{exe.data(), const_cast<char*>("--config"), path.data(), nullptr};
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, exe.c_str(), nullptr, nullptr, argv.data(), environ) == 0);
  struct Reap {
    pid_t pid;
    ~Reap() { kill(pid, SIGTERM), waitpid(pid, nullptr, 0); }
  } reap{pid};
  std::string ep = "tcp://127.0.0.1:" + std::to_string(commands);
  auto client = [&](const std::string& name, int timeout_ms) {
    return HallClient(ep, ClientOptions{timeout_ms, 1, load_client_keys(keys + name + ".key", keys + "server.pub")});
  };
  HallClient office = client("office", 1000);
  REQUIRE(test::eventually([&] { return office.call("ping").ok; }, 15000));
  json took = office.call("take_ticket", {{"category", "company"}}).result;
  CHECK(took["ticket"]["number"] == "A001");
  CHECK(client("board", 1000).call("take_ticket", {{"category", "company"}}).code == err::kForbidden);
  CHECK(client("stranger", 700).call("take_ticket", {{"category", "company"}}).code == err::kTimeout);
  CHECK(office.call("get", {{"key", "counter/" + took["ticket"]["day"].get<std::string>() + "/A"}}).result["value"]["last"] == 1);  // nothing else happened
}

TEST_CASE("the systemd units pass systemd-analyze verify but for the programs not installed here") {
  std::string dir = test::temp_dir("units");
  std::string src = std::string(HALL_ASSETS_DIR) + "/../deploy/systemd/";
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(src)) {
    std::string name = entry.path().filename().string();
    if (name.find("@.service") != std::string::npos) name.replace(name.find("@."), 2, "@5.");  // a template: check one instance
    std::filesystem::copy_file(entry.path(), dir + "/" + name);
    auto r = test::run_program({"/usr/bin/systemd-analyze", "verify", "--man=no", dir + "/" + name});
    std::istringstream lines(r.output);
    for (std::string line; std::getline(lines, line);) {
      if (line.empty() || line.find("is not executable") != std::string::npos) continue;  // cage, hall-* are not installed on a build machine
      INFO(name << ": " << line);
      CHECK(false);
    }
    ++checked;
  }
  CHECK(checked == 8);  // server, display@, kiosk, counter@, evaluator@, county, relay@, gateway
}
