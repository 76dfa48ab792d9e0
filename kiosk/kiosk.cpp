#include "kiosk/kiosk.h"

#include <unistd.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "kiosk/keys.h"
#include "shared/config.h"
#include "shared/ui/widgets.h"

namespace hall::kiosk {

Kiosk::Kiosk(Options o)
    : o_(std::move(o)),
      zh_(Strings::load(o_.strings_dir, "zh-CN")),
      en_(Strings::load(o_.strings_dir, "en")),
      mirror_(o_.commands, o_.updates),
      client_(o_.commands, ClientOptions{2500, 2}) {
  std::error_code ec;
  std::filesystem::create_directories(o_.state_dir, ec);
  if (ec) throw std::runtime_error("state directory " + o_.state_dir + ": " + ec.message());
  char host[64] = "";
  gethostname(host, sizeof host - 1);
  outbox_ = std::make_unique<Outbox>(o_.state_dir + "/outbox", o_.commands, 2000, DeviceIdentity{std::string("kiosk@") + host, "kiosk", 0});
  outbox_->on_delivered([this](const std::string& key, const Reply& r) {
    std::lock_guard lock(delivered_mutex_);
    delivered_[key] = r;
    if (screen_) screen_->wake();
  });
  // The catalogue as last synced: the guides keep working while the server is away.
  try {
    json kept = read_json_file(o_.state_dir + "/catalogue.json");
    for (auto& [key, value] : kept.items()) kept_.apply(key, value);
  } catch (const std::exception& e) {
    if (std::filesystem::exists(o_.state_dir + "/catalogue.json")) std::fprintf(stderr, "hall-kiosk: kept catalogue unreadable, ignored: %s\n", e.what());
  }
  ui::ScreenOptions so;
  so.width = o_.width, so.height = o_.height, so.headless = o_.headless, so.fullscreen = o_.fullscreen, so.title = "hall-kiosk";
  so.locked = o_.locked && !o_.headless;
  screen_ = std::make_unique<ui::Screen>(so);
  screen_->on_event([](const SDL_Event& e, void* self) { static_cast<Kiosk*>(self)->handle_event(e); }, this);
  mirror_.on_change([this](const MirrorChange& change) {
    bool catalogue = change.resynced;
    for (const auto& k : change.keys)
      catalogue |= k.rfind("item/", 0) == 0 || k.rfind("policy/", 0) == 0 || k.rfind("category/", 0) == 0 || k == "hall";
    if (catalogue) catalogue_changed_ = true;
    state_changed_ = true;
    screen_->wake();
  });
  mirror_.start();
  outbox_->start();
}

Kiosk::~Kiosk() {
  if (in_flight_.valid()) in_flight_.wait();
  outbox_->stop();
  mirror_.stop();
}

void Kiosk::go(Page p) {
  if (p == Page::Home) reset_input();
  page_ = p;
  list_page_ = 0;
}

// Everything a citizen typed or chose goes when the next one may walk up.
void Kiosk::reset_input() {
  group_.clear(), query_.clear(), item_.clear(), policy_.clear();
  case_number_.clear(), case_result_ = nullptr, case_error_.clear();
  rate_number_.clear(), rate_target_.clear(), rate_kind_.clear(), rate_level_ = 0, rate_reasons_.clear(), rate_comment_.clear();
  complaint_kind_ = "unresolved", complaint_category_.clear(), complaint_text_.clear(), complaint_phone_.clear();
  complaint_phrases_.clear(), typing_phone_ = false;
  pin_.clear(), waiting_key_.clear(), status_.clear(), sent_ok_ = false;
  asking_ = false;
}

bool Kiosk::holds_unsent_input() const {
  switch (page_) {
    case Page::Lookup: return !case_number_.empty();
    case Page::RateEntry: return !rate_number_.empty();
    case Page::RateLevels: case Page::RateReasons: return true;  // a visit chosen, its rating not sent
    case Page::Complaint: case Page::ComplaintText:
      return !complaint_phrases_.empty() || !complaint_text_.empty() || !complaint_phone_.empty() || !complaint_category_.empty();
    default: return false;
  }
}

// Text typed on a keyboard (a USB keyboard, or an input method on the
// compositor) goes to the field the page is editing.
void Kiosk::handle_event(const SDL_Event& e) {
  std::string* field = nullptr;
  size_t max = 0;
  if (page_ == Page::Search) field = &query_, max = 20;
  else if (page_ == Page::ComplaintText) field = typing_phone_ ? &complaint_phone_ : &complaint_text_, max = typing_phone_ ? 20 : 300;
  if (!field) return;
  if (e.type == SDL_TEXTINPUT) {
    std::string text = e.text.text;
    if (typing_phone_ && text.find_first_not_of("0123456789") != std::string::npos) return;
    edit_text(*field, text, max);
  } else if (e.type == SDL_KEYDOWN && e.key.keysym.scancode == SDL_SCANCODE_BACKSPACE) {
    edit_text(*field, kDelete, max);
  }
  screen_->wake();
}

void Kiosk::take(const std::string& category, const std::string& lane, const std::string& item) {
  if (in_flight_.valid()) return;  // a second tap while the first is on its way does nothing
  if (!online()) {
    notice_ = t()("offline.no_ticket");
    go(Page::Notice);
    return;
  }
  json args{{"category", category}, {"lane", lane}};
  if (!item.empty()) args["item"] = item;
  asked_ = Asked::Ticket;
  in_flight_ = std::async(std::launch::async, [this, args] {
    Reply r = client_.call("take_ticket", args);
    screen_->wake();
    return r;
  });
}

void Kiosk::collect() {
  if (!in_flight_.valid() || in_flight_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
  Reply r = in_flight_.get();
  if (asked_ == Asked::Lookup) {  // a case lookup: shown only if the citizen still waits for it
    if (page_ != Page::Lookup) return;
    if (r.ok) case_result_ = r.result, go(Page::CaseResult);
    else case_error_ = r.code == err::kUnknownCase ? t()("lookup.unknown") : r.code == err::kTimeout ? t()("lookup.offline") : r.message;
    return;
  }
  if (!r.ok) {
    notice_ = r.code == err::kTimeout ? t()("offline.no_ticket") : t()("ticket.refused", {{"why", r.message}});
    go(Page::Notice);
    return;
  }
  ticket_ = r.result;  // a ticket is issued even if the citizen turned away meanwhile: show and print it
  go(Page::Ticket);
  print_status_.clear();
  if (o_.printer.empty()) return;
  HallState s = mirror_.copy();
  Receipt receipt;
  receipt.hall = s.hall.name;
  receipt.number = ticket_["ticket"]["number"];
  auto cat = s.categories.find(ticket_["ticket"]["category"]);
  receipt.category = cat == s.categories.end() ? "" : cat->second.name;
  if (auto item = s.items.find(ticket_["ticket"].value("item", "")); item != s.items.end()) receipt.lines.push_back(item->second.name);
  receipt.lines.push_back(zh_("ticket.ahead", {{"n", std::to_string(ticket_["ahead"].get<int>())}}));
  int64_t est = ticket_["estimated_wait_ms"];
  if (est >= 0) receipt.lines.push_back(zh_("ticket.estimate", {{"m", std::to_string((est + 59999) / 60000)}}));
  receipt.qr = ticket_["ticket"]["key"];
  std::string error = send_to_printer(o_.printer, encode_receipt(receipt));
  print_status_ = error.empty() ? t()("ticket.printed") : t()("ticket.print_failed");
  if (!error.empty()) std::fprintf(stderr, "hall-kiosk: %s\n", error.c_str());
}

// The answer to what this page put in the outbox: shown when it comes; when
// the bus is down the page says it is kept and will be sent.
void Kiosk::check_outbox() {
  if (waiting_key_.empty()) return;
  std::optional<Reply> reply;
  {
    std::lock_guard lock(delivered_mutex_);
    auto it = delivered_.find(waiting_key_);
    if (it != delivered_.end()) reply = it->second, delivered_.erase(it);
  }
  if (!reply) return;
  waiting_key_.clear();
  sent_ok_ = reply->ok;
  if (reply->ok) status_ = page_ == Page::ComplaintDone ? t()("complaint.received", {{"id", reply->result["complaint"].value("id", "")}})
                                                       : t()("rate.received");
  else if (reply->code == err::kAlreadyRated) status_ = t()("rate.already");
  else status_ = t()("send.refused", {{"why", reply->message}});
}

void Kiosk::keep_catalogue(const HallState& s) {
  if (!catalogue_changed_.exchange(false) || s.items.empty()) return;
  json kept = json::object();
  kept["hall"] = s.hall;
  for (const auto& [code, c] : s.categories) kept["category/" + code] = c;
  for (const auto& [code, i] : s.items) kept["item/" + code] = i;
  for (const auto& [id, p] : s.policies) kept["policy/" + id] = p;
  // Written beside, synced, then renamed: a power cut leaves the old file or the new one.
  std::string path = o_.state_dir + "/catalogue.json", tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << kept.dump();
    if (!out) { std::fprintf(stderr, "hall-kiosk: cannot write %s\n", tmp.c_str()); return; }
  }
  int fd = ::open(tmp.c_str(), O_RDONLY);
  if (fd >= 0) ::fsync(fd), ::close(fd);
  std::filesystem::rename(tmp, path);
}

// A copy of the mirror only when it changed: a day's tickets are not copied on every frame of a tap.
const HallState& Kiosk::view() {
  if (!mirror_.synced()) return kept_;
  if (state_changed_.exchange(false)) {
    frame_state_ = mirror_.copy();
    keep_catalogue(frame_state_);
  }
  return frame_state_;
}

float Kiosk::content_top() const { return 130 * screen_->unit(); }

bool Kiosk::frame(int max_wait_ms) {
  if (!screen_->wait(max_wait_ms)) return false;
  auto now = Clock::now();
  if (screen_->input_seen()) touched_ = now;
  collect();
  check_outbox();
  // Untouched for a while: back home, but a page holding unsent input asks first.
  bool idle = page_ != Page::Home && !busy() && now - touched_ > std::chrono::seconds(o_.idle_seconds);
  if (idle && !asking_) {
    if (holds_unsent_input()) asking_ = true;
    else go(Page::Home);
  }
  const HallState& s = view();
  ui::Canvas c = screen_->begin_frame();
  ui::begin_root();
  if (asking_) {
    draw_idle_question(c);
  } else {
    switch (page_) {
      case Page::Home: draw_home(c, s); break;
      case Page::Categories: draw_categories(c, s); break;
      case Page::Lane: draw_lane(c, s); break;
      case Page::Ticket: draw_ticket(c, s); break;
      case Page::Notice: draw_notice(c); break;
      case Page::Guide: draw_guide(c, s); break;
      case Page::Search: draw_search(c, s); break;
      case Page::Item: draw_item(c, s); break;
      case Page::Lookup: draw_lookup(c); break;
      case Page::CaseResult: draw_case(c); break;
      case Page::RateEntry: draw_rate_entry(c, s); break;
      case Page::RateLevels: draw_rate_levels(c); break;
      case Page::RateReasons: draw_rate_reasons(c); break;
      case Page::RateDone: draw_rate_done(c); break;
      case Page::Complaint: draw_complaint(c, s); break;
      case Page::ComplaintText: draw_complaint_text(c); break;
      case Page::ComplaintDone: draw_complaint_done(c); break;
      case Page::Policies: draw_policies(c, s); break;
      case Page::Policy: draw_policy(c, s); break;
      case Page::MaintenancePin: draw_maintenance_pin(c); break;
      case Page::Maintenance: draw_maintenance(c, s); break;
    }
    draw_chrome(c);
  }
  ui::end_root();
  screen_->end_frame();
  if (screen_->frame_needs_redraw()) screen_->wake();
  return true;
}

}  // namespace hall::kiosk
