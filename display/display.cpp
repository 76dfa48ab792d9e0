#include "display/display.h"
#include "shared/sdnotify.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "shared/client.h"

namespace hall::display {

using steady = std::chrono::steady_clock;

HallDisplay::HallDisplay(Layout layout, RunOptions options)
    : layout_(std::move(layout)), options_(std::move(options)), mirror_(layout_.bus.commands, layout_.bus.updates) {
  for (const auto& slot : layout_.pages) pages_.push_back(make_page(slot.page));
}

int HallDisplay::run() {
  mirror_.start();
  // Hall time comes from the server (a demo hall may run at 60×).
  HallClient client(layout_.bus.commands, ClientOptions{1500, 2});
  Reply ping = client.call("ping");
  if (ping.ok) clock_ = HallClock(ping.result.value("now_ms", wall_ms()), ping.result.value("speed", 1.0));
  else std::fprintf(stderr, "hall-display: hall server %s: %s (showing the clock of this machine)\n",
                    layout_.bus.commands.c_str(), ping.message.c_str());

  bool once = !options_.screenshot.empty();
  if (once && !mirror_.wait_until([](const HallState& s) { return !s.hall.id.empty(); }, options_.sync_timeout_ms)) {
    std::fprintf(stderr, "hall-display: no state from the hall server at %s within %d ms\n", layout_.bus.commands.c_str(),
                 options_.sync_timeout_ms);
    return 1;
  }
  ui::ScreenOptions so;
  so.width = layout_.width;
  so.height = layout_.height;
  so.fullscreen = layout_.fullscreen && !options_.headless;
  so.headless = options_.headless;
  so.title = "hall-display";
  screen_ = std::make_unique<ui::Screen>(so);
  mirror_.on_change([this](const MirrorChange&) { screen_->wake(); });
  if (!once) announcer_ = std::make_unique<Announcer>(layout_.voice, layout_.voice_name);

  std::ofstream trace;
  if (!options_.trace.empty()) trace.open(options_.trace);
  auto last_png = steady::now() - std::chrono::hours(1);
  int png_failures = 0;
  if (!once) sd_notify_text("READY=1");
  while (true) {
    draw_frame();
    if (screen_->frame_needs_redraw()) continue;  // new glyphs: the atlas was rebuilt, draw again
    if (trace) trace << state_.seq << ' ' << wall_us() << '\n' << std::flush;
    if (once) {
      bool ok = screen_->save_png(options_.screenshot);
      if (ok && !options_.drawlog.empty())
        std::ofstream(options_.drawlog) << ui::draw_log_json(screen_->draw_log()).dump(1);
      if (!ok) std::fprintf(stderr, "hall-display: could not write %s\n", options_.screenshot.c_str());
      return ok ? 0 : 1;
    }
    if (!options_.png.empty() && steady::now() - last_png >= std::chrono::seconds(options_.png_every_s)) {
      if (!screen_->save_png_atomic(options_.png) && ++png_failures == 1)
        std::fprintf(stderr, "hall-display: could not write %s\n", options_.png.c_str());
      if (!options_.drawlog.empty()) {  // beside the PNG: what it shows, as text
        std::string log_tmp = options_.drawlog + ".tmp";
        std::ofstream(log_tmp) << ui::draw_log_json(screen_->draw_log()).dump(1);
        std::filesystem::rename(log_tmp, options_.drawlog);
      }
      last_png = steady::now();
    }
    do {
      if (!screen_->wait(wait_ms())) return 0;
      sd_watchdog_tick();
    } while (!frame_due());
  }
  return 0;
}

bool HallDisplay::frame_due() {
  if ((moving_ && steady::now() >= next_motion_) || mirror_.seq() != drawn_seq_ || (mirror_.synced() && mirror_.stale()) != drawn_stale_) return true;
  if (int(clock_.now_ms() / 60000) != drawn_minute_) return true;
  if (pages_.size() > 1 && steady::now() - slot_started_ >= std::chrono::seconds(layout_.pages[slot_].seconds)) return true;
  return !options_.png.empty();  // headless demo: the PNG refresh needs a frame
}

void HallDisplay::note_calls(const HallState& s) {
  if (s.calls.empty()) return;
  const CallRecord& top = s.calls.front();
  std::string id = top.ticket + "@" + std::to_string(top.at_ms);
  if (id == last_call_) return;
  bool first = last_call_.empty();
  last_call_ = id;
  if (first) return;  // what was called before this screen started is not news
  flash_until_ = steady::now() + std::chrono::seconds(4);
  if (announcer_) announcer_->announce(top.number, top.window, top.recall);
}

void HallDisplay::draw_frame() {
  const int64_t now = clock_.now_ms();
  const int minute = int(now / 60000);
  if (mirror_.seq() != drawn_seq_ || minute != drawn_minute_ || !mirror_.synced()) {
    state_ = mirror_.copy();  // only when something changed: a busy hall's state is large
    stats_ = compute_stats(state_, now);
    size_t vocabulary = state_.categories.size() + state_.windows.size() + state_.items.size() + state_.staff.size();
    if (vocabulary != prewarmed_) {
      prewarm_glyphs(screen_->fonts(), state_);
      prewarmed_ = vocabulary;
    }
    note_calls(state_);
  }
  // Rotation: the next page whose hours include now.
  if (pages_.size() > 1 && steady::now() - slot_started_ >= std::chrono::seconds(layout_.pages[slot_].seconds)) {
    int m = minute_of_day(now, state_.hall.utc_offset_minutes);
    for (size_t k = 1; k <= pages_.size(); ++k) {
      const PageSlot& next = layout_.pages[(slot_ + k) % pages_.size()];
      auto in = [&](const std::string& hhmm) { return std::stoi(hhmm.substr(0, 2)) * 60 + std::stoi(hhmm.substr(3, 2)); };
      bool allowed = (next.from.empty() || m >= in(next.from)) && (next.to.empty() || m < in(next.to));
      if (allowed) {
        slot_ = (slot_ + k) % pages_.size();
        break;
      }
    }
    slot_started_ = steady::now();
  }
  ui::Canvas canvas = screen_->begin_frame();
  PageContext ctx{state_, stats_, layout_, canvas, ui::Rect{0, 0, float(screen_->width()), float(screen_->height())}, now};
  ctx.portrait = screen_->height() > screen_->width();
  ctx.flash_ms_left = std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::milliseconds>(flash_until_ - steady::now()).count());
  bool stale = mirror_.synced() && mirror_.stale();
  Page& page = *pages_[slot_];
  draw_header(ctx, page.title(), stale, mirror_.last_heard_ms());
  if (!mirror_.synced()) {
    canvas.text_in(ui::Size::Big, ctx.area, ui::color::kMuted, "正在连接大厅服务器…", ui::Align::Center);
  } else if (!hall_open(state_, now) || !state_.calendar.is_working_day(day_of(now, state_.hall.utc_offset_minutes))) {
    draw_closed(ctx);
  } else {
    page.draw(ctx);
  }
  screen_->end_frame();
  drawn_seq_ = state_.seq;
  drawn_minute_ = minute;
  drawn_stale_ = stale;
  moving_ = ctx.redraw_in_ms >= 0;
  if (moving_) next_motion_ = steady::now() + std::chrono::milliseconds(ctx.redraw_in_ms);
}

int HallDisplay::wait_ms() const {
  // Sleep until a moving page next changes (a blink's edge, a ticker's step),
  // the clock's minute turns (in hall time), a page rotates, or the bus wakes
  // us; and look at the stale flag every second.
  double speed = std::max(1.0, clock_.scale());
  int64_t to_minute = int64_t((60000 - clock_.now_ms() % 60000) / speed) + 1;
  int64_t wait = std::min<int64_t>(to_minute, 1000);
  if (moving_)
    wait = std::min<int64_t>(wait, std::chrono::duration_cast<std::chrono::milliseconds>(next_motion_ - steady::now()).count() + 1);
  if (pages_.size() > 1) {
    auto left = std::chrono::seconds(layout_.pages[slot_].seconds) - (steady::now() - slot_started_);
    wait = std::min<int64_t>(wait, std::max<int64_t>(1, std::chrono::duration_cast<std::chrono::milliseconds>(left).count()));
  }
  return int(std::max<int64_t>(1, wait));
}

}  // namespace hall::display
