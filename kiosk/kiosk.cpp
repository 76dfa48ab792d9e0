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
      runner_("hall-kiosk", o_.run),
      mirror_(o_.commands, o_.updates, MirrorOptions{.curve = o_.curve}),
      client_(o_.commands, ClientOptions{2500, 2, o_.curve}) {
  std::error_code ec;
  std::filesystem::create_directories(o_.state_dir, ec);
  if (ec) throw std::runtime_error("state directory " + o_.state_dir + ": " + ec.message());
  char host[64] = "";
  gethostname(host, sizeof host - 1);
  outbox_ = std::make_unique<Outbox>(o_.state_dir + "/outbox", o_.commands, 2000, DeviceIdentity{std::string("kiosk@") + host, "kiosk", 0},
                                     o_.curve);
  outbox_->on_delivered([this](const std::string& key, const Reply& r) { runner_.queue().post([this, key, r] { delivered(key, r); }); });
  // The catalogue as last synced: the guides keep working while the server is away.
  try {
    json kept = read_json_file(o_.state_dir + "/catalogue.json");
    for (auto& [key, value] : kept.items()) kept_.apply(key, value);
  } catch (const std::exception& e) {
    if (std::filesystem::exists(o_.state_dir + "/catalogue.json")) std::fprintf(stderr, "hall-kiosk: kept catalogue unreadable, ignored: %s\n", e.what());
  }
  ui::ScreenOptions so;
  so.width = o_.width, so.height = o_.height, so.headless = o_.headless, so.fullscreen = o_.fullscreen, so.title = "hall-kiosk";
  so.renderer = o_.renderer;
  so.locked = o_.locked && !o_.headless;
  runner_.open(so);
  screen().on_event([](const SDL_Event& e, void* self) { static_cast<Kiosk*>(self)->handle_event(e); }, this);
  runner_.watch(mirror_, [this](const MirrorChange& change) {
    bool catalogue = change.resynced;
    for (const auto& k : change.keys)
      catalogue |= k.rfind("item/", 0) == 0 || k.rfind("policy/", 0) == 0 || k.rfind("category/", 0) == 0 || k == "hall";
    if (catalogue) catalogue_changed_ = true;
  });
  device_id_ = o_.run.device.empty() ? std::string("kiosk@") + host : o_.run.device;
  runner_.report_as({std::string("kiosk@") + host, "kiosk", 0}, o_.commands, o_.curve);
  mirror_.start();
  outbox_->start();
}

std::string Kiosk::page_name() const {
  static const char* const names[] = {"home", "categories", "lane", "ticket", "notice", "guide", "search", "item", "lookup", "case_result",
                                      "rate_entry", "rate_levels", "rate_reasons", "rate_comment", "rate_done", "complaint", "complaint_text",
                                      "complaint_done", "policies", "policy", "appointment", "book_category", "book_day",
                                      "book_slot", "book_phone", "book_done", "check_in", "check_in_confirm", "maintenance_pin", "maintenance",
                                      "help"};
  static_assert(sizeof names / sizeof names[0] == size_t(Page::Help) + 1, "a name for every page");
  return names[int(page_)];
}

// The printer's last word: a receipt that failed to print most often means the roll ran out.
std::string Kiosk::paper() const { return o_.printer.empty() ? "" : print_failed_ ? "out" : "ok"; }

Kiosk::~Kiosk() {
  worker_.wait_idle();
  outbox_->stop();
  mirror_.stop();
}

void Kiosk::go(Page p) {
  if (p == Page::Home) reset_input(), home_counts_.at = {};  // counted afresh for whoever walks up
  page_ = p;
  list_page_ = 0;
}

// Everything a citizen typed or chose goes when the next one may walk up.
void Kiosk::reset_input() {
  guide_ = {}, lookup_ = {}, rate_ = {}, complaint_ = {}, booking_ = {}, sending_ = {}, maintenance_ = {};
  asking_ = false;
  if (pinyin_) pinyin_->clear();  // a half-spelled word or a half-written character is the last citizen's too
  if (hand_) hand_->clear();
  pinyin_on_ = true, hand_on_ = false;
}

bool Kiosk::holds_unsent_input() const {
  // A word being spelled or a character half written is input too: the idle timer asks before it goes.
  if ((pinyin_ && !pinyin_->spelling().empty()) || (hand_ && !hand_->empty())) return true;
  switch (page_) {
    case Page::Lookup: case Page::CaseResult: return lookup_.holds_unsent_input();
    case Page::RateEntry: case Page::RateLevels: case Page::RateReasons: case Page::RateComment: case Page::RateDone: return rate_.holds_unsent_input();
    case Page::Complaint: case Page::ComplaintText: case Page::ComplaintDone: return complaint_.holds_unsent_input();
    case Page::Guide: case Page::Search: case Page::Item: case Page::Policies: case Page::Policy: return guide_.holds_unsent_input();
    case Page::BookPhone: case Page::CheckIn: return booking_.holds_unsent_input();
    default: return false;
  }
}

// Text typed on a keyboard (a USB keyboard, or an input method on the
// compositor) goes to the field the page is editing.
void Kiosk::handle_event(const SDL_Event& e) {
  if (handle_writing(e)) return screen().wake();
  std::string* field = nullptr;
  size_t max = 0;
  if (page_ == Page::Search) field = &guide_.query, max = 20;
  else if (page_ == Page::RateComment) field = &rate_.own, max = kOwnCommentChars;
  else if (page_ == Page::ComplaintText) field = complaint_.typing_phone ? &complaint_.phone : &complaint_.text, max = complaint_.typing_phone ? 20 : 300;
  if (!field) return;
  if (e.type == SDL_TEXTINPUT) {
    std::string text = e.text.text;
    if (complaint_.typing_phone && text.find_first_not_of("0123456789") != std::string::npos) return;
    edit_text(*field, text, max);
  } else if (e.type == SDL_KEYDOWN && e.key.keysym.scancode == SDL_SCANCODE_BACKSPACE) {
    edit_text(*field, kDelete, max);
  }
  screen().wake();
}

void Kiosk::take(const std::string& category, const std::string& lane, const std::string& item) {
  if (busy()) return;  // a second tap while the first is on its way does nothing
  if (!online()) {
    notice_ = t()("offline.no_ticket");
    go(Page::Notice);
    return;
  }
  json args{{"category", category}, {"lane", lane}};
  if (!item.empty()) args["item"] = item;
  worker_.post([this, args]() -> std::function<void()> {
    Reply r = client_.call("take_ticket", args);
    return [this, r] { ticket_answered(r); };
  });
}

// A case lookup's answer: shown only if the citizen still waits for it.
void Kiosk::lookup_answered(const Reply& r) {
  if (page_ != Page::Lookup) return;
  if (r.ok) lookup_.result = r.result, go(Page::CaseResult);
  else lookup_.error = r.code == err::kUnknownCase ? t()("lookup.unknown") : r.code == err::kTimeout ? t()("lookup.offline") : r.message;
}

void Kiosk::ticket_answered(const Reply& r) {
  if (!r.ok) {
    notice_ = r.code == err::kTimeout ? t()("offline.no_ticket") : t()("ticket.refused", {{"why", r.message}});
    go(Page::Notice);
    return;
  }
  ticket_ = r.result;  // a ticket is issued even if the citizen turned away meanwhile: show and print it
  go(Page::Ticket);
  print_status_.clear();
  if (o_.printer.empty()) return;
  const HallState& s = runner_.state();
  Receipt receipt;
  receipt.hall = s.hall.name;
  receipt.number = ticket_["ticket"]["number"];
  auto cat = s.categories.find(ticket_["ticket"]["category"]);
  receipt.category = cat == s.categories.end() ? "" : cat->second.name;
  if (auto item = s.items.find(ticket_["ticket"].value("item", "")); item != s.items.end()) receipt.lines.push_back(item->second.name);
  receipt.lines.push_back(zh_("ticket.ahead", {{"n", std::to_string(ticket_["ahead"].get<int>())}}));
  int64_t est = ticket_["estimated_wait_ms"];
  if (est >= 0) receipt.lines.push_back(zh_("ticket.estimate", {{"m", std::to_string((est + 59999) / 60000)}}));
  receipt.qr = ticket_qr_text(ticket_);
  std::string error = send_to_printer(o_.printer, encode_receipt(receipt));
  print_status_ = error.empty() ? t()("ticket.printed") : t()("ticket.print_failed");
  print_failed_ = !error.empty();
  if (!error.empty()) std::fprintf(stderr, "hall-kiosk: %s\n", error.c_str());
}

// The answer to what this page put in the outbox: shown when it comes; when
// the bus is down the page says it is kept and will be sent.
void Kiosk::delivered(const std::string& key, const Reply& reply) {
  if (key != sending_.key) return;  // an earlier citizen's, or sent from a page since left
  sending_.key.clear();
  sending_.ok = reply.ok;
  if (reply.ok) sending_.status = page_ == Page::ComplaintDone ? t()("complaint.received", {{"id", reply.result["complaint"].value("id", "")}})
                                                              : t()("rate.received");
  else if (reply.code == err::kAlreadyRated) sending_.status = t()("rate.already");
  else sending_.status = t()("send.refused", {{"why", reply.message}});
}

void Kiosk::keep_catalogue(const HallState& s) {
  // A change that came after this frame took its state waits for the next frame's, which has it.
  if (s.items.empty() || runner_.state_pending() || !catalogue_changed_.exchange(false)) return;
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

// Live state (copied only when the mirror changed), or the catalogue kept on disk.
const HallState& Kiosk::view() {
  if (!mirror_.synced()) return kept_;
  const HallState& s = runner_.state();
  keep_catalogue(s);
  return s;
}

float Kiosk::content_top() const { return 130 * runner_.screen().unit(); }

void Kiosk::before_frame() {
  auto now = Clock::now();
  if (screen().input_owed()) touched_ = now;
  // Untouched for a while: back home, but a page holding unsent input asks first.
  bool idle = page_ != Page::Home && !busy() && now - touched_ > std::chrono::seconds(o_.idle_seconds);
  if (idle && !asking_) {
    if (holds_unsent_input()) asking_ = true;
    else go(Page::Home);
  }
}

// What a first visit from the home tiles opens, in both type sizes; the
// rating reasons once for 差评 and once for a good rating (other phrases).
namespace {
struct WarmView {
  Page page;
  int level = 0;
  bool asking = false;
};
const WarmView kWarmViews[] = {{Page::Home},       {Page::Categories},    {Page::Lane},        {Page::Guide},
                               {Page::Search},     {Page::Lookup},        {Page::RateEntry},   {Page::RateLevels},
                               {Page::RateReasons, 1}, {Page::RateReasons, 5}, {Page::RateComment}, {Page::Complaint}, {Page::ComplaintText},
                               {Page::Policies},   {Page::MaintenancePin}, {Page::Home, 0, true}};
}  // namespace

int Kiosk::warm_views() const { return int(std::size(kWarmViews)) * 2; }

void Kiosk::draw_warm(int i, ui::Canvas& c) {
  const WarmView& w = kWarmViews[size_t(i / 2)];
  const Page page = page_;
  const bool elderly = elderly_, asking = asking_;
  const int list_page = list_page_;
  const std::string category = category_;
  const RateFlow rate = rate_;
  const std::optional<ui::Rect> pad = pad_rect_;
  auto restore = [&] {
    page_ = page, elderly_ = elderly, asking_ = asking, list_page_ = list_page, category_ = category, rate_ = rate, pad_rect_ = pad;
    warming_ = false;
  };
  page_ = w.page, asking_ = w.asking, elderly_ = i % 2 == 1, list_page_ = 0;
  warming_ = true;
  if (w.level) rate_.level = w.level;
  try {
    if (w.page == Page::Lane)  // each category's lanes, over each other: the frame is thrown away
      for (const auto& [code, category] : view().categories) category_ = code, page_ = Page::Lane, draw(c);
    else
      draw(c);
  } catch (...) {
    restore();
    throw;
  }
  restore();
}

void Kiosk::draw(ui::Canvas& c) {
  const HallState& s = view();
  pad_rect_.reset();  // drawn again by the page that has one
  if (asking_) {
    draw_idle_question(c);
    return;
  }
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
    case Page::RateComment: draw_rate_comment(c); break;
    case Page::RateDone: draw_rate_done(c); break;
    case Page::Complaint: draw_complaint(c, s); break;
    case Page::ComplaintText: draw_complaint_text(c); break;
    case Page::ComplaintDone: draw_complaint_done(c); break;
    case Page::Policies: draw_policies(c, s); break;
    case Page::Policy: draw_policy(c, s); break;
    case Page::Appointment: draw_appointment(c); break;
    case Page::BookCategory: draw_book_category(c, s); break;
    case Page::BookDay: draw_book_day(c, s); break;
    case Page::BookSlot: draw_book_slot(c); break;
    case Page::BookPhone: draw_book_phone(c, s); break;
    case Page::BookDone: draw_book_done(c, s); break;
    case Page::CheckIn: draw_check_in(c); break;
    case Page::CheckInConfirm: draw_check_in_confirm(c, s); break;
    case Page::MaintenancePin: draw_maintenance_pin(c); break;
    case Page::Maintenance: draw_maintenance(c, s); break;
    case Page::Help: draw_help(c, s); break;
  }
  draw_chrome(c);
  speak(s);
}

}  // namespace hall::kiosk
