// county-sim: a whole county on one machine. Writes a hall config for every
// township hall and village service point (from the demo hall's, with their
// own windows, ids and ports, each feeding the county server), starts a
// hall-server and a hall-sim for each, and stops them all on SIGTERM.
//   county-sim --feed tcp://127.0.0.1:5570 --dir /tmp/county --townships 20 --villages 4
// Township halls get 3–6 windows, village points 1–2, each its own visitor
// volume and seed, so their days differ. The county hall itself is the
// demo's own hall server (hall-server --county-feed …).
#include <csignal>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shared/config.h"

using nlohmann::json;

namespace {

volatile sig_atomic_t stopping = 0;
extern "C" void on_signal(int) { stopping = 1; }

const char* kTownships[] = {"城关镇", "东关镇", "西河镇", "南山镇", "北塬镇", "柳湾镇", "桥头镇", "石门镇", "青龙镇", "白水镇",
                            "黄坪镇", "杨店镇", "新集镇", "高庙镇", "王村镇", "马场镇", "李家镇", "河口镇", "长岭镇", "双河镇"};
const char* kVillages[] = {"东村", "西村", "南庄", "北庄", "前营", "后营", "上坪", "下坪"};

// The windows a smaller hall keeps, by the demo hall's window numbers (departments and staff follow them).
const std::vector<std::vector<int>> kTownshipWindows{{14, 3, 5}, {14, 3, 5, 7}, {14, 3, 5, 7, 11}, {14, 3, 5, 7, 11, 13}};
const std::vector<std::vector<int>> kVillageWindows{{16}, {16, 7}};

json hall_config(const json& demo, const std::string& dir, const std::string& id, const std::string& name, const std::vector<int>& keep,
                 int port, const std::string& feed, const std::string& level, const std::string& parent) {
  json c = demo;
  c["hall"]["id"] = id;
  c["hall"]["name"] = name;
  c.erase("web");  // no gateway for these halls in the demo: their tickets carry no phone link
  c["bus"] = {{"commands", "tcp://127.0.0.1:" + std::to_string(port)}, {"updates", "tcp://127.0.0.1:" + std::to_string(port + 1)}};
  c["database"] = dir + "/" + id + ".db";
  const std::string assets = hall::assets_dir();
  for (const char* key : {"catalogue", "policies", "calendar"})
    if (c.contains(key)) c[key] = assets + "/" + c[key].get<std::string>();
  json windows = json::array();
  std::set<std::string> served;
  int number = 0;
  for (int n : keep)
    for (const auto& w : demo["windows"])
      if (w["number"] == n) {
        json copy = w;
        copy["number"] = ++number;
        windows.push_back(copy);
        for (const auto& cat : w["categories"]) served.insert(cat.get<std::string>());
      }
  c["windows"] = windows;
  json categories = json::array();
  for (const auto& cat : demo["categories"])
    if (served.count(cat["code"].get<std::string>())) categories.push_back(cat);
  c["categories"] = categories;
  c["county"] = {{"feed", feed}, {"level", level}, {"parent", parent}, {"heartbeat_ms", 5000}, {"retry_ms", 2000}};
  return c;
}

pid_t spawn(const std::vector<std::string>& args, const std::string& log) {
  pid_t pid = fork();
  if (pid == 0) {
    FILE* f = std::fopen(log.c_str(), "a");
    if (f) dup2(fileno(f), 1), dup2(fileno(f), 2);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

int main(int argc, char** argv) {
  std::string feed = "tcp://127.0.0.1:5570", dir = "/tmp/county-sim", start, speed = "1", county_hall = "demo-county";
  int townships = 20, villages = 4, base_port = 6000;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "county-sim: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--feed") feed = value();
    else if (a == "--dir") dir = value();
    else if (a == "--townships") townships = std::atoi(value().c_str());
    else if (a == "--villages") villages = std::atoi(value().c_str());
    else if (a == "--base-port") base_port = std::atoi(value().c_str());
    else if (a == "--start") start = value();
    else if (a == "--speed") speed = value();
    else if (a == "--county-hall") county_hall = value();
    else {
      std::fprintf(a == "--help" ? stdout : stderr,
                   "usage: county-sim [--feed EP] [--dir DIR] [--townships N (1..20)] [--villages PER_TOWNSHIP (0..8)]\n"
                   "                  [--base-port P] [--start YYYY-MM-DDTHH:MM] [--speed S] [--county-hall ID]\n");
      return a == "--help" ? 0 : 2;
    }
  }
  if (townships < 1 || townships > 20 || villages < 0 || villages > 8) {
    std::fprintf(stderr, "county-sim: --townships must be 1..20 and --villages 0..8\n");
    return 2;
  }
  std::filesystem::create_directories(dir);
  json demo;
  try {
    std::ifstream in(hall::assets_dir() + "/demo-hall.json");
    demo = json::parse(in);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "county-sim: cannot read the demo hall's config in %s: %s\n", hall::assets_dir().c_str(), e.what());
    return 1;
  }
  const std::string bin = std::filesystem::canonical("/proc/self/exe").parent_path().string();
  // Installed, hall-server lies beside county-sim; in a build tree, in hall/.
  const std::string server_bin = std::filesystem::exists(bin + "/hall-server") ? bin + "/hall-server" : bin + "/../hall/hall-server";
  const std::string sim_bin = bin + "/hall-sim";
  struct Hall {
    std::string id, name, level, parent;
    std::vector<int> windows;
    int visitors;
  };
  std::vector<Hall> halls;
  for (int t = 0; t < townships; ++t) {
    const std::string tid = "town-" + std::to_string(t + 1);
    halls.push_back({tid, std::string(kTownships[t]) + "便民服务中心", "township", county_hall, kTownshipWindows[size_t(t) % 4], 120 + 40 * (t % 4)});
    for (int v = 0; v < villages; ++v)
      halls.push_back({tid + "-v" + std::to_string(v + 1), std::string(kTownships[t]).substr(0, std::string(kTownships[t]).size() - 3) + kVillages[v] + "便民服务站",
                       "village", tid, kVillageWindows[size_t(v) % 2], 20 + 10 * (v % 3)});
  }
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  std::vector<pid_t> children;
  int port = base_port;
  for (const Hall& h : halls) {
    const std::string path = dir + "/" + h.id + ".json";
    std::ofstream(path) << hall_config(demo, dir, h.id, h.name, h.windows, port, feed, h.level, h.parent).dump(2);
    std::vector<std::string> args{server_bin, "--config", path};
    if (!start.empty()) args.insert(args.end(), {"--start", start});
    args.insert(args.end(), {"--speed", speed});
    const std::string log = dir + "/" + h.id + ".log";
    children.push_back(spawn(args, log));
    // The simulator asks the server its clock first: the server must be listening.
    bool ready = false;
    for (int k = 0; k < 200 && !ready; ++k) {
      std::ifstream in(log);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      ready = text.find("ready") != std::string::npos;
      if (!ready) usleep(50000);
    }
    if (!ready) std::fprintf(stderr, "county-sim: %s did not start within 10 s (see %s)\n", h.id.c_str(), log.c_str());
    const std::string cmd = "tcp://127.0.0.1:" + std::to_string(port), upd = "tcp://127.0.0.1:" + std::to_string(port + 1);
    children.push_back(spawn({sim_bin, "--commands", cmd, "--updates", upd, "--visitors", std::to_string(h.visitors), "--seed",
                              std::to_string(port), "--quiet"},
                             dir + "/" + h.id + "-sim.log"));
    port += 2;
  }
  std::printf("ready: %zu halls (%d townships, %d villages each) feeding %s; configs and logs in %s\n", halls.size(), townships, villages,
              feed.c_str(), dir.c_str());
  std::fflush(stdout);
  while (!stopping) pause();
  for (pid_t p : children) kill(p, SIGTERM);
  for (pid_t p : children) waitpid(p, nullptr, 0);
  return 0;
}
