// hall-sim: drives a realistic hall day through the public bus API.
//
// Arrivals follow the day's shape (morning and afternoon peaks, quiet lunch),
// each category with its own service time; some citizens do not show up,
// some tickets are transferred, windows pause for lunch and meetings, most
// visits are rated (with the occasional 差评), and cases accepted on earlier
// days finish early or late. The simulator follows the hall server's clock
// (ping → now_ms, speed), so run the server with --speed 60 for a day in nine
// minutes.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <queue>
#include <random>
#include <string>
#include <thread>

#include "shared/calendar.h"
#include "shared/client.h"
#include "shared/stats.h"
#include "shared/clock.h"
#include "shared/mirror.h"

using namespace hall;

namespace {

constexpr int64_t kMin = 60'000;

struct Options {
  std::string commands = "tcp://127.0.0.1:5555", updates = "tcp://127.0.0.1:5556";
  int visitors = 520;          // per day
  uint32_t seed = 20261122;
  double run_minutes = 0;      // real minutes; 0 = until stopped
  bool quiet = false;
};

struct Event {
  int64_t at;                  // hall time
  int kind;
  int window;
  bool operator>(const Event& o) const { return at > o.at; }
};

enum Kind { Arrival, WindowIdle, ServeStart, ServeEnd, NoShowCheck, PauseEnd, CaseTick, FollowUpTick, BookingCheckIn };

class Simulator {
 public:
  explicit Simulator(const Options& o)
      : o_(o), rng_(o.seed), client_(o.commands, ClientOptions{3000, 5}), mirror_(o.commands, o.updates) {}

  int run() {
    Reply ping = client_.call("ping");
    if (!ping.ok) {
      std::fprintf(stderr, "hall-sim: hall server at %s: %s\n", o_.commands.c_str(), ping.message.c_str());
      return 1;
    }
    speed_ = ping.result.value("speed", 1.0);
    hall_origin_ = ping.result.value("now_ms", int64_t(0));
    real_origin_ = std::chrono::steady_clock::now();
    mirror_.start();
    if (!mirror_.wait_until([](const HallState& s) { return !s.windows.empty(); }, 10000)) {
      std::fprintf(stderr, "hall-sim: no state from the hall server\n");
      return 1;
    }
    state_ = mirror_.copy();
    say("hall %s, %zu windows, speed %.0f×", state_.hall.name.c_str(), state_.windows.size(), speed_);
    int64_t now = hall_now();
    push(now, Arrival);
    for (auto& [n, w] : state_.windows) push(now + int64_t(uniform(0, 3) * kMin), WindowIdle, n);
    push(now, CaseTick);
    push(now + 30 * kMin, FollowUpTick);
    backfill_cases();

    auto stop_at = std::chrono::steady_clock::now() + std::chrono::duration<double, std::ratio<60>>(o_.run_minutes);
    while (!events_.empty()) {
      if (o_.run_minutes > 0 && std::chrono::steady_clock::now() >= stop_at) break;
      Event e = events_.top();
      int64_t wait = e.at - hall_now();
      if (wait > 0) {
        auto real = std::chrono::duration<double, std::milli>(double(wait) / speed_);
        std::this_thread::sleep_for(std::min<std::chrono::duration<double, std::milli>>(real, std::chrono::seconds(1)));
        continue;
      }
      events_.pop();
      handle(e);
    }
    say("done: %d tickets, %d served, %d ratings", issued_, served_, ratings_);
    return 0;
  }

 private:
  int64_t hall_now() const {
    auto real = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - real_origin_).count();
    return hall_origin_ + int64_t(real * speed_);
  }
  int minute_of_day_now() const { return minute_of_day(hall_now(), state_.hall.utc_offset_minutes); }
  static int hhmm(const std::string& s) { return std::stoi(s.substr(0, 2)) * 60 + std::stoi(s.substr(3, 2)); }
  bool hall_open() const {
    int m = minute_of_day_now();
    return m >= hhmm(state_.hall.opens) && m < hhmm(state_.hall.closes);
  }
  double uniform(double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng_); }
  bool chance(double p) { return uniform(0, 1) < p; }
  void push(int64_t at, int kind, int window = 0) { events_.push(Event{at, kind, window}); }

  template <class... A>
  void say(const char* fmt, A... args) {
    if (o_.quiet) return;
    std::fprintf(stderr, "hall-sim: ");
    std::fprintf(stderr, fmt, args...);
    std::fprintf(stderr, "\n");
  }

  Reply call(const std::string& cmd, const json& args) {
    Reply r = client_.call(cmd, args);
    if (!r.ok && r.code == err::kTimeout) say("%s: %s", cmd.c_str(), r.message.c_str());
    return r;
  }

  // Arrivals per minute relative to the day's mean: two peaks, a lunch dip.
  double day_shape(int minute) const {
    double h = minute / 60.0;
    auto bump = [](double x, double mu, double sigma) { return std::exp(-0.5 * (x - mu) * (x - mu) / (sigma * sigma)); };
    return 0.35 + 1.6 * bump(h, 10.0, 0.9) + 1.1 * bump(h, 15.0, 0.9) - 0.25 * bump(h, 12.5, 0.5);
  }

  void arrival() {
    int64_t now = hall_now();
    int open_minutes = hhmm(state_.hall.closes) - hhmm(state_.hall.opens);
    double per_minute = double(o_.visitors) / open_minutes;
    if (hall_open()) {
      static const std::vector<std::pair<std::string, double>> weights{
          {"social", 22}, {"police", 20}, {"tax", 13}, {"realestate", 10}, {"company", 8},
          {"civil", 8},   {"health", 8},  {"consult", 8}, {"construction", 3}};
      std::vector<double> w;
      std::vector<std::string> codes;
      for (auto& [code, weight] : weights)
        if (state_.categories.count(code)) codes.push_back(code), w.push_back(weight);
      for (auto& [code, c] : state_.categories)
        if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code), w.push_back(5);
      std::string code = codes[std::discrete_distribution<size_t>(w.begin(), w.end())(rng_)];
      const Category& cat = state_.categories.at(code);
      // Where the hall books, some people book a slot a few hours on instead of queuing now (预约).
      if (state_.hall.appointments.enabled && offers_appointments(state_, code) && chance(0.12)) {
        book_later(code);
        push(now + std::max<int64_t>(int64_t(std::exponential_distribution<double>(std::max(0.05, per_minute))(rng_) * kMin), 1000), Arrival);
        return;
      }
      std::string lane = "normal";
      for (Lane l : cat.lanes) {
        if (l == Lane::Appointment && state_.hall.appointments.enabled) continue;  // only through a booking
        double p = l == Lane::Elderly ? 0.10 : l == Lane::Appointment ? 0.06 : l == Lane::Disabled ? 0.02 : 0.02;
        if (chance(p)) lane = json(l).get<std::string>();
      }
      std::vector<std::string> items;
      for (auto& [ic, item] : state_.items)
        if (item.category == code) items.push_back(ic);
      json args{{"category", code}, {"lane", lane}};
      if (!items.empty() && chance(0.7)) args["item"] = items[size_t(uniform(0, double(items.size())))];
      if (call("take_ticket", args).ok) ++issued_;
    }
    double rate = std::max(0.05, per_minute * day_shape(minute_of_day_now()));
    int64_t gap = int64_t(std::exponential_distribution<double>(rate)(rng_) * kMin);
    push(now + std::max<int64_t>(gap, 1000), Arrival);
  }

  // A booking for a slot one to three hours on; most come on time, some
  // late, some never (the hall marks them no-shows).
  void book_later(const std::string& code) {
    Reply slots = call("slots", {{"category", code}, {"day", state_.hall.day}});
    if (!slots.ok) return;
    const int64_t now = hall_now();
    std::vector<json> open;
    for (const auto& sl : slots.result["slots"])
      if (sl.value("open", false) && sl["start_ms"].get<int64_t>() > now + 60 * kMin && sl["start_ms"].get<int64_t>() < now + 180 * kMin)
        open.push_back(sl);
    if (open.empty()) return;
    const json sl = open[size_t(uniform(0, double(open.size())))];
    char phone[16];
    std::snprintf(phone, sizeof phone, "139%08d", int(uniform(0, 99999999)));
    Reply b = call("book", {{"category", code}, {"day", state_.hall.day}, {"slot", sl["slot"]}, {"phone", phone}, {"channel", chance(0.5) ? "web" : "kiosk"}});
    if (!b.ok) return;
    ++booked_;
    const double r = uniform(0, 1);
    if (r < 0.08) return;  // never comes
    const int64_t start = sl["start_ms"];
    const double minutes = r < 0.22 ? uniform(16, 28) : uniform(-14, 10);  // late, or within the window
    bookings_[b.result["booking"]["code"]] = 0;
    codes_.push_back(b.result["booking"]["code"]);
    push(start + int64_t(minutes * kMin), BookingCheckIn, int(codes_.size() - 1));
  }

  void window_idle(int n) {
    int64_t now = hall_now();
    const Window& w = state_.windows.at(n);
    bool staffed = mirror_.read([&](const HallState& s) { return s.windows.at(n).state; }) != WindowState::Closed;
    if (!hall_open()) {
      if (staffed) call("close_window", {{"window", n}});
      push(now + 10 * kMin, WindowIdle, n);
      return;
    }
    if (!staffed) {
      json args{{"window", n}};
      for (auto& [id, st] : state_.staff)
        if (st.department == w.department && !used_staff_.count(id)) {
          args["staff"] = id;
          used_staff_.insert(id);
          break;
        }
      call("open_window", args);
    }
    // Lunch break for about half of the windows, meetings now and then.
    int m = minute_of_day_now();
    if ((m >= 12 * 60 && m < 12 * 60 + 20 && n % 2 == 0 && !lunched_.count(n)) || chance(0.004)) {
      bool lunch = m >= 12 * 60 && m < 12 * 60 + 20 && !lunched_.count(n);
      if (lunch) lunched_.insert(n);
      if (call("pause_window", {{"window", n}, {"reason", lunch ? "午休" : "临时会议"}}).ok) {
        push(now + int64_t((lunch ? uniform(40, 60) : uniform(8, 20)) * kMin), PauseEnd, n);
        return;
      }
    }
    Reply r = call("call_next", {{"window", n}});
    if (!r.ok) {
      if (r.code == err::kWindowBusy) push(now + kMin, ServeEnd, n);
      else push(now + int64_t(uniform(0.5, 1.5) * kMin), WindowIdle, n);
      return;
    }
    in_hand_[n] = r.result["ticket"]["category"];
    if (chance(0.05)) {
      push(now + 2 * kMin, NoShowCheck, n);
      return;
    }
    push(now + int64_t(uniform(0.3, 1.2) * kMin), ServeStart, n);
  }

  void serve_start(int n) {
    call("start_serving", {{"window", n}});
    const Category& cat = state_.categories.at(in_hand_[n]);
    double mean_min = cat.default_service_s / 60.0;
    double minutes = std::lognormal_distribution<double>(std::log(mean_min) - 0.18, 0.6)(rng_);
    push(hall_now() + int64_t(std::clamp(minutes, 1.0, mean_min * 5) * kMin), ServeEnd, n);
  }

  void serve_end(int n) {
    int64_t now = hall_now();
    if (chance(0.03) && state_.categories.size() > 1) {
      auto it = state_.categories.begin();
      std::advance(it, int(uniform(0, double(state_.categories.size()))));
      if (it->first != in_hand_[n] &&
          call("transfer", {{"window", n}, {"to_category", it->first}, {"reason", "需转其他窗口办理"}}).ok) {
        push(now + kMin, WindowIdle, n);
        return;
      }
    }
    Reply r = call("finish", {{"window", n}});
    if (r.ok) {
      ++served_;
      const json& t = r.result["ticket"];
      if (chance(0.75)) rate(t["key"]);
      std::string item = t.value("item", "");
      if (!item.empty() && state_.items.count(item) && state_.items.at(item).promised_days > 0 && chance(0.5))
        call("accept_case", {{"item", item}, {"applicant", random_name()}});
    }
    push(now + int64_t(uniform(0.2, 1.0) * kMin), WindowIdle, n);
  }

  void rate(const std::string& ticket) {
    static const int levels[] = {5, 4, 3, 2, 1};
    static const double weights[] = {66, 22, 7, 3.5, 1.5};
    int level = levels[std::discrete_distribution<int>(std::begin(weights), std::end(weights))(rng_)];
    json args{{"ticket", ticket}, {"level", level}, {"channel", chance(0.8) ? "evaluator" : "kiosk"}};
    if (level <= 2) {
      static const std::vector<std::string> reasons{"等候时间长", "一次性告知不到位", "服务态度差", "办事流程繁琐", "材料要求多"};
      args["reasons"] = {reasons[size_t(uniform(0, double(reasons.size())))]};
    }
    if (call("rate", args).ok) ++ratings_;
  }

  void no_show_check(int n) {
    call("recall", {{"window", n}});
    call("skip", {{"window", n}});
    push(hall_now() + int64_t(0.5 * kMin), WindowIdle, n);
  }

  // Cases accepted on earlier working days, so today's finishes are spread
  // around their promised limits: most early, some late.
  void backfill_cases() {
    Day today = day_of(hall_now(), state_.hall.utc_offset_minutes);
    int made = 0;
    std::set<std::string> served;  // a village point takes in only what its windows serve
    for (const auto& [n, w] : state_.windows) served.insert(w.categories.begin(), w.categories.end());
    for (auto& [code, item] : state_.items) {
      if (item.promised_days <= 0 || !served.count(item.category)) continue;
      for (int i = 0; i < 3; ++i) {
        // Mostly within the promise; about one in ten past it.
        int back = 1 + int(uniform(0, item.promised_days * 1.1 + 0.5));
        Day accepted = today;
        for (int k = 0; k < back;) {
          accepted -= std::chrono::days{1};
          if (state_.calendar.is_working_day(accepted)) ++k;
        }
        Reply r = call("accept_case", {{"item", code}, {"applicant", random_name()}, {"accepted_day", format_day(accepted)}});
        if (!r.ok) continue;
        std::string number = r.result["case"]["number"];
        open_cases_.push_back(number), ++made;
        if (chance(0.7)) call("advance_case", {{"number", number}, {"step", "审查"}});  // the approval system's steps
        if (chance(0.3)) call("advance_case", {{"number", number}, {"step", "决定"}});
      }
    }
    say("accepted %d cases from earlier days", made);
  }

  void case_tick() {
    int64_t now = hall_now();
    if (hall_open() && !open_cases_.empty()) {
      size_t i = size_t(uniform(0, double(open_cases_.size())));
      if (chance(0.85)) {
        call("finish_case", {{"number", open_cases_[i]}});
        open_cases_.erase(open_cases_.begin() + long(i));
      } else {
        call("advance_case", {{"number", open_cases_[i]}, {"step", chance(0.5) ? "审查" : "决定"}});
      }
    }
    push(now + int64_t(uniform(4, 10) * kMin), CaseTick);
  }

  void followup_tick() {
    auto open = mirror_.read([](const HallState& s) {
      std::vector<std::string> keys;
      for (auto& [k, f] : s.followups)
        if (f.state != FollowUpState::Closed) keys.push_back(k);
      return keys;
    });
    if (!open.empty() && hall_open()) call("advance_followup", {{"rating", open.front()}, {"note", "已联系当事人"}});
    push(hall_now() + int64_t(uniform(30, 60) * kMin), FollowUpTick);
  }

  std::string random_name() {
    static const std::vector<std::string> family{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};
    static const std::vector<std::string> given{"建华", "秀英", "明", "丽", "伟", "芳", "志强", "桂英", "海", "静"};
    return family[size_t(uniform(0, 10))] + given[size_t(uniform(0, 10))];
  }

  void handle(const Event& e) {
    switch (e.kind) {
      case Arrival: arrival(); break;
      case WindowIdle: window_idle(e.window); break;
      case ServeStart: serve_start(e.window); break;
      case ServeEnd: serve_end(e.window); break;
      case NoShowCheck: no_show_check(e.window); break;
      case PauseEnd:
        call("resume_window", {{"window", e.window}});
        push(hall_now(), WindowIdle, e.window);
        break;
      case CaseTick: case_tick(); break;
      case FollowUpTick: followup_tick(); break;
      case BookingCheckIn:
        if (call("check_in", {{"code", codes_[size_t(e.window)]}}).ok) ++issued_;
        break;
    }
  }

  Options o_;
  std::mt19937 rng_;
  HallClient client_;
  HallMirror mirror_;
  HallState state_;
  double speed_ = 1;
  int64_t hall_origin_ = 0;
  std::chrono::steady_clock::time_point real_origin_;
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> events_;
  std::map<int, std::string> in_hand_;
  std::map<std::string, int> bookings_;
  std::vector<std::string> codes_;             // booking codes, by the index a check-in event carries
  int booked_ = 0;
  std::set<std::string> used_staff_;
  std::set<int> lunched_;
  std::vector<std::string> open_cases_;
  int issued_ = 0, served_ = 0, ratings_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "hall-sim: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--commands") o.commands = value();
    else if (a == "--updates") o.updates = value();
    else if (a == "--visitors") o.visitors = std::max(1, std::atoi(value().c_str()));
    else if (a == "--seed") o.seed = uint32_t(std::strtoul(value().c_str(), nullptr, 10));
    else if (a == "--minutes") o.run_minutes = std::atof(value().c_str());
    else if (a == "--quiet") o.quiet = true;
    else {
      std::fprintf(stderr,
                   "usage: hall-sim [--commands EP] [--updates EP] [--visitors N] [--seed N] [--minutes REAL_MINUTES] [--quiet]\n"
                   "  The simulation runs at the hall server's speed: start the server with --speed 60\n"
                   "  (and --start YYYY-MM-DDTHH:MM) for a hall day in nine minutes.\n");
      return a == "--help" ? 0 : 2;
    }
  }
  return Simulator(o).run();
}
