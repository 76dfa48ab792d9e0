// hall-kiosk: the self-service terminal (自助服务终端), touch-first, portrait
// 1080×1920 or landscape 1920×1080. This first part holds the home page and
// the 取号 flow (category → priority lane → the ticket, printed with a QR
// code); 长辈模式 (larger type and targets, fewer choices per page) and
// English are one tap away on every page. Other flows land with issue 4.
#pragma once

#include <chrono>
#include <future>
#include <memory>
#include <string>

#include "kiosk/escpos.h"
#include "kiosk/strings.h"
#include "shared/client.h"
#include "shared/mirror.h"
#include "shared/ui/screen.h"

namespace hall::kiosk {

struct Options {
  std::string commands = "tcp://127.0.0.1:5555", updates = "tcp://127.0.0.1:5556";
  int width = 1080, height = 1920;
  bool headless = false;
  std::string strings_dir = std::string(HALL_ASSETS_DIR) + "/strings";
  std::string printer;             // device or file path, or tcp:HOST:9100; empty = no printer
  int idle_seconds = 60;           // back to the home page after this long untouched
};

enum class Page { Home, Categories, Lane, Ticket, Notice };

class Kiosk {
 public:
  explicit Kiosk(Options o);
  ~Kiosk();
  bool frame(int max_wait_ms);
  Page page() const { return page_; }
  bool elderly() const { return elderly_; }
  bool busy() const { return in_flight_.valid(); }
  const json& ticket() const { return ticket_; }      // the last ticket taken (take_ticket's result)
  const std::string& notice() const { return notice_; }
  ui::Screen& screen() { return *screen_; }
  HallMirror& mirror() { return mirror_; }

 private:
  void go(Page p);
  void take(const std::string& category, const std::string& lane);
  void collect();
  void draw_chrome(ui::Canvas& c);                                  // home.cpp: mode and language buttons
  void draw_home(ui::Canvas& c, const HallState& s);                // home.cpp
  void draw_notice(ui::Canvas& c);                                  // home.cpp
  void draw_categories(ui::Canvas& c, const HallState& s);          // take_ticket.cpp
  void draw_lane(ui::Canvas& c, const HallState& s);                // take_ticket.cpp
  void draw_ticket(ui::Canvas& c, const HallState& s);              // take_ticket.cpp
  ui::Size body() const { return elderly_ ? ui::Size::Title : ui::Size::Body; }
  ui::Size heading() const { return elderly_ ? ui::Size::Big : ui::Size::Title; }
  bool online() const { return mirror_.synced() && !mirror_.stale(); }

  Options o_;
  Strings zh_, en_;
  const Strings* t_ = &zh_;
  HallMirror mirror_;
  HallClient client_;
  std::unique_ptr<ui::Screen> screen_;
  Page page_ = Page::Home;
  std::chrono::steady_clock::time_point touched_ = std::chrono::steady_clock::now();
  bool elderly_ = false;
  int category_page_ = 0;
  std::string category_;
  std::future<Reply> in_flight_;
  json ticket_;
  std::string notice_, print_status_;
};

}  // namespace hall::kiosk
