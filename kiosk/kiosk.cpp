#include "kiosk/kiosk.h"

#include "shared/ui/widgets.h"

namespace hall::kiosk {

using steady = std::chrono::steady_clock;

Kiosk::Kiosk(Options o)
    : o_(std::move(o)),
      zh_(Strings::load(o_.strings_dir, "zh-CN")),
      en_(Strings::load(o_.strings_dir, "en")),
      mirror_(o_.commands, o_.updates),
      client_(o_.commands, ClientOptions{2500, 2}) {
  ui::ScreenOptions so;
  so.width = o_.width, so.height = o_.height, so.headless = o_.headless, so.title = "hall-kiosk";
  screen_ = std::make_unique<ui::Screen>(so);
  mirror_.on_change([this](const MirrorChange&) { screen_->wake(); });
  mirror_.start();
}

Kiosk::~Kiosk() {
  if (in_flight_.valid()) in_flight_.wait();
  mirror_.stop();
}

void Kiosk::go(Page p) {
  page_ = p;
  category_page_ = 0;
}

void Kiosk::take(const std::string& category, const std::string& lane) {
  if (in_flight_.valid()) return;  // a second tap while the first is on its way does nothing
  if (!online()) {
    notice_ = (*t_)("offline.no_ticket");
    go(Page::Notice);
    return;
  }
  in_flight_ = std::async(std::launch::async, [this, category, lane] {
    Reply r = client_.call("take_ticket", {{"category", category}, {"lane", lane}});
    screen_->wake();
    return r;
  });
}

void Kiosk::collect() {
  if (!in_flight_.valid() || in_flight_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
  Reply r = in_flight_.get();
  if (!r.ok) {
    notice_ = r.code == err::kTimeout ? (*t_)("offline.no_ticket") : (*t_)("ticket.refused", {{"why", r.message}});
    go(Page::Notice);
    return;
  }
  ticket_ = r.result;
  go(Page::Ticket);
  print_status_.clear();
  if (o_.printer.empty()) return;
  HallState s = mirror_.copy();
  Receipt receipt;
  receipt.hall = s.hall.name;
  receipt.number = ticket_["ticket"]["number"];
  auto cat = s.categories.find(ticket_["ticket"]["category"]);
  receipt.category = cat == s.categories.end() ? "" : cat->second.name;
  receipt.lines.push_back(zh_("ticket.ahead", {{"n", std::to_string(ticket_["ahead"].get<int>())}}));
  int64_t est = ticket_["estimated_wait_ms"];
  if (est >= 0) receipt.lines.push_back(zh_("ticket.estimate", {{"m", std::to_string((est + 59999) / 60000)}}));
  receipt.qr = ticket_["ticket"]["key"];
  std::string error = send_to_printer(o_.printer, encode_receipt(receipt));
  print_status_ = error.empty() ? (*t_)("ticket.printed") : (*t_)("ticket.print_failed");
  if (!error.empty()) std::fprintf(stderr, "hall-kiosk: %s\n", error.c_str());
}

bool Kiosk::frame(int max_wait_ms) {
  if (!screen_->wait(max_wait_ms)) return false;
  if (screen_->input_seen()) touched_ = steady::now();
  collect();
  // Untouched for a while: back home. These pages hold no unsent input.
  if (page_ != Page::Home && !busy() && steady::now() - touched_ > std::chrono::seconds(o_.idle_seconds)) go(Page::Home);
  HallState s = mirror_.copy();
  ui::Canvas c = screen_->begin_frame();
  ui::begin_root();
  switch (page_) {
    case Page::Home: draw_home(c, s); break;
    case Page::Categories: draw_categories(c, s); break;
    case Page::Lane: draw_lane(c, s); break;
    case Page::Ticket: draw_ticket(c, s); break;
    case Page::Notice: draw_notice(c); break;
  }
  draw_chrome(c);
  ui::end_root();
  screen_->end_frame();
  if (screen_->frame_needs_redraw()) screen_->wake();
  return true;
}

}  // namespace hall::kiosk
