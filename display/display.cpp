#include "display/display.h"

#include <unistd.h>
#include "shared/sdnotify.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "shared/client.h"

namespace hall::display {

using steady = std::chrono::steady_clock;

HallDisplay::HallDisplay(Layout layout, ui::RunFlags flags, bool headless)
    : layout_(std::move(layout)),
      headless_(headless),
      runner_("hall-display", std::move(flags)),
      mirror_(layout_.bus.commands, layout_.bus.updates, MirrorOptions{.curve = layout_.curve}) {
  for (const auto& slot : layout_.pages) pages_.push_back(make_page(slot.page));
  if (layout_.county) county_ = std::make_unique<CountyMirror>(layout_.county_bus.commands, layout_.county_bus.updates, MirrorOptions{.curve = layout_.curve});
}

int HallDisplay::run() {
  const bool once = !runner_.flags().screenshot.empty();
  if (county_) return run_county(once);
  mirror_.start();
  // A screenshot is of the hall as the server has it: its state first, then its clock.
  if (once && !mirror_.wait_until([](const HallState& st) { return !st.hall.id.empty(); }, runner_.flags().sync_timeout_ms)) {
    std::fprintf(stderr, "hall-display: no state from the hall server at %s within %d ms\n", layout_.bus.commands.c_str(),
                 runner_.flags().sync_timeout_ms);
    return 1;
  }
  // Hall time comes from the server (a demo hall may run at 60×).
  HallClient client(layout_.bus.commands, ClientOptions{1500, once ? 4 : 2, layout_.curve});
  Reply ping = client.call("ping");
  if (ping.ok) clock_ = HallClock(ping.result.value("now_ms", wall_ms()), ping.result.value("speed", 1.0));
  else std::fprintf(stderr, "hall-display: hall server %s: %s (showing the clock of this machine)\n",
                    layout_.bus.commands.c_str(), ping.message.c_str());
  runner_.open(screen_options());
  runner_.watch(mirror_);
  {
    char host[64] = "";
    gethostname(host, sizeof host - 1);
    const std::string first = layout_.pages.empty() ? "display" : layout_.pages.front().page;
    runner_.report_as({"display-" + first + (layout_.window ? "-" + std::to_string(layout_.window) : "") + "@" + host, "display", 0},
                      layout_.bus.commands, layout_.curve);
  }
  if (!once) announcer_ = std::make_unique<Announcer>(layout_.voice, layout_.voice_name);
  return runner_.run(*this);
}

ui::ScreenOptions HallDisplay::screen_options() const {
  ui::ScreenOptions so;
  so.width = layout_.width;
  so.height = layout_.height;
  so.fullscreen = layout_.fullscreen && !headless_;
  so.headless = headless_;
  so.renderer = layout_.renderer;
  so.title = "hall-display";
  return so;
}

int HallDisplay::run_county(bool once) {
  county_->start();
  if (once && !county_->wait_until([](const CountyState& st) { return !st.county.id.empty(); }, runner_.flags().sync_timeout_ms)) {
    std::fprintf(stderr, "hall-display: no state from the county server at %s within %d ms\n", layout_.county_bus.commands.c_str(),
                 runner_.flags().sync_timeout_ms);
    return 1;
  }
  clock_ = HallClock(wall_ms(), 1.0);  // a county runs on the wall clock
  runner_.open(screen_options());
  county_->on_change([this](const MirrorChange&) { runner_.screen().wake(); });
  return runner_.run(*this);
}

std::string HallDisplay::page_name() const {
  return slot_ < layout_.pages.size() ? layout_.pages[slot_].page : "";
}

bool HallDisplay::due() {
  // before_frame() has run: a rotation it made shows as a slot not drawn yet.
  // A command's changes come a few ms apart (a finish, then a call): the
  // first waits 15 ms for the rest, so they cost one frame, not two.
  const auto now = steady::now();
  const uint64_t drawn = county_ ? drawn_county_seq_ : drawn_seq_;
  bool news = bus_seq() != drawn;
  if (news && !settling_) settling_ = true, settle_until_ = now + kSettle;
  if (news && now < settle_until_ && synced() && drawn != UINT64_MAX) news = false;
  const bool changed = news || bus_stale() != drawn_stale_ ||
                       int(clock_.now_ms() / 60000) != drawn_minute_ || slot_ != drawn_slot_;
  // Motion alone redraws only what of it is due; anything else, or a PNG due, the whole screen.
  bool motion = false, everywhere = false;
  moving_area_ = {};
  for (const Motion& m : motions_) {
    if (now < m.due) continue;
    motion = true;
    if (m.where.w <= 0 || m.where.h <= 0) {
      everywhere = true;
      continue;
    }
    if (moving_area_.w <= 0) {
      moving_area_ = m.where;
      continue;
    }
    float x0 = std::min(moving_area_.x, m.where.x), y0 = std::min(moving_area_.y, m.where.y);
    float x1 = std::max(moving_area_.right(), m.where.right()), y1 = std::max(moving_area_.bottom(), m.where.bottom());
    moving_area_ = {x0, y0, x1 - x0, y1 - y0};
  }
  motion_only_ = motion && !changed && !everywhere && !runner_.png_due();
  return changed || motion;
}

void HallDisplay::note_calls(const HallState& s) {
  if (s.hall.id.empty()) return;  // no state yet
  std::string id = s.calls.empty() ? "" : s.calls.front().ticket + "@" + std::to_string(s.calls.front().at_ms);
  // What was called before this screen had the state is not news; the
  // first call of a morning that started with none is.
  const bool first = !calls_known_;
  calls_known_ = true;
  if (id == last_call_ || id.empty()) return;
  last_call_ = id;
  if (first) return;
  const CallRecord& top = s.calls.front();
  flash_until_ = steady::now() + std::chrono::seconds(4);
  if (announcer_) announcer_->announce(top.number, top.window, top.recall);
}

void HallDisplay::before_frame() {
  const int64_t now = clock_.now_ms();
  const int minute = int(now / 60000);
  if (county_ && county_->seq() != drawn_county_seq_) {
    county_state_ = county_->copy();
    std::string words;  // every name the county pages may write, so the atlas is built once here
    for (const auto& [id, h] : county_state_.halls) words += h.name;
    for (const auto& [p, r] : county_state_.rankings)
      for (const auto* list : {&r.departments, &r.items_compression})
        for (const auto& e : *list) words += e.name;
    for (const auto& card : county_state_.warnings.cards)
      for (const auto& reason : card.reasons) words += reason;
    runner_.screen().fonts().want(ui::Size::Body, words + county_state_.county.name);
    runner_.screen().fonts().want(ui::Size::Title, words + county_state_.county.name);
  }
  if (!county_ && (mirror_.seq() != drawn_seq_ || minute != drawn_minute_ || !mirror_.synced())) {
    state_ = runner_.state();  // copied only when the mirror changed: a busy hall's state is large
    stats_ = compute_stats(state_, now);
    size_t vocabulary = state_.categories.size() + state_.windows.size() + state_.items.size() + state_.staff.size() + state_.announcements.size();
    if (vocabulary != prewarmed_) {
      prewarm_glyphs(runner_.screen().fonts(), state_);
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
}

void HallDisplay::draw(ui::Canvas& canvas) {
  const int64_t now = clock_.now_ms();
  const int minute = int(now / 60000);
  PageContext ctx{state_, stats_, layout_, canvas, ui::Rect{0, 0, float(runner_.screen().width()), float(runner_.screen().height())}, now};
  ctx.portrait = runner_.screen().height() > runner_.screen().width();
  ctx.real_ms = std::chrono::duration_cast<std::chrono::milliseconds>(steady::now().time_since_epoch()).count();
  ctx.flash_ms_left = std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::milliseconds>(flash_until_ - steady::now()).count());
  bool stale = bus_stale();
  Page& page = *pages_[slot_];
  if (county_) {
    ctx.county = &county_state_;
    draw_county_header(ctx, page.title(), stale, county_->last_heard_ms());
    if (!county_->synced()) canvas.text_in(ui::Size::Big, ctx.area, ui::color::kMuted, "正在连接县级服务器…", ui::Align::Center);
    else page.draw(ctx);
    drawn_county_seq_ = county_state_.seq;
  } else {
    draw_header(ctx, page.title(), stale, mirror_.last_heard_ms());
    if (!mirror_.synced()) {
      canvas.text_in(ui::Size::Big, ctx.area, ui::color::kMuted, "正在连接大厅服务器…", ui::Align::Center);
    } else if (!hall_open(state_, now) || !state_.calendar.is_working_day(day_of(now, state_.hall.utc_offset_minutes))) {
      draw_closed(ctx);
    } else {
      page.draw(ctx);
    }
  }
  drawn_seq_ = state_.seq;
  settling_ = false;
  drawn_slot_ = slot_;
  drawn_minute_ = minute;
  drawn_stale_ = stale;
  // The motions drawn now are due again when they said; in a region frame,
  // those outside the region were not drawn and keep their time.
  const auto at = steady::now();
  std::vector<Motion> next;
  for (const Motion& m : motions_)
    if (canvas.region() && canvas.outside_region(m.where) && m.where.w > 0) next.push_back(m);
  for (const auto& m : ctx.motions)
    if (!canvas.region() || !canvas.outside_region(m.where) || m.where.w <= 0) next.push_back({at + std::chrono::milliseconds(m.in_ms), m.where});
  motions_ = std::move(next);
  motion_only_ = false;
}

int HallDisplay::idle_ms() const {
  // Sleep until a moving page next changes (a blink's edge, a ticker's step),
  // the clock's minute turns (in hall time), a page rotates, or the bus wakes
  // us; and look at the stale flag every second.
  double speed = std::max(1.0, clock_.scale());
  int64_t to_minute = int64_t((60000 - clock_.now_ms() % 60000) / speed) + 1;
  int64_t wait = std::min<int64_t>(to_minute, 1000);
  if (settling_) wait = std::min<int64_t>(wait, std::chrono::duration_cast<std::chrono::milliseconds>(settle_until_ - steady::now()).count() + 1);
  for (const Motion& m : motions_)
    wait = std::min<int64_t>(wait, std::chrono::duration_cast<std::chrono::milliseconds>(m.due - steady::now()).count() + 1);
  if (pages_.size() > 1) {
    auto left = std::chrono::seconds(layout_.pages[slot_].seconds) - (steady::now() - slot_started_);
    wait = std::min<int64_t>(wait, std::max<int64_t>(1, std::chrono::duration_cast<std::chrono::milliseconds>(left).count()));
  }
  return int(std::max<int64_t>(1, wait));
}

}  // namespace hall::display
