// hall-kiosk: the self-service terminal (自助服务终端), touch-first, portrait
// 1080×1920 or landscape 1920×1080. Six services from the home page, one
// file each: 取号 (take_ticket.cpp), 办事指南 (guide.cpp), 办件查询
// (lookup.cpp), 服务评价 (rate.cpp), 办不成事/投诉建议 (complaint.cpp),
// 惠企政策 (policies.cpp); staff maintenance behind a gesture and a PIN
// (maintenance.cpp). 长辈模式 (larger type and targets, fewer choices per
// page) and English are one tap away on every page.
//
// What a citizen gives (a rating, a complaint) goes through an fsynced
// outbox, so it survives a cut bus or a power loss and arrives exactly once.
// The catalogue is kept on disk, so the guides work with the server away.
#pragma once

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "kiosk/escpos.h"
#include "kiosk/handwriting.h"
#include "kiosk/keys.h"
#include "kiosk/pinyin.h"
#include "kiosk/speech.h"
#include "kiosk/strings.h"
#include "shared/client.h"
#include "shared/config.h"
#include "shared/mirror.h"
#include "shared/outbox.h"
#include "shared/ui/runner.h"

namespace hall::kiosk {

struct Options {
  std::string commands = "tcp://127.0.0.1:5555", updates = "tcp://127.0.0.1:5556";
  int width = 1080, height = 1920;
  bool headless = false, fullscreen = false;
  bool locked = true;              // no way out to the desktop (off for development and tests)
  std::string strings_dir = assets_dir() + "/strings";
  std::string printer;             // device or file path, or tcp:HOST:9100; empty = no printer
  std::string state_dir = "/tmp/hall-kiosk";  // outbox/ and the catalogue kept for offline use
  std::string maintenance_pin = "2580";       // staff PIN for the maintenance page
  int idle_seconds = 60;           // back to the home page after this long untouched
  std::string key_file, server_key_file;  // CURVE key files named in the config (read once, into curve)
  CurveKeys curve;                 // the keys every socket of the kiosk uses; none = plain TCP
  std::string renderer = "auto";
  std::string place;               // where the kiosk stands, in the hall's words: staff called to help walk here
  SpeechOptions speech;            // 语音引导
  std::string handwriting_model = HandwritingInput::kDebianModel;  // the writing pad's Zinnia model
  ui::RunFlags run;
};

// Items matching a search, best first: pinyin initials ("yyzz") or a keyword ("营业执照").
std::vector<std::string> search_catalogue(const std::map<std::string, ServiceItem>& items, const std::string& query);

enum class Page {
  Home, Categories, Lane, Ticket, Notice,
  Guide, Search, Item,
  Lookup, CaseResult,
  RateEntry, RateLevels, RateReasons, RateComment, RateDone,
  Complaint, ComplaintText, ComplaintDone,
  Policies, Policy,
  Appointment, BookCategory, BookDay, BookSlot, BookPhone, BookDone, CheckIn, CheckInConfirm,
  MaintenancePin, Maintenance,
  Help,
};

// Each flow keeps what a citizen typed or chose in its own struct, emptied
// with `= {}` when the next citizen may walk up; each says itself whether
// it holds input not sent yet (the idle rule asks before dropping that).
struct GuideFlow {                       // 办事指南, 惠企政策
  bool by_theme = false;
  std::string group;                     // the department or theme chosen
  std::string query;                     // search: pinyin initials or a keyword
  std::string item, policy;
  bool holds_unsent_input() const { return !query.empty(); }  // browsing sends nothing, but words typed are input
};
struct LookupFlow {                      // 办件查询
  std::string number;
  json result;
  std::string error;
  bool holds_unsent_input() const { return !number.empty() && result.is_null(); }
};
constexpr size_t kOwnCommentChars = 200;  // a rating's own words (the server takes 1,000 bytes: 333 Chinese characters)
struct RateFlow {                        // 服务评价
  std::string number, target, kind;      // kind: "ticket" or "case"; target: the visit chosen
  int level = 0;
  std::set<std::string> reasons;
  std::string comment;                   // one of the common words, tapped
  std::string own;                       // the citizen's own words, typed or written
  bool sent = false;
  bool holds_unsent_input() const { return !sent && (!number.empty() || !target.empty()); }
};
struct ComplaintFlow {                   // 办不成事 / 投诉建议
  std::string kind = "unresolved", category, text, phone;
  std::set<std::string> phrases;
  bool typing_phone = false;
  bool sent = false;
  bool holds_unsent_input() const { return !sent && (!phrases.empty() || !text.empty() || !phone.empty() || !category.empty()); }
};
struct BookingFlow {                     // 预约: book, check in, cancel
  bool cancelling = false;
  std::string category, day, slot, phone, code, error, try_key;
  json slots, booked, found;             // the `slots` answer, the booking made, the booking looked up
  bool holds_unsent_input() const { return !phone.empty() || (!code.empty() && found.is_null()); }
};
struct Sending {                         // what the page put in the outbox, until its answer comes
  std::string key;
  std::chrono::steady_clock::time_point at;
  std::string status;                    // the result line shown
  bool ok = false;
  bool on_disk = true;                   // false: the outbox disk refused it; only memory holds it until delivered
};
struct MaintenanceFlow {
  std::string pin, status;
};

// What a ticket's QR holds: its phone link (the hall's public address and
// an unguessable token, from take_ticket's reply) when the hall has one;
// else the ticket's key, as before there was a web gateway.
inline std::string ticket_qr_text(const json& taken) {
  return taken.contains("link") ? taken["link"].get<std::string>() : taken["ticket"]["key"].get<std::string>();
}

class Kiosk : public ui::Program {
 public:
  explicit Kiosk(Options o);
  ~Kiosk() override;
  bool frame(int max_wait_ms) { return runner_.frame(*this, max_wait_ms); }  // one turn of the loop; false when closed
  int run() { return runner_.run(*this); }
  Page page() const { return page_; }
  bool elderly() const { return elderly_; }
  bool busy() const { return worker_.busy(); }
  // Idle with unsent input: the question "still there?" stays on screen (it
  // shows none of the input) until someone answers; no time limit drops input.
  bool asking() const { return asking_; }
  bool holds_unsent_input() const;                     // a page with something typed or chosen, not sent
  const json& ticket() const { return ticket_; }      // the last ticket taken (take_ticket's result)
  const json& case_result() const { return lookup_.result; }
  const std::string& notice() const { return notice_; }
  const Speaker& speaker() const { return speaker_; }
  const std::string& status() const { return sending_.status; }  // the last result line of a rating or complaint
  ui::Screen& screen() { return runner_.screen(); }
  HallMirror& mirror() { return mirror_; }
  Outbox& outbox() { return *outbox_; }
  const Options& options() const { return o_; }
  // The docs tour and maintenance: open a page as its home tile would; ask
  // the idle question now.
  void open(Page p) { go(Page::Home), go(p); }
  void ask_now() { asking_ = true; }
  void set_elderly(bool on) { elderly_ = on; }

 private:
  using Clock = std::chrono::steady_clock;
  int page_id() const override { return int(page_) * 2 + (asking_ ? 1 : 0); }
  std::string page_name() const override;
  std::string paper() const override;
  void before_frame() override;
  void draw(ui::Canvas& c) override;
  int warm_views() const override;
  void draw_warm(int view, ui::Canvas& c) override;
  void go(Page p);
  void reset_input();
  void take(const std::string& category, const std::string& lane, const std::string& item = "");
  void ticket_answered(const Reply& r);                            // on the UI thread
  void lookup_answered(const Reply& r);
  void delivered(const std::string& key, const Reply& r);
  void handle_event(const SDL_Event& e);
  void keep_catalogue(const HallState& s);
  const HallState& view();                                         // live state, or the catalogue kept on disk
  void draw_chrome(ui::Canvas& c);                                  // home.cpp
  void draw_home(ui::Canvas& c, const HallState& s);                // home.cpp
  void draw_notice(ui::Canvas& c);                                  // home.cpp
  void draw_idle_question(ui::Canvas& c);                           // home.cpp
  void draw_categories(ui::Canvas& c, const HallState& s);          // take_ticket.cpp
  void draw_lane(ui::Canvas& c, const HallState& s);                // take_ticket.cpp
  void draw_ticket(ui::Canvas& c, const HallState& s);              // take_ticket.cpp
  void draw_guide(ui::Canvas& c, const HallState& s);               // guide.cpp
  void draw_search(ui::Canvas& c, const HallState& s);              // guide.cpp
  void draw_item(ui::Canvas& c, const HallState& s);                // guide.cpp
  void draw_help(ui::Canvas& c, const HallState& s);                // help.cpp
  // Chinese into `text` three ways (text_input.cpp): the keys with pinyin
  // (RIME) and a bar of words above them, the same keys as letters (英文),
  // or 手写, a writing pad (Zinnia) with the characters in the same bar.
  void text_keyboard(ui::Canvas& c, ui::Rect area, std::string& text, size_t max_chars);
  void writing_pad(ui::Canvas& c, ui::Rect pad, ui::Rect column, std::string& text, size_t max_chars);
  bool handle_writing(const SDL_Event& e);                          // a stroke's points; true when taken
  void open_typing();                                               // RIME and Zinnia, once, on first use
  void commit_typing(std::string& text, size_t max_chars);          // a word spelled or a character written goes in
  std::string spelling_letters() const;                             // the pinyin being spelled, letters only ("yyzz")
  std::string preedit() const;                                      // the pinyin being spelled, as RIME splits it ("ban shi")
  void text_field(ui::Canvas& c, ui::Rect box, const std::string& typed, const std::string& hint, ImU32 ink, ImU32 hint_ink, bool cursor);
  void ask_help();                                                  // help.cpp
  void draw_lookup(ui::Canvas& c);                                  // lookup.cpp
  void draw_case(ui::Canvas& c);                                    // lookup.cpp
  void draw_rate_entry(ui::Canvas& c, const HallState& s);          // rate.cpp
  void draw_rate_levels(ui::Canvas& c);                             // rate.cpp
  void draw_rate_reasons(ui::Canvas& c);                            // rate.cpp
  void draw_rate_comment(ui::Canvas& c);                            // rate.cpp
  void draw_rate_done(ui::Canvas& c);                               // rate.cpp
  void submit_rating();                                             // rate.cpp
  void draw_complaint(ui::Canvas& c, const HallState& s);           // complaint.cpp
  void draw_complaint_text(ui::Canvas& c);                          // complaint.cpp
  void draw_complaint_done(ui::Canvas& c);                          // complaint.cpp
  void submit_complaint();                                          // complaint.cpp
  void draw_policies(ui::Canvas& c, const HallState& s);            // policies.cpp
  void draw_policy(ui::Canvas& c, const HallState& s);              // policies.cpp
  void draw_appointment(ui::Canvas& c);                             // appointment.cpp
  void draw_book_category(ui::Canvas& c, const HallState& s);       // appointment.cpp
  void draw_book_day(ui::Canvas& c, const HallState& s);            // appointment.cpp
  void draw_book_slot(ui::Canvas& c);                               // appointment.cpp
  void draw_book_phone(ui::Canvas& c, const HallState& s);          // appointment.cpp
  void draw_book_done(ui::Canvas& c, const HallState& s);           // appointment.cpp
  void draw_check_in(ui::Canvas& c);                                // appointment.cpp
  void draw_check_in_confirm(ui::Canvas& c, const HallState& s);    // appointment.cpp
  void print_booking();                                             // appointment.cpp
  std::string booking_error(const Reply& r) const;                  // appointment.cpp
  void draw_maintenance_pin(ui::Canvas& c);                         // maintenance.cpp
  void draw_maintenance(ui::Canvas& c, const HallState& s);         // maintenance.cpp
  bool staff_gesture(ui::Canvas& c);                                // maintenance.cpp
  // A page of a long document (an item, a policy) with 上一页/下一页.
  struct Block {
    enum Kind { Heading, Text, Bullet, Badge } kind;
    std::string text;
  };
  void draw_document(ui::Canvas& c, ui::Rect area, const std::vector<Block>& blocks);  // guide.cpp
  // A paged list of rows (title, subtitle) in area; returns the row tapped or -1. home.cpp
  struct Row {
    std::string id, title, subtitle;
  };
  int draw_list(ui::Canvas& c, ui::Rect area, const std::vector<Row>& rows, int per_page);
  bool pager(ui::Canvas& c, ui::Rect area, int pages);               // ◀ n/m ▶; true when the page changed
  void page_title(ui::Canvas& c, const std::string& title);         // under the chrome row
  // A number typed on the keypad in area: its box (the hint while empty), the error under it, the keys
  // (a key clears the error), and the button that sends it; true when that button was tapped. home.cpp
  bool keypad_entry(ui::Canvas& c, ui::Rect area, std::string& text, size_t max, const std::string& hint, std::string& error, const char* go_id,
                    const std::string& go_label, bool ready);
  // Label: value lines on a panel (a fact with an empty label spans the panel); returns the panel drawn.
  ui::Rect draw_facts(ui::Canvas& c, ui::Rect panel, const std::vector<std::pair<std::string, std::string>>& facts, ui::Size value_size,
                      ImU32 last_ink);
  void draw_sent(ui::Canvas& c, const std::string& title, const std::string& after_received);  // home.cpp
  ui::Size body() const { return elderly_ ? ui::Size::Title : ui::Size::Body; }
  ui::Size heading() const { return elderly_ ? ui::Size::Big : ui::Size::Title; }
  float content_top() const;                                        // below the chrome row
  ui::Rect below(float y) {                                         // the screen's full width from y down
    return {0, y, float(screen().width()), float(screen().height()) - y};
  }
  bool online() const { return mirror_.synced() && !mirror_.stale(); }
  const Strings& t() const { return *t_; }
  KeyWords key_words() const { return {t()("key.erase"), t()("key.space")}; }

  Options o_;
  Strings zh_, en_;
  const Strings* t_ = &zh_;
  ui::Runner runner_;
  HallMirror mirror_;
  HallClient client_;
  std::unique_ptr<Outbox> outbox_;
  Page page_ = Page::Home;
  Clock::time_point touched_ = Clock::now();
  bool asking_ = false;
  bool elderly_ = false;
  bool read_aloud_ = false;              // 朗读 chosen in the normal mode
  struct {                               // how busy the hall is, as the home page last said it
    int waiting = 0, open = 0;
    Clock::time_point at{};
  } home_counts_;
  int list_page_ = 0;                    // which page of a long list or document
  std::string category_;
  json ticket_;
  std::string notice_, print_status_;
  bool print_failed_ = false;  // the last receipt did not print

  // The catalogue as last synced, kept on disk for when the server is away.
  HallState kept_;
  std::atomic<bool> catalogue_changed_{false};

  GuideFlow guide_;
  LookupFlow lookup_;
  RateFlow rate_;
  ComplaintFlow complaint_;
  BookingFlow booking_;
  Sending sending_;
  MaintenanceFlow maintenance_;
  struct {                               // 帮办: the request this kiosk raised, and the page to go back to
    std::string id, error;
    Page back = Page::Home;
    Clock::time_point asked_at;
  } help_;
  std::string device_id_;                // what this kiosk reports as, and asks help as
  std::unique_ptr<PinyinInput> pinyin_;  // opened on first use; null with pinyin_why_ when RIME's data is missing
  std::string pinyin_why_;
  bool pinyin_on_ = true, pinyin_tried_ = false;
  std::unique_ptr<HandwritingInput> hand_;  // opened on first use; null with hand_why_ when the model is missing
  std::string hand_why_;
  bool hand_on_ = false, hand_tried_ = false;
  std::optional<ui::Rect> pad_rect_;     // where the last frame drew the writing pad, if it did
  // 语音引导: what the page is and what to do, and each tapped button, said
  // in 长辈模式 (or always, by config). speech.cpp
  void speak(const HallState& s);
  std::string page_words(const HallState& s) const;
  std::optional<Page> spoken_page_ = Page::Home;
  bool warming_ = false;                 // warm-up frames are never heard
  Speaker speaker_{o_.speech};
  std::vector<Clock::time_point> corner_taps_;
  ui::Worker worker_{runner_.queue()};   // last: stopped first, before what its jobs use
};

}  // namespace hall::kiosk
