#include "tests/support.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace hall::test {

namespace fs = std::filesystem;

std::string temp_dir(const std::string& tag) {
  std::random_device rd;
  auto dir = fs::temp_directory_path() / ("hall-test-" + tag + "-" + std::to_string(getpid()) + "-" + std::to_string(rd()));
  fs::create_directories(dir);
  return dir.string();
}

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("bind failed");
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

std::string write_file(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

bool eventually(const std::function<bool()>& cond, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    if (cond()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling interval, not a settle delay
  }
}

FullDisk::FullDisk(const std::string& dir) : dir_(dir) {
  fs::create_directories(dir_);
  if (mount("tmpfs", dir_.c_str(), "tmpfs", 0, "size=64k") != 0)
    throw std::runtime_error("cannot mount a tmpfs at " + dir_ + " (root needed): " + std::strerror(errno));
  int fd = open((dir_ + "/filler").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  char block[4096] = {};
  while (fd >= 0 && write(fd, block, sizeof block) > 0) {
  }
  while (fd >= 0 && write(fd, block, 1) > 0) {  // the last bytes of the last block
  }
  if (fd >= 0) close(fd);
}

FullDisk::~FullDisk() {
  umount2(dir_.c_str(), MNT_DETACH);
}

void FullDisk::make_room() { fs::remove(dir_ + "/filler"); }

json test_hall_config(const std::string& database, int commands_port, int updates_port) {
  const std::string assets = HALL_ASSETS_DIR;
  return json{
      {"hall", {{"id", "test-hall"}, {"name", "测试政务服务中心"}, {"opens", "08:30"}, {"closes", "17:30"}, {"followup_working_days", 5}}},
      {"bus", {{"commands", "tcp://127.0.0.1:" + std::to_string(commands_port)}, {"updates", "tcp://127.0.0.1:" + std::to_string(updates_port)}}},
      {"database", database},
      {"catalogue", assets + "/catalogue.json"},
      {"policies", assets + "/policies.json"},
      {"calendar", assets + "/calendar.json"},
      {"categories",
       json::array({{{"code", "company"}, {"name", "企业开办"}, {"prefix", "A"}, {"department", "市场监管局"}, {"lanes", {"green", "appointment"}}},
                    {{"code", "realestate"}, {"name", "不动产登记"}, {"prefix", "B"}, {"department", "不动产登记中心"}, {"lanes", {"elderly"}}},
                    {{"code", "tax"}, {"name", "税务办理"}, {"prefix", "C"}, {"department", "税务局"}, {"lanes", {"elderly"}}}})},
      {"windows",
       json::array({{{"number", 1}, {"department", "市场监管局"}, {"categories", {"company"}}},
                    {{"number", 2}, {"department", "不动产登记中心"}, {"categories", {"realestate"}}},
                    {{"number", 3}, {"department", "税务局"}, {"categories", {"tax", "realestate"}}},
                    {{"number", 4}, {"department", "市场监管局"}, {"categories", {"company", "tax"}}}})},
      {"staff", json::array({{{"id", "S1"}, {"name", "李晓明"}, {"department", "市场监管局"}, {"pin", "1111"}},
                             {{"id", "S2"}, {"name", "张建国"}, {"department", "不动产登记中心"}},
                             {{"id", "S3"}, {"name", "陈静"}, {"department", "税务局"}},
                             {{"id", "S4"}, {"name", "欧阳文静"}, {"department", "市场监管局"}}})}};
}

json busy_hall_config(int windows) {
  json c = test_hall_config("", 0, 0);
  static const char* names[][3] = {{"company", "企业开办", "市场监管局"}, {"realestate", "不动产登记", "不动产登记中心"},
                                   {"tax", "税务办理", "税务局"},       {"social", "社保医保", "人社局"},
                                   {"police", "户籍证件", "公安局"},     {"civil", "民政婚育", "民政局"},
                                   {"construction", "建设工程", "住建局"}, {"health", "卫健服务", "卫健委"},
                                   {"medical", "医保服务", "医保局"},     {"consult", "综合咨询", "政务服务管理局"}};
  c["categories"] = json::array();
  c["windows"] = json::array();
  c["staff"] = json::array();
  for (int k = 0; k < 10; ++k)
    c["categories"].push_back({{"code", names[k][0]}, {"name", names[k][1]}, {"prefix", std::string(1, char('A' + k))},
                               {"department", names[k][2]}, {"lanes", {"elderly"}}});
  for (int n = 1; n <= windows; ++n) {
    int k = (n - 1) % 10;
    c["windows"].push_back({{"number", n}, {"department", names[k][2]}, {"categories", {names[k][0]}}});
    c["staff"].push_back({{"id", "S" + std::to_string(n)}, {"name", "工作人员" + std::to_string(n)}, {"department", names[k][2]}});
  }
  return c;
}

ServerProcess::ServerProcess(const std::string& dir, std::vector<std::string> extra_args, json config)
    : dir_(dir), extra_(std::move(extra_args)) {
  commands_port_ = free_port();
  updates_port_ = free_port();
  while (updates_port_ == commands_port_) updates_port_ = free_port();
  database_ = dir + "/hall.db";
  json mine = test_hall_config(database_, commands_port_, updates_port_);
  if (!config.is_null()) {
    config["database"] = mine["database"];
    for (const auto& [key, value] : mine["bus"].items()) config["bus"][key] = value;  // its own addresses; other bus keys kept
    mine = config;
  }
  config_path_ = write_file(dir + "/hall.json", mine.dump(2));
  log_path_ = dir + "/server.log";
  start();
}

ServerProcess::~ServerProcess() { stop(); }

void ServerProcess::start() {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  // Everything the child needs is prepared before fork: the test process has
  // threads, so the child may only make async-signal-safe calls.
  std::vector<std::string> args{HALL_SERVER_BIN, "--config", config_path_};
  args.insert(args.end(), extra_.begin(), extra_.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int log_fd = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    close(out[0]);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(log_fd);
  close(out[1]);
  // Wait for the "ready" line: the sockets are bound by then.
  std::string got;
  char buf[64];
  ssize_t n;
  while (got.find("ready") == std::string::npos && (n = read(out[0], buf, sizeof buf)) > 0) got.append(buf, size_t(n));
  close(out[0]);
  if (got.find("ready") == std::string::npos) {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    throw std::runtime_error("hall-server did not start: " + log());
  }
}

void ServerProcess::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

void ServerProcess::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string ServerProcess::log() const {
  std::ifstream in(log_path_);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Program::Program(std::vector<std::string> argv, std::string log_path) : argv_(std::move(argv)), log_path_(std::move(log_path)) { start(); }

Program::~Program() { stop(); }

void Program::start() {
  std::vector<char*> raw;
  for (auto& a : argv_) raw.push_back(a.data());
  raw.push_back(nullptr);
  int log_fd = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  pid_ = fork();
  if (pid_ == 0) {
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    execv(raw[0], raw.data());
    _exit(127);
  }
  close(log_fd);
  auto readies = [&] {
    size_t n = 0;  // lines that start with "ready"
    std::istringstream lines(log());
    for (std::string line; std::getline(lines, line);) n += line.rfind("ready", 0) == 0;
    return n;
  };
  if (!eventually([&] { return readies() > ready_seen_; }, 20000))
    throw std::runtime_error(argv_[0] + " did not say ready within 20 s: " + log());
  ready_seen_ = readies();
}

void Program::stop(int sig) {
  if (pid_ <= 0) return;
  ::kill(pid_, sig);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string Program::log() const {
  std::ifstream in(log_path_);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<TraceFrame> read_trace_frames(const std::string& path) {
  std::vector<TraceFrame> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    TraceFrame f;
    if (fields >> f.seq >> f.us) {
      if (!(fields >> f.page)) f.page = -1;
      out.push_back(f);
    }
  }
  return out;
}

std::optional<TapFrames> tap_frames(const std::vector<TraceFrame>& frames, size_t from, int page_before, int64_t t0_us) {
  std::vector<TraceFrame> after;
  for (size_t i = from; i < frames.size(); ++i)
    if (frames[i].us >= t0_us) after.push_back(frames[i]);
  if (after.empty()) return std::nullopt;
  size_t end = 0;
  while (end + 1 < after.size() && after[end + 1].us - after[end].us < 500'000) ++end;
  size_t switched = 0;
  while (switched <= end && after[switched].page == page_before) ++switched;
  if (switched > end) return std::nullopt;  // the page never changed
  auto ms = [&](const TraceFrame& f) { return double(f.us - t0_us) / 1000.0; };
  return TapFrames{ms(after.front()), ms(after[switched]), ms(after[end])};
}

RunResult run_program(const std::vector<std::string>& args, int timeout_ms) {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    dup2(out[1], STDERR_FILENO);
    close(out[0]);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  RunResult r;
  fcntl(out[0], F_SETFL, O_NONBLOCK);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char buf[4096];
  while (true) {
    ssize_t n = read(out[0], buf, sizeof buf);
    if (n > 0) { r.output.append(buf, size_t(n)); continue; }
    int status = 0;
    if (n == 0 && waitpid(pid, &status, 0) == pid) { r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1; break; }
    if (std::chrono::steady_clock::now() > deadline) { ::kill(pid, SIGKILL); waitpid(pid, &status, 0); break; }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  close(out[0]);
  return r;
}

}  // namespace hall::test
