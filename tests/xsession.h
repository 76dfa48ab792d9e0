// Testing a screen program through its real loop, as a person would: a real
// X server (Xvfb), the real program as a child process, real pointer and key
// events (XTest), and the pixels read back from the X server.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace hall::test {

// A program started with an environment of its own (DISPLAY), stopped with SIGTERM.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const std::vector<std::string>& env_add, const std::string& log_path);
  ~Child();
  bool running();  // false once it has exited
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

class XSession {
 public:
  XSession(int width, int height);  // starts Xvfb on a free display; throws naming what failed
  ~XSession();
  std::string display() const { return ":" + std::to_string(number_); }
  int width() const { return width_; }
  int height() const { return height_; }

  std::vector<uint32_t> grab();     // the whole screen, 0xRRGGBB per pixel
  uint32_t pixel(int x, int y);
  void click(int x, int y, int hold_ms = 40);  // move, press, release after hold_ms (XTest), flushed
  // A finger drawn across the screen: down at the first point, through the others step_ms apart, up at the last.
  void drag(const std::vector<std::pair<int, int>>& points, int step_ms = 10);
  void key(const char* keysym);     // press and release, e.g. "F1", "1", "Return"

  // Runs `act`, then reads the screen back until it has been unchanged for
  // `quiet_ms`; returns the ms from the act to the first frame that already
  // showed the final picture, −1 when the picture never changed, −2 when it
  // was still changing after `give_up_ms`.
  double ms_until_settled(const std::function<void()>& act, int quiet_ms = 1500, int give_up_ms = 6000);
  // Waits until pred(screen) holds; false after timeout_ms.
  bool wait_for(const std::function<bool()>& pred, int timeout_ms);

 private:
  int number_ = 0, width_, height_;
  pid_t xvfb_ = -1;
  void* display_ = nullptr;  // Display*
};

}  // namespace hall::test
