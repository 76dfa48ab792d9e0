#include "evaluator/evaluator.h"

#include "shared/ui/widgets.h"

namespace hall::evaluator {

using steady = std::chrono::steady_clock;

Evaluator::Evaluator(Options o)
    : o_(std::move(o)), runner_("hall-evaluator", o_.run), mirror_(o_.commands, o_.updates, MirrorOptions{.curve = o_.curve}) {
  outbox_ = std::make_unique<Outbox>(o_.outbox, o_.commands, 2000,
                                     DeviceIdentity{"evaluator-" + std::to_string(o_.window), "evaluator", o_.window}, o_.curve);
  outbox_->on_delivered([this](const std::string& key, const Reply&) {
    runner_.queue().post([this, key] {
      if (key == waiting_key_) waiting_key_.clear();
    });
  });
  ui::ScreenOptions so;
  so.width = o_.width, so.height = o_.height, so.headless = o_.headless, so.fullscreen = o_.fullscreen, so.title = "hall-evaluator";
  so.renderer = o_.renderer;
  so.locked = !o_.headless;  // faces the public: no way to the desktop
  runner_.open(so);
  runner_.watch(mirror_);
  runner_.report_as({"evaluator-" + std::to_string(o_.window), "evaluator", o_.window}, o_.commands, o_.curve);
  mirror_.start();
  outbox_->start();
}

Evaluator::~Evaluator() {
  outbox_->stop();
  mirror_.stop();
}

void Evaluator::go(Page p) {
  page_ = p;
  page_since_ = steady::now();
  if (p == Page::Idle) {
    ticket_.clear(), number_.clear(), level_ = 0, reasons_.clear();
  }
}

void Evaluator::watch_window(const HallState& s) {
  auto w = s.windows.find(o_.window);
  if (w == s.windows.end()) return;
  if (page_ == Page::Rate) {  // rated elsewhere meanwhile (a kiosk, the app): nothing left to ask
    auto t = s.tickets.find(ticket_);
    if (t != s.tickets.end() && t->second.rated) {
      auto r = s.ratings.find("T/" + ticket_);
      level_ = r == s.ratings.end() ? 5 : r->second.level;  // the thank-you fits the rating given
      go(Page::Thanks);
    }
  }
  const std::string& now = w->second.ticket;
  if (!now.empty()) {
    held_ = now;
    return;
  }
  if (held_.empty()) return;
  auto t = s.tickets.find(held_);
  std::string finished = held_;
  held_.clear();
  if (t == s.tickets.end() || t->second.state != TicketState::Done || t->second.rated) return;  // transferred, no-show…
  if (page_ == Page::Reasons) submit();  // the previous citizen chose a level: never drop it
  go(Page::Rate);
  ticket_ = finished;
  number_ = t->second.number;
}

void Evaluator::preview(const std::string& number, Page page) {
  go(page);
  ticket_ = "preview/" + number;
  number_ = number;
  if (page != Page::Rate) level_ = 2, reasons_ = {"等候时间长"};  // a 差评 shows the most of the flow
}

void Evaluator::submit() {
  json args{{"ticket", ticket_}, {"level", level_}, {"channel", "evaluator"}, {"window", o_.window}};
  if (!reasons_.empty()) args["reasons"] = std::vector<std::string>(reasons_.begin(), reasons_.end());
  Kept kept = outbox_->put("rate", args);  // durable before the thank-you, or the page says it is not
  waiting_key_ = kept.on_disk ? "" : kept.key;
  go(Page::Thanks);
}

void Evaluator::before_frame() {
  watch_window(runner_.state());
  auto on_page = steady::now() - page_since_;
  if (page_ == Page::Thanks && on_page > std::chrono::seconds(o_.thanks_seconds)) go(Page::Idle);
  if (page_ == Page::Rate && on_page > std::chrono::seconds(o_.rating_seconds)) go(Page::Idle);  // nothing was entered
  if (page_ == Page::Reasons && on_page > std::chrono::seconds(o_.rating_seconds)) submit();       // the level was: keep it
}

void Evaluator::draw(ui::Canvas& c) {
  const HallState& s = runner_.state();
  switch (page_) {
    case Page::Idle: draw_idle(c, s); break;
    case Page::Rate: draw_rate(c, s); break;
    case Page::Reasons: draw_reasons(c); break;
    case Page::Thanks: draw_thanks(c); break;
  }
  if (mirror_.synced() && mirror_.stale()) {
    float u = c.u();
    const float W = float(screen().width()), H = float(screen().height());
    c.fill({0, H - 48 * u, W, 48 * u}, ui::color::kPaused);
    c.text_in(ui::Size::Small, {0, H - 48 * u, W, 48 * u}, ui::color::kGround, "网络中断：您的评价会保存在本机，恢复后自动提交", ui::Align::Center);
  }
}

}  // namespace hall::evaluator
