#include "tests/xsession.h"

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace hall::test {

namespace {

using steady = std::chrono::steady_clock;

std::vector<char*> c_strings(std::vector<std::string>& v) {
  std::vector<char*> out;
  for (auto& s : v) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

Child::Child(const std::vector<std::string>& argv_in, const std::vector<std::string>& env_add, const std::string& log_path) {
  std::vector<std::string> args = argv_in, env;
  for (char** e = environ; *e; ++e)
    if (std::strncmp(*e, "DISPLAY=", 8) != 0 && std::strncmp(*e, "SDL_VIDEODRIVER=", 16) != 0) env.emplace_back(*e);
  env.insert(env.end(), env_add.begin(), env_add.end());
  auto argv = c_strings(args), envp = c_strings(env);
  int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  pid_ = fork();
  if (pid_ == 0) {  // only async-signal-safe calls here: the test process has threads
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(log_fd);
  if (pid_ < 0) throw std::runtime_error("fork failed for " + argv_in.front());
}

Child::~Child() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
}

bool Child::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) pid_ = -1;
  return pid_ > 0;
}

XSession::XSession(int width, int height) : width_(width), height_(height) {
  number_ = 90;
  while (std::filesystem::exists("/tmp/.X11-unix/X" + std::to_string(number_)) ||
         std::filesystem::exists("/tmp/.X" + std::to_string(number_) + "-lock"))
    ++number_;
  std::vector<std::string> args{"/usr/bin/Xvfb", display(), "-screen", "0", std::to_string(width) + "x" + std::to_string(height) + "x24",
                                "-nolisten", "tcp", "-noreset"};
  auto argv = c_strings(args);
  xvfb_ = fork();
  if (xvfb_ == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  auto deadline = steady::now() + std::chrono::seconds(10);
  while (!(display_ = XOpenDisplay(display().c_str()))) {
    if (steady::now() > deadline) throw std::runtime_error("Xvfb did not start on " + display() + " (is the xvfb package installed?)");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling for the server socket, not a settle delay
  }
  int ev, er, major, minor;
  if (!XTestQueryExtension(static_cast<Display*>(display_), &ev, &er, &major, &minor))
    throw std::runtime_error("Xvfb on " + display() + " has no XTEST extension");
}

XSession::~XSession() {
  if (display_) XCloseDisplay(static_cast<Display*>(display_));
  if (xvfb_ > 0) {
    ::kill(xvfb_, SIGTERM);
    int status = 0;
    waitpid(xvfb_, &status, 0);
  }
}

std::vector<uint32_t> XSession::grab() {
  Display* d = static_cast<Display*>(display_);
  XImage* img = XGetImage(d, DefaultRootWindow(d), 0, 0, unsigned(width_), unsigned(height_), AllPlanes, ZPixmap);
  std::vector<uint32_t> out(size_t(width_) * size_t(height_));
  if (!img) return out;
  if (img->bits_per_pixel == 32)
    for (int y = 0; y < height_; ++y)
      std::memcpy(&out[size_t(y) * size_t(width_)], img->data + size_t(y) * size_t(img->bytes_per_line), size_t(width_) * 4);
  else
    for (int y = 0; y < height_; ++y)
      for (int x = 0; x < width_; ++x) out[size_t(y) * size_t(width_) + size_t(x)] = uint32_t(XGetPixel(img, x, y));
  for (auto& p : out) p &= 0xFFFFFF;
  XDestroyImage(img);
  return out;
}

uint32_t XSession::pixel(int x, int y) {
  Display* d = static_cast<Display*>(display_);
  XImage* img = XGetImage(d, DefaultRootWindow(d), x, y, 1, 1, AllPlanes, ZPixmap);
  uint32_t p = img ? uint32_t(XGetPixel(img, 0, 0)) & 0xFFFFFF : 0;
  if (img) XDestroyImage(img);
  return p;
}

void XSession::click(int x, int y, int hold_ms) {
  Display* d = static_cast<Display*>(display_);
  XTestFakeMotionEvent(d, 0, x, y, 0);
  XTestFakeButtonEvent(d, 1, True, 0);
  XTestFakeButtonEvent(d, 1, False, (unsigned long)hold_ms);  // a finger stays down about 40 ms
  XFlush(d);
}

void XSession::drag(const std::vector<std::pair<int, int>>& points, int step_ms) {
  if (points.empty()) return;
  Display* d = static_cast<Display*>(display_);
  XTestFakeMotionEvent(d, 0, points.front().first, points.front().second, 0);
  XTestFakeButtonEvent(d, 1, True, 0);
  // The server paces the moves (XTest's delay), as a finger's come: nothing waits here.
  for (size_t i = 1; i < points.size(); ++i) XTestFakeMotionEvent(d, 0, points[i].first, points[i].second, (unsigned long)step_ms);
  XTestFakeButtonEvent(d, 1, False, (unsigned long)step_ms);
  XFlush(d);
}

void XSession::key(const char* keysym) {
  Display* d = static_cast<Display*>(display_);
  KeyCode code = XKeysymToKeycode(d, XStringToKeysym(keysym));
  XTestFakeKeyEvent(d, code, True, 0);
  XTestFakeKeyEvent(d, code, False, 30);
  XFlush(d);
}

bool XSession::wait_for(const std::function<bool()>& pred, int timeout_ms) {
  auto deadline = steady::now() + std::chrono::milliseconds(timeout_ms);
  while (!pred()) {
    if (steady::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling interval
  }
  return true;
}

double XSession::ms_until_settled(const std::function<void()>& act, int quiet_ms, int give_up_ms) {
  const auto before = grab();
  const auto t0 = steady::now();
  act();
  std::vector<uint32_t> last = before;
  auto last_change = t0;
  bool changed = false;
  while (steady::now() - last_change < std::chrono::milliseconds(quiet_ms)) {
    if (steady::now() - t0 > std::chrono::milliseconds(give_up_ms)) return -2;
    auto frame = grab();
    auto at = steady::now();
    if (frame != last) {
      last = std::move(frame);
      last_change = at;
      changed = true;
    }
  }
  if (!changed || last == before) return -1;
  return std::chrono::duration<double, std::milli>(last_change - t0).count();
}

}  // namespace hall::test
