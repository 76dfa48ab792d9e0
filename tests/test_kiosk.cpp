// The kiosk's 取号 flow end to end: a real hall server, touches injected,
// the ticket found in the server's state and in the decoded ESC/POS bytes.
#include <doctest/doctest.h>

#include <algorithm>
#include <thread>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "kiosk/kiosk.h"
#include "kiosk/pinyin.h"
#include "kiosk/options.h"
#include "shared/config.h"
#include "tests/ui_driver.h"

using namespace hall;
using namespace hall::test;

namespace {

struct Hall {
  explicit Hall(json config = nullptr) : server(dir, {"--start", "2026-11-23T10:00"}, config) {}
  std::string dir = test::temp_dir("kiosk");
  test::ServerProcess server;
  HallClient client{server.commands()};
  kiosk::Options options() {
    kiosk::Options o;
    o.commands = server.commands(), o.updates = server.updates(), o.headless = true;
    o.printer = dir + "/printer.bin";
    o.state_dir = dir + "/kiosk";
    return o;
  }
};

// Whether the kiosk's speaker said this sentence, once it has said all it was given.
bool said_by(kiosk::Kiosk& k, const std::string& line) {
  drive(k, [&] { return k.speaker().idle(); }, 10000);
  for (const auto& l : k.speaker().log())
    if (l == "say: " + line) return true;
  return false;
}

bool drew(kiosk::Kiosk& k, const std::string& text) {
  k.frame(5);
  for (const auto& t : k.screen().draw_log())
    if (t.text.find(text) != std::string::npos) return true;
  return false;
}

// Serves a ticket from window 1 so it can be rated; returns its number.
std::string serve_one(HallClient& client) {
  client.call("open_window", {{"window", 1}, {"staff", "S1"}});
  std::string number = client.call("take_ticket", {{"category", "company"}}).result["ticket"]["number"];
  REQUIRE(client.call("call_next", {{"window", 1}}).ok);
  REQUIRE(client.call("finish", {{"window", 1}}).ok);
  return number;
}

// 适老化 targets (../shared/PRODUCT.md): touch targets ≥ 60×60, text ≥ 18 px.
void check_elderly_sizes(kiosk::Kiosk& k) {
  CHECK(!ui::drawn_buttons().empty());
  for (const auto& b : ui::drawn_buttons()) {
    INFO(b.id);
    CHECK(b.rect.w >= 60);
    CHECK(b.rect.h >= 60);
  }
  for (const auto& t : k.screen().draw_log()) {
    INFO(t.text);
    CHECK(t.box.h >= 18);
  }
}

void tap_keys(kiosk::Kiosk& k, const std::string& keys, const std::string& prefix = "key_") {
  for (char ch : keys) REQUIRE(tap(k, prefix + ch));
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool decode_has(const std::string& bytes, const std::string& line) {
  for (const auto& l : kiosk::decode_text(bytes))
    if (l.find(line) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("a ticket taken by touch is in the server's state and on the printed receipt") {
  Hall h;
  REQUIRE(h.client.call("open_window", {{"window", 2}, {"staff", "S2"}}).ok);
  REQUIRE(h.client.call("take_ticket", {{"category", "realestate"}}).ok);  // one ahead
  kiosk::Kiosk k(h.options());
  REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
  REQUIRE(tap(k, "home.take_ticket"));
  CHECK(k.page() == kiosk::Page::Categories);
  REQUIRE(tap(k, "cat_realestate"));
  CHECK(k.page() == kiosk::Page::Lane);   // 不动产登记 offers an elderly lane
  REQUIRE(tap(k, "lane_elderly"));
  REQUIRE(drive(k, [&] { return k.page() == kiosk::Page::Ticket; }));
  CHECK(k.ticket()["ticket"]["number"] == "B002");
  CHECK(k.ticket()["ahead"] == 0);        // the elderly lane goes first
  json state = h.client.call("get", {{"key", "ticket/2026-11-23/B002"}}).result;
  CHECK(state["value"]["lane"] == "elderly");
  // The receipt: GB18030 text the printer prints, decoded back.
  std::string bytes = read_all(h.dir + "/printer.bin");
  REQUIRE(!bytes.empty());
  auto lines = kiosk::decode_text(bytes);
  CHECK(std::find(lines.begin(), lines.end(), "B002") != lines.end());
  CHECK(std::find(lines.begin(), lines.end(), "测试政务服务中心") != lines.end());
  CHECK(std::find(lines.begin(), lines.end(), "前面还有 0 人") != lines.end());
  CHECK(bytes.find(std::string("\x1d" "v0", 3)) != std::string::npos);  // the QR raster image
  CHECK(bytes.find(kiosk::utf8_to_gb18030("不动产登记")) != std::string::npos);
  bool drawn = false;
  for (const auto& t : k.screen().draw_log()) drawn |= t.text == "B002";
  CHECK(drawn);
}

TEST_CASE("in elderly mode every touch target is at least 60×60 and all text at least 18 px") {
  Hall h(test::busy_hall_config(20));  // ten categories
  for (int n = 1; n <= 20; ++n) REQUIRE(h.client.call("open_window", {{"window", n}}).ok);
  kiosk::Kiosk k(h.options());
  REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
  REQUIRE(tap(k, "mode"));
  REQUIRE(k.elderly());
  for (const char* step : {"", "home.take_ticket", "cat_company"}) {
    if (*step) REQUIRE(tap(k, step));
    k.frame(5);
    INFO("page after " << step);
    check_elderly_sizes(k);
  }
  using kiosk::Page;
  kiosk::Options wide = h.options();
  wide.width = 1920, wide.height = 1080;
  kiosk::Kiosk landscape(wide);
  landscape.set_elderly(true);
  REQUIRE(drive(landscape, [&] { return landscape.mirror().synced(); }));
  for (kiosk::Kiosk* kk : {&k, &landscape})
    for (Page p : {Page::Home, Page::Categories, Page::Guide, Page::Search, Page::Lookup, Page::RateEntry, Page::RateLevels, Page::RateReasons, Page::Complaint,
                   Page::ComplaintText, Page::Policies}) {
      kk->open(p);
      kk->frame(5);
      kk->frame(5);
      INFO("page " << int(p) << " at " << kk->screen().width() << "x" << kk->screen().height());
      check_elderly_sizes(*kk);
    }
  // Fewer choices per page: four categories, then a next-page button.
  REQUIRE(tap(k, "home"));
  REQUIRE(tap(k, "home.take_ticket"));
  k.frame(5);
  int categories = 0;
  bool next = false;
  for (const auto& b : ui::drawn_buttons()) categories += b.id.rfind("cat_", 0) == 0, next |= b.id == "next";
  CHECK(categories == 4);
  CHECK(next);
}

namespace {

// Strokes written for these tests (tests/data/handwriting-strokes.json): each
// character's strokes in writing order, in a pad of `size` points.
struct RecordedStrokes {
  int size = 300;
  std::map<std::string, std::vector<kiosk::HandwritingInput::Stroke>> characters;
};

const RecordedStrokes& recorded_strokes() {
  static const RecordedStrokes r = [] {
    RecordedStrokes out;
    json j = json::parse(read_all(std::string(HALL_TEST_DATA) + "/handwriting-strokes.json"));
    out.size = j["size"];
    for (const auto& [ch, strokes] : j["characters"].items())
      for (const auto& s : strokes) {
        kiosk::HandwritingInput::Stroke stroke;
        for (const auto& p : s) stroke.push_back({p[0].get<int>(), p[1].get<int>()});
        out.characters[ch].push_back(stroke);
      }
    return out;
  }();
  return r;
}

// Writes a recorded character on the kiosk's pad, where the page draws it, stroke by stroke.
void write_on_pad(kiosk::Kiosk& k, const std::string& character, size_t strokes = 99) {
  k.frame(5);
  std::optional<ui::Rect> pad;
  for (const auto& b : ui::drawn_buttons())
    if (b.id == "hand_pad") pad = b.rect;
  REQUIRE_MESSAGE(pad, "no writing pad drawn");
  const auto& r = recorded_strokes();
  const auto& all = r.characters.at(character);
  for (size_t i = 0; i < all.size() && i < strokes; ++i) {
    std::vector<std::pair<float, float>> points;
    for (const auto& p : all[i]) points.push_back({pad->x + float(p.x) * pad->w / float(r.size), pad->y + float(p.y) * pad->h / float(r.size)});
    stroke(k, points);
  }
}

// The label of a button the last frame drew, or "" when none has that id.
std::string label_of(kiosk::Kiosk& k, const std::string& id) {
  k.frame(5);
  for (const auto& b : ui::drawn_buttons())
    if (b.id == id) return b.label;
  return "";
}

}  // namespace

// The pages that need a citizen's own state first (a ticket, a case, a
// booking) are reached the way a citizen reaches them, further down.
const kiosk::Page kEveryPage[] = {
    kiosk::Page::Home,      kiosk::Page::Categories,  kiosk::Page::Lane,          kiosk::Page::Notice,      kiosk::Page::Guide,
    kiosk::Page::Search,    kiosk::Page::Item,        kiosk::Page::Lookup,        kiosk::Page::RateEntry,   kiosk::Page::RateLevels,
    kiosk::Page::RateReasons, kiosk::Page::RateComment, kiosk::Page::RateDone,    kiosk::Page::Complaint,   kiosk::Page::ComplaintText,
    kiosk::Page::ComplaintDone, kiosk::Page::Policies, kiosk::Page::Policy,       kiosk::Page::Appointment, kiosk::Page::BookCategory,
    kiosk::Page::BookDay,   kiosk::Page::BookSlot,    kiosk::Page::BookPhone,     kiosk::Page::CheckIn,     kiosk::Page::MaintenancePin,
    kiosk::Page::Help};

TEST_CASE("适老化 measured from what is drawn: every kiosk page and input pad, both modes, both orientations — text ≥ 18 dp, headings ≥ 30 dp, targets ≥ 60 dp in 长辈模式, contrast ≥ 4.5:1") {
  Hall h;
  REQUIRE(h.client.call("open_window", {{"window", 1}, {"staff", "S1"}}).ok);
  kiosk::Options wide = h.options();
  wide.width = 1920, wide.height = 1080;
  kiosk::Kiosk portrait(h.options()), landscape(wide);
  using kiosk::Page;
  int measured = 0, pages = 0;
  for (kiosk::Kiosk* k : {&portrait, &landscape}) {
    REQUIRE(drive(*k, [&] { return k->mirror().synced() && !k->mirror().copy().items.empty(); }));
    const float u = k->screen().unit(), W = float(k->screen().width());
    const ui::Rect title{0, 130 * u, W, 100 * u};  // under the chrome row: each page's own title
    for (bool elderly : {false, true}) {
      k->set_elderly(elderly);
      const std::string mode = (elderly ? " 长辈模式 " : " ") + std::to_string(k->screen().width()) + "x" + std::to_string(k->screen().height());
      auto check = [&](const std::string& what, bool titled = true) {
        for (int i = 0; i < 3; ++i) k->frame(5);
        measured += check_age_friendly(k->screen(), what + mode, elderly, titled ? title : ui::Rect{});
        ++pages;
      };
      auto first = [&](const std::string& prefix) {  // the first button drawn whose id starts so
        k->frame(5);
        for (const auto& b : ui::drawn_buttons())
          if (b.id.rfind(prefix, 0) == 0) return b.id;
        return std::string();
      };
      for (Page p : kEveryPage) {
        k->open(p);
        if (p == Page::Item) {  // a real item and a real policy, as a citizen opens them
          k->open(Page::Search);
          REQUIRE(tap(*k, "hot_0"));
          REQUIRE(tap(*k, first("item_")));
        } else if (p == Page::Policy) {
          k->open(Page::Policies);
          REQUIRE(tap(*k, first("policy_")));
        }
        REQUIRE(k->page() == p);
        // The notice, the help page and the thank-you pages are one message each, set large.
        const bool message = p == Page::Notice || p == Page::Help || p == Page::RateDone || p == Page::ComplaintDone;
        check("page " + std::to_string(int(p)), !message);
        if (p == Page::ComplaintText && tap(*k, "field_phone")) check("complaint text, typing the phone");  // the fields swap colours
      }
      // The input pads: pinyin spelling with its words, the writing pad with its characters.
      k->open(Page::ComplaintText);
      tap_keys(*k, "BANSHI");
      check("pinyin, a word spelled");
      REQUIRE(tap(*k, "ime_hand"));
      check("the writing pad, empty");
      write_on_pad(*k, "事");
      check("the writing pad, a character written");
      k->open(Page::Search);
      REQUIRE(tap(*k, "ime_hand"));
      check("search by hand");
      REQUIRE(tap(*k, "ime_hand"));
      // The ticket page, after a real ticket; the idle question.
      k->open(Page::Home);
      REQUIRE(tap(*k, "home.take_ticket"));
      REQUIRE(tap(*k, "cat_company"));
      if (k->page() == Page::Lane) REQUIRE(tap(*k, "lane_normal"));
      REQUIRE(drive(*k, [&] { return k->page() == Page::Ticket; }));
      check("ticket", false);
      k->ask_now();
      check("idle question", false);
      k->open(Page::Home);
    }
  }
  CHECK(pages >= 4 * 32);
  CHECK(measured > 1500);
}

TEST_CASE("a kiosk that has synced already holds the glyphs of every page its tiles open, in both modes: no first visit builds the atlas") {
  Hall h;
  REQUIRE(h.client.call("open_window", {{"window", 1}, {"staff", "S1"}}).ok);  // categories take tickets only with a window open
  REQUIRE(h.client.call("open_window", {{"window", 2}, {"staff", "S2"}}).ok);
  kiosk::Kiosk k(h.options());
  REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
  for (int i = 0; i < 3; ++i) k.frame(5);  // the warm-up runs on the first turn with the state
  const size_t warmed = k.screen().fonts().glyph_count();
  CHECK(warmed > 600);  // the base set alone is under 500
  using kiosk::Page;
  for (bool elderly : {false, true}) {
    k.set_elderly(elderly);
    for (Page p : {Page::Home, Page::Categories, Page::Guide, Page::Search, Page::Lookup, Page::RateEntry, Page::RateLevels, Page::Complaint,
                   Page::ComplaintText, Page::Policies, Page::MaintenancePin}) {
      k.open(p);
      for (int i = 0; i < 2; ++i) k.frame(5);
      INFO("page " << int(p) << (elderly ? " 长辈模式" : ""));
      CHECK(k.screen().fonts().glyph_count() == warmed);
    }
    for (const char* category : {"cat_company", "cat_realestate"}) {  // the lane pages: green and appointment lanes, an elderly lane
      k.open(Page::Home);
      REQUIRE(tap(k, "home.take_ticket"));
      REQUIRE(tap(k, category));
      for (int i = 0; i < 2; ++i) k.frame(5);
      CHECK(k.page() == Page::Lane);
      CHECK(k.screen().fonts().glyph_count() == warmed);
    }
    k.open(Page::Home);
  }
  CHECK(k.page() == Page::Home);  // the warm-up left the kiosk where it was
}

TEST_CASE("with the hall server unreachable taking a ticket is refused with a pointer to the guidance desk") {
  Hall h;
  REQUIRE(h.client.call("open_window", {{"window", 3}, {"staff", "S3"}}).ok);
  kiosk::Kiosk k(h.options());
  REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
  h.server.kill9();
  REQUIRE(drive(k, [&] { return k.mirror().stale(); }, 10000));
  REQUIRE(tap(k, "home.take_ticket"));
  REQUIRE(tap(k, "cat_tax"));
  REQUIRE(tap(k, "lane_normal"));
  REQUIRE(drive(k, [&] { return k.page() == kiosk::Page::Notice; }));
  CHECK(k.notice().find("导服台") != std::string::npos);
}

TEST_CASE("English is one tap away and the text comes from the string tables") {
  Hall h;
  kiosk::Kiosk k(h.options());
  REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
  REQUIRE(tap(k, "lang"));
  k.frame(5);
  bool english = false;
  for (const auto& t : k.screen().draw_log()) english |= t.text == "Take a number";
  CHECK(english);
  auto zh = kiosk::Strings::load(std::string(HALL_ASSETS_DIR) + "/strings", "zh-CN");
  auto en = kiosk::Strings::load(std::string(HALL_ASSETS_DIR) + "/strings", "en");
  CHECK(zh("ticket.ahead", {{"n", "3"}}) == "前面还有 3 人");
  CHECK(en("ticket.ahead", {{"n", "3"}}) == "3 people ahead of you");
  CHECK(zh("no.such.key") == "no.such.key");
}

TEST_CASE("the guide browses by theme and finds items by pinyin initials and keyword") {
  Hall h;
  kiosk::Kiosk k(h.options());
  REQUIRE(drive(k, [&] { return k.mirror().synced() && !k.mirror().copy().items.empty(); }));
  REQUIRE(tap(k, "home.guide"));
  REQUIRE(tap(k, "tab_1"));                 // by theme
  REQUIRE(tap(k, "group_不动产"));
  CHECK(drew(k, "二手房转移登记"));
  REQUIRE(tap(k, "item_BDC002"));
  CHECK(k.page() == kiosk::Page::Item);
  CHECK(drew(k, "申请材料"));
  CHECK(drew(k, "法定时限"));
  // Search: pinyin initials rank the item whose initials start so first.
  auto items = k.mirror().copy().items;
  auto hits = kiosk::search_catalogue(items, "YXZR");
  REQUIRE(!hits.empty());
  CHECK(hits[0] == "SC001");
  CHECK(kiosk::search_catalogue(items, "结婚").size() >= 1);
  CHECK(kiosk::search_catalogue(items, "zzzzzz").empty());
  REQUIRE(tap(k, "home"));
  REQUIRE(tap(k, "home.guide"));
  REQUIRE(tap(k, "tab_2"));
  tap_keys(k, "YXZR");
  CHECK(drew(k, "有限责任公司设立登记"));
  REQUIRE(tap(k, "item_SC001"));
  CHECK(drew(k, "全程网办"));
}

TEST_CASE("a ticket taken from an item's page carries the item") {
  Hall h;
  REQUIRE(h.client.call("open_window", {{"window", 1}, {"staff", "S1"}}).ok);
  kiosk::Kiosk k(h.options());
  REQUIRE(drive(k, [&] { return k.mirror().synced() && !k.mirror().copy().items.empty(); }));
  REQUIRE(tap(k, "home.guide"));
  REQUIRE(tap(k, "tab_2"));
  tap_keys(k, "YXZR");
  REQUIRE(tap(k, "item_SC001"));
  REQUIRE(tap(k, "take_for_item"));
  CHECK(k.page() == kiosk::Page::Lane);     // 企业开办 offers lanes
  REQUIRE(tap(k, "lane_normal"));
  REQUIRE(drive(k, [&] { return k.page() == kiosk::Page::Ticket; }));
  std::string key = k.ticket()["ticket"]["key"];
  json t = h.client.call("get", {{"key", "ticket/" + key}}).result["value"];
  CHECK(t["item"] == "SC001");
  CHECK(t["category"] == "company");
  CHECK(decode_has(read_all(h.dir + "/printer.bin"), "有限责任公司设立登记"));
}

TEST_CASE("a case looked up on the keypad shows its steps its promised date and whether it is overdue") {
  Hall h;
  json c = h.client.call("accept_case", {{"item", "BDC002"}, {"applicant", "王建华"}}).result["case"];
  std::string number = c["number"];
  REQUIRE(h.client.call("advance_case", {{"number", number}, {"step", "审查"}}).ok);
  kiosk::Kiosk k(h.options());
  REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
  REQUIRE(tap(k, "home.lookup"));
  tap_keys(k, "99999999");
  REQUIRE(tap(k, "lookup_go"));
  REQUIRE(drive(k, [&] { return !k.busy() && drew(k, "没有找到"); }));
  CHECK(k.page() == kiosk::Page::Lookup);
  for (int i = 0; i < 8; ++i) REQUIRE(tap(k, "key_del"));
  tap_keys(k, number);
  REQUIRE(tap(k, "lookup_go"));
  REQUIRE(drive(k, [&] { return k.page() == kiosk::Page::CaseResult; }));
  CHECK(k.case_result()["case"]["number"] == number);
  CHECK(drew(k, "受理"));
  CHECK(drew(k, "审查"));
  CHECK(drew(k, c["due_day"].get<std::string>()));
  CHECK(drew(k, "未超期"));
  CHECK(drew(k, "王*华"));                  // masked, as the hall state holds it
}

TEST_CASE("a case lookup still on its way when the citizen goes home is dropped without a stray page") {
  Hall h;
  std::string number = h.client.call("accept_case", {{"item", "BDC002"}}).result["case"]["number"];
  kiosk::Kiosk k(h.options());
  REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
  REQUIRE(tap(k, "home.lookup"));
  tap_keys(k, number);
  h.server.kill9();                          // the answer will not come: the lookup waits out its timeout
  REQUIRE(tap(k, "lookup_go"));
  REQUIRE(k.busy());
  REQUIRE(tap(k, "home"));
  REQUIRE(drive(k, [&] { return !k.busy(); }, 15000));
  k.frame(5);
  CHECK(k.page() == kiosk::Page::Home);
  CHECK(k.ticket().is_null());
}

TEST_CASE("a rating given at the kiosk is counted and a second one for the same visit is refused with a message") {
  Hall h;
  std::string number = serve_one(h.client);
  kiosk::Kiosk k(h.options());
  REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
  REQUIRE(tap(k, "home.rate"));
  tap_keys(k, number);
  REQUIRE(tap(k, "rate_next"));
  REQUIRE(k.page() == kiosk::Page::RateLevels);
  REQUIRE(tap(k, "level2"));
  REQUIRE(tap(k, "reason0"));
  REQUIRE(tap(k, "comment2"));
  REQUIRE(tap(k, "rate_submit"));
  REQUIRE(drive(k, [&] { return k.status() == "评价已收到"; }));
  json stats = h.client.call("stats", json::object()).result;
  CHECK(stats["today"]["ratings"] == 1);
  json r = h.client.call("get", {{"key", "rating/T/" + k.mirror().copy().hall.day + "/" + number}}).result["value"];
  CHECK(r["level"] == 2);
  CHECK(r["channel"] == "kiosk");
  CHECK(r["reasons"] == json{"等候时间长"});
  CHECK(r["comment"] == "希望缩短等候时间");
  // The same visit again: the kiosk says so before asking for a level.
  REQUIRE(tap(k, "done"));
  REQUIRE(drive(k, [&] { return k.mirror().copy().ratings.size() == 1; }));
  REQUIRE(tap(k, "home.rate"));
  tap_keys(k, number);
  REQUIRE(tap(k, "rate_next"));
  CHECK(k.page() == kiosk::Page::RateEntry);
  CHECK(drew(k, "已经评价过了"));
  // The server enforces it too: a second rating through the bus is refused.
  Reply again = h.client.call("rate", {{"ticket", number}, {"level", 5}});
  CHECK(again.code == err::kAlreadyRated);
}

TEST_CASE("a rating and a complaint given while the hall server is down are kept on disk and delivered once when it returns") {
  Hall h;
  std::string number = serve_one(h.client);
  kiosk::Options o = h.options();
  {
    kiosk::Kiosk k(o);
    REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
    h.server.kill9();
    REQUIRE(drive(k, [&] { return k.mirror().stale(); }, 10000));
    REQUIRE(tap(k, "home.rate"));
    tap_keys(k, number);
    REQUIRE(tap(k, "rate_next"));
    REQUIRE(tap(k, "level5"));
    REQUIRE(tap(k, "rate_submit"));
    CHECK(k.page() == kiosk::Page::RateDone);
    CHECK(drew(k, "已保存在本机"));
    CHECK(k.outbox().pending() == 1);
    REQUIRE(tap(k, "done"));
    REQUIRE(tap(k, "home.complaint"));     // a complaint too
    REQUIRE(tap(k, "phrase0"));
    REQUIRE(tap(k, "complaint_next"));
    REQUIRE(tap(k, "complaint_submit"));
    CHECK(drew(k, "已保存在本机"));
    CHECK(k.outbox().pending() == 2);
  }  // the kiosk is switched off with both unsent
  kiosk::Kiosk k(o);
  CHECK(k.outbox().pending() == 2);
  h.server.start();
  REQUIRE(drive(k, [&] { return k.outbox().pending() == 0; }, 15000));
  HallState s;
  REQUIRE(drive(k, [&] { s = k.mirror().copy(); return !s.ratings.empty() && !s.complaints.empty(); }));
  CHECK(s.ratings.size() == 1);
  CHECK(s.complaints.size() == 1);
  CHECK(std::filesystem::is_empty(o.state_dir + "/outbox"));  // nothing refused (a second delivery would be)
  CHECK(h.client.call("stats", json::object()).result["today"]["ratings"] == 1);
  CHECK(s.ratings.begin()->second.level == 5);
  CHECK(s.tickets.at(ticket_key(s.hall.day, number)).rated);
}

TEST_CASE("a complaint from the kiosk is stored with its phone number kept off the bus") {
  Hall h;
  kiosk::Kiosk k(h.options());
  REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
  REQUIRE(tap(k, "home.complaint"));
  REQUIRE(tap(k, "kind_unresolved"));
  REQUIRE(tap(k, "about_realestate"));
  REQUIRE(tap(k, "phrase1"));
  REQUIRE(tap(k, "complaint_next"));
  REQUIRE(tap(k, "ime_toggle"));             // 英文: the letters as they are
  tap_keys(k, "OK");
  type(k, "三次都没办成");                    // a keyboard's input method types Chinese
  REQUIRE(tap(k, "field_phone"));
  tap_keys(k, "13812345678");
  REQUIRE(tap(k, "complaint_submit"));
  REQUIRE(drive(k, [&] { return k.status().find("已受理") != std::string::npos; }));
  HallState s = k.mirror().copy();
  REQUIRE(drive(k, [&] { s = k.mirror().copy(); return s.complaints.size() == 1; }));
  const Complaint& c = s.complaints.begin()->second;
  CHECK(c.kind == ComplaintKind::Unresolved);
  CHECK(c.category == "realestate");
  CHECK(c.phrases == std::vector<std::string>{"在多个窗口之间来回跑"});
  CHECK(c.text == "OK三次都没办成");
  CHECK(c.phone == "138****5678");
  CHECK(s.contacts.empty());                 // a mirror never holds a contact
  Reply contact = h.client.call("contact", {{"complaint", c.id}});
  REQUIRE(contact.ok);
  CHECK(contact.result["phone"] == "13812345678");
  CHECK(h.client.call("get", {{"key", "contact/" + c.id}}).code == err::kInvalidArgument);
  CHECK(h.client.call("snapshot", json::object()).result.dump().find("13812345678") == std::string::npos);
  REQUIRE(h.client.call("answer_complaint", {{"id", c.id}, {"answer", "已协调不动产窗口当日办结"}}).ok);
  CHECK(h.client.call("answer_complaint", {{"id", c.id}, {"answer", "again"}}).code == err::kBadTransition);
}

TEST_CASE("idle time goes home from a page without input and asks first on a page with unsent input") {
  Hall h;
  std::string number = serve_one(h.client);
  kiosk::Options o = h.options();
  o.idle_seconds = 1;
  kiosk::Kiosk k(o);
  REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
  REQUIRE(tap(k, "home.guide"));
  REQUIRE(drive(k, [&] { return k.page() == kiosk::Page::Home; }, 5000));
  CHECK(!k.asking());
  // Typed, not sent: asked, never dropped while no one answers.
  REQUIRE(tap(k, "home.rate"));
  tap_keys(k, number);
  REQUIRE(drive(k, [&] { return k.asking(); }, 5000));
  CHECK(k.page() == kiosk::Page::RateEntry);
  CHECK(drew(k, "您还在操作吗"));
  CHECK(!drew(k, number));                   // the question shows none of the input
  CHECK(!drive(k, [&] { return k.page() == kiosk::Page::Home; }, 2500));  // no time limit drops it
  REQUIRE(tap(k, "idle_continue"));
  CHECK(!k.asking());
  CHECK(drew(k, number));                    // still there
  REQUIRE(drive(k, [&] { return k.asking(); }, 5000));
  REQUIRE(tap(k, "idle_discard"));
  CHECK(k.page() == kiosk::Page::Home);
  REQUIRE(tap(k, "home.rate"));
  CHECK(!drew(k, number));                   // cleared for the next citizen
}

TEST_CASE("the maintenance page opens only after the staff gesture and PIN and prints a test page") {
  Hall h;
  kiosk::Kiosk k(h.options());
  REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
  for (int i = 0; i < 4; ++i) tap_at(k, 40, 40);
  CHECK(k.page() == kiosk::Page::Home);     // four taps are not enough
  tap_at(k, 40, 40);
  REQUIRE(k.page() == kiosk::Page::MaintenancePin);
  tap_keys(k, "1234", "pin_");
  REQUIRE(tap(k, "pin_ok"));
  CHECK(k.page() == kiosk::Page::MaintenancePin);
  CHECK(drew(k, "密码不正确"));
  tap_keys(k, k.options().maintenance_pin, "pin_");
  REQUIRE(tap(k, "pin_ok"));
  REQUIRE(k.page() == kiosk::Page::Maintenance);
  CHECK(drew(k, h.server.commands()));
  CHECK(drew(k, "hall-kiosk "));
  REQUIRE(tap(k, "printer_test"));
  CHECK(decode_has(read_all(h.dir + "/printer.bin"), "TEST"));
  REQUIRE(tap(k, "maint_close"));
  CHECK(k.page() == kiosk::Page::Home);
}

TEST_CASE("惠企政策 are served over the bus and shown as a list and a detail page") {
  Hall h;
  kiosk::Kiosk k(h.options());
  REQUIRE(drive(k, [&] { return k.mirror().synced() && !k.mirror().copy().policies.empty(); }));
  CHECK(k.mirror().copy().policies.size() >= 8);
  REQUIRE(tap(k, "home.policies"));
  CHECK(drew(k, "小型微利企业所得税优惠"));
  REQUIRE(tap(k, "policy_P004"));
  CHECK(k.page() == kiosk::Page::Policy);
  CHECK(drew(k, "失业保险稳岗返还"));
  CHECK(drew(k, "扶持内容"));
}

TEST_CASE("with the server away from the start the guides work from the catalogue kept on disk") {
  Hall h;
  kiosk::Options o = h.options();
  {
    kiosk::Kiosk k(o);
    REQUIRE(drive(k, [&] { return k.mirror().synced() && !k.mirror().copy().items.empty(); }));
    REQUIRE(drive(k, [&] { return std::filesystem::exists(o.state_dir + "/catalogue.json"); }));
  }
  h.server.kill9();
  kiosk::Kiosk k(o);
  k.frame(5);
  CHECK(!k.mirror().synced());
  REQUIRE(tap(k, "home.guide"));
  REQUIRE(tap(k, "group_公安局"));
  CHECK(drew(k, "居民身份证"));
  REQUIRE(tap(k, "home"));
  REQUIRE(tap(k, "home.policies"));
  CHECK(drew(k, "创业担保贷款及贴息"));
  CHECK(drew(k, "网络中断"));               // and says it is offline
  REQUIRE(tap(k, "home"));
  REQUIRE(tap(k, "home.take_ticket"));
  CHECK(!drew(k, "cat_"));                   // no categories to take from
}

TEST_CASE("a kiosk config file with a wrong value names the file and the key") {
  std::string dir = test::temp_dir("kiosk-config");
  auto write = [&](const std::string& body) {
    std::ofstream(dir + "/kiosk.json") << body;
    return dir + "/kiosk.json";
  };
  auto error = [&](const std::string& body) {
    try {
      kiosk::load_kiosk_config(write(body));
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error(R"({"idle_seconds": 2})").find("kiosk.json: idle_seconds: must be between 10 and 3600") != std::string::npos);
  CHECK(error(R"({"place": ")" + std::string(90, 'x') + R"("})").find("kiosk.json: place: must be at most 80 bytes") != std::string::npos);
  CHECK(error(R"({"maintenance_pin": "12"})").find("maintenance_pin") != std::string::npos);
  CHECK(error(R"({"orientation": "sideways"})").find("orientation") != std::string::npos);
  CHECK(error(R"({"comands": "tcp://127.0.0.1:1"})").find("comands: is not a known setting") != std::string::npos);
  CHECK(error(R"({"commands": "127.0.0.1:5555"})").find("commands: must be a tcp://") != std::string::npos);
  CHECK(error("{nope").find("kiosk.json") != std::string::npos);
  kiosk::Options o = kiosk::load_kiosk_config(write(R"({"orientation": "landscape", "printer": "tcp:127.0.0.1:9100", "idle_seconds": 90})"));
  CHECK(o.width == 1920);
  CHECK(o.idle_seconds == 90);
  CHECK(o.printer == "tcp:127.0.0.1:9100");
  kiosk::Options shipped = kiosk::load_kiosk_config(std::string(HALL_ASSETS_DIR) + "/../deploy/etc/hall/kiosk.json");  // the example is valid
  CHECK(shipped.locked);
  RunResult run = run_program({HALL_KIOSK_BIN, "--config", write(R"({"size": "12x12"})")});
  CHECK(run.status == 2);
  CHECK(run.output.find("kiosk.json: size:") != std::string::npos);
}

TEST_CASE("a kiosk whose outbox disk is full stays up, sends a rating and a complaint directly, reports the fault and says plainly when it can keep nothing") {
  Hall h;
  std::string first = serve_one(h.client), second = serve_one(h.client);
  kiosk::Options o = h.options();
  test::FullDisk full(o.state_dir + "/outbox");
  kiosk::Kiosk k(o);
  REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
  auto rate = [&](const std::string& number, int level) {
    REQUIRE(tap(k, "home.rate"));
    tap_keys(k, number);
    REQUIRE(tap(k, "rate_next"));
    REQUIRE(tap(k, "level" + std::to_string(level)));
    REQUIRE(tap(k, "rate_submit"));
    CHECK(k.page() == kiosk::Page::RateDone);
  };
  rate(first, 5);
  CHECK_FALSE(k.outbox().storage_ok());
  REQUIRE(drive(k, [&] { return k.outbox().pending() == 0; }, 10000));
  CHECK(drew(k, "评价已收到"));
  REQUIRE(tap(k, "done"));
  REQUIRE(tap(k, "home.complaint"));
  REQUIRE(tap(k, "phrase0"));
  REQUIRE(tap(k, "complaint_next"));
  REQUIRE(tap(k, "complaint_submit"));
  REQUIRE(drive(k, [&] { return k.outbox().pending() == 0; }, 10000));
  REQUIRE(tap(k, "done"));
  HallState s;
  REQUIRE(drive(k, [&] { s = k.mirror().copy(); return s.complaints.size() == 1 && !s.devices.empty(); }));
  CHECK(s.devices.begin()->second.kind == "kiosk");
  CHECK(s.devices.begin()->second.storage == "full");
  // With the server away as well, the page says plainly that nothing keeps it.
  h.server.kill9();
  REQUIRE(drive(k, [&] { return k.mirror().stale(); }, 10000));
  rate(second, 4);
  CHECK(drew(k, "暂时无法保存在本机"));
  CHECK_FALSE(drew(k, "已保存在本机，恢复后自动提交"));
  CHECK(k.outbox().pending() == 1);
  h.server.start();
  REQUIRE(drive(k, [&] { return k.outbox().pending() == 0; }, 15000));
  CHECK(h.client.call("stats", json::object()).result["today"]["ratings"] == 2);
}

TEST_CASE("预约 by touch: booked on one kiosk with the rules shown and the code printed, checked in on another, the lane said before the ticket, 长辈模式 sizes") {
  json config = test::test_hall_config("", 1, 2);
  config["appointments"] = {{"early_minutes", 60}, {"release_before_minutes", 0}};
  Hall h(config);
  kiosk::Kiosk a(h.options());
  REQUIRE(drive(a, [&] { return a.mirror().synced(); }));
  REQUIRE(tap(a, "home.appointment"));
  REQUIRE(tap(a, "book.new"));
  REQUIRE(tap(a, "company"));
  REQUIRE(tap(a, "day_2026-11-23"));
  REQUIRE(drive(a, [&] { return a.page() == kiosk::Page::BookSlot; }));
  CHECK(drew(a, "余 3 个"));
  REQUIRE(tap(a, "slot_10:30"));
  CHECK(a.page() == kiosk::Page::BookPhone);
  CHECK(drew(a, "30 天内 3 次预约未到，14 天内不能再预约"));  // the no-show rule, before booking
  tap_keys(a, "13912345678");
  REQUIRE(tap(a, "book_go"));
  REQUIRE(drive(a, [&] { return a.page() == kiosk::Page::BookDone; }));
  std::string code;
  REQUIRE(drive(a, [&] {
    for (const auto& [c, b] : a.mirror().copy().bookings) code = c;
    return !code.empty();
  }));
  CHECK(drew(a, code));
  CHECK(decode_has(read_all(h.dir + "/printer.bin"), code));
  CHECK_FALSE(drew(a, "13912345678"));  // the number left the screen with the booking made

  kiosk::Options other = h.options();
  other.state_dir = h.dir + "/kiosk-b", other.printer = h.dir + "/printer-b.bin";
  kiosk::Kiosk b(other);
  REQUIRE(drive(b, [&] { return b.mirror().synced(); }));
  REQUIRE(tap(b, "home.appointment"));
  REQUIRE(tap(b, "book.check_in"));
  tap_keys(b, code);
  REQUIRE(tap(b, "code_go"));
  REQUIRE(drive(b, [&] { return b.page() == kiosk::Page::CheckInConfirm; }));
  CHECK(drew(b, "按时到达：将优先叫号"));
  REQUIRE(tap(b, "check_in_go"));
  REQUIRE(drive(b, [&] { return b.page() == kiosk::Page::Ticket; }));
  CHECK(b.ticket()["ticket"]["lane"] == "appointment");
  CHECK(h.client.call("get", {{"key", "booking/" + code}}).result["value"]["state"] == "checked_in");
  // A wrong code is said so, on the page.
  b.open(kiosk::Page::Appointment);
  REQUIRE(tap(b, "book.check_in"));
  tap_keys(b, "12345678");
  REQUIRE(tap(b, "code_go"));
  REQUIRE(drive(b, [&] { return drew(b, "没有这个预约码"); }));

  b.set_elderly(true);
  using kiosk::Page;
  for (Page p : {Page::Home, Page::Appointment, Page::BookCategory, Page::BookDay, Page::CheckIn}) {
    b.open(p);
    b.frame(5);
    b.frame(5);
    INFO("page " << int(p));
    check_elderly_sizes(b);
  }
}

TEST_CASE("预约 cancelled by touch: the kiosk asks before it cancels, the place goes back, and past the deadline it says so and cancels nothing") {
  json config = test::test_hall_config("", 1, 2);
  config["appointments"] = {{"cancel_before_minutes", 60}, {"release_before_minutes", 0}};
  Hall h(config);  // 10:00 hall time
  auto book = [&](const std::string& slot, const std::string& phone) {
    Reply r = h.client.call("book", {{"category", "company"}, {"day", "2026-11-23"}, {"slot", slot}, {"phone", phone}});
    REQUIRE_MESSAGE(r.ok, r.message);
    return r.result["booking"]["code"].get<std::string>();
  };
  const std::string later = book("15:00", "13900000001"), soon = book("10:30", "13900000002");
  auto free_at = [&](const std::string& slot) {
    const json slots = h.client.call("slots", {{"category", "company"}, {"day", "2026-11-23"}}).result["slots"];
    for (const auto& s : slots)
      if (s["slot"] == slot) return s["free"].get<int>();
    return -1;
  };
  const int free_before = free_at("15:00");
  kiosk::Kiosk k(h.options());
  REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
  auto ask_to_cancel = [&](const std::string& code) {
    k.open(kiosk::Page::Home);
    REQUIRE(tap(k, "home.appointment"));
    REQUIRE(tap(k, "book.cancel"));
    CHECK(drew(k, "取消预约"));
    tap_keys(k, code);
    REQUIRE(tap(k, "code_go"));
    REQUIRE(drive(k, [&] { return k.page() == kiosk::Page::CheckInConfirm; }));
  };
  ask_to_cancel(later);
  CHECK(drew(k, "确定要取消这个预约吗？"));
  CHECK(h.client.call("get", {{"key", "booking/" + later}}).result["value"]["state"] == "booked");  // nothing yet: it asked first
  REQUIRE(tap(k, "check_in_go"));
  REQUIRE(drive(k, [&] { return k.page() == kiosk::Page::Notice; }));
  CHECK(drew(k, "预约已取消，名额已释放给其他群众"));
  CHECK(h.client.call("get", {{"key", "booking/" + later}}).result["value"]["state"] == "cancelled");
  CHECK(free_at("15:00") == free_before + 1);
  // Within 60 minutes of its slot: refused, said on the page, the booking kept.
  ask_to_cancel(soon);
  REQUIRE(tap(k, "check_in_go"));
  REQUIRE(drive(k, [&] { return drew(k, "已过取消时限，不能取消"); }));
  CHECK(k.page() == kiosk::Page::CheckInConfirm);
  CHECK(h.client.call("get", {{"key", "booking/" + soon}}).result["value"]["state"] == "booked");
  // A cancelled code looked up again says it is cancelled and offers nothing to tap.
  ask_to_cancel(later);
  CHECK(drew(k, "已取消"));
  tap(k, "check_in_go");  // greyed: nothing happens
  CHECK(k.page() == kiosk::Page::CheckInConfirm);
  CHECK(free_at("15:00") == free_before + 1);
}

TEST_CASE("呼叫帮办 by touch from any page: the request reaches the server with the kiosk and its page, a person is said to come, the taker's name shows, the citizen goes back or cancels") {
  Hall h;
  REQUIRE(h.client.call("open_window", {{"window", 1}, {"staff", "S1"}}).ok);
  kiosk::Options o = h.options();
  o.place = "东门自助区 1 号机";
  o.run.device = "kiosk-east";
  kiosk::Kiosk k(o);
  REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
  // The button is on the home page and on every page a citizen reaches.
  for (const char* tile : {"home.take_ticket", "home.guide", "home.lookup", "home.rate", "home.complaint", "home.policies"}) {
    k.open(kiosk::Page::Home);
    CHECK(drew(k, "呼叫帮办"));
    REQUIRE(tap(k, tile));
    INFO(tile);
    CHECK(drew(k, "呼叫帮办"));
  }
  k.open(kiosk::Page::Home);
  REQUIRE(tap(k, "home.take_ticket"));
  REQUIRE(tap(k, "help"));
  CHECK(k.page() == kiosk::Page::Help);
  REQUIRE(drive(k, [&] { return drew(k, "工作人员马上就到"); }));
  CHECK(drew(k, "刚刚呼叫"));
  CHECK(drew(k, "东门自助区 1 号机"));
  std::string id;
  for (const auto& [i, hr] : k.mirror().copy().helps) id = i;
  REQUIRE_FALSE(id.empty());
  json help = h.client.call("get", {{"key", "help/" + id}}).result["value"];
  CHECK(help["device"] == "kiosk-east");
  CHECK(help["place"] == "东门自助区 1 号机");
  CHECK(help["page"] == "categories");
  CHECK(help["state"] == "open");
  // A staff member takes it: the kiosk says who is coming.
  REQUIRE(h.client.call("take_help", {{"id", id}, {"by", "导服台 小李"}}).ok);
  REQUIRE(drive(k, [&] { return drew(k, "导服台 小李 已前往，请稍候"); }));
  // Back to the page the citizen was on; the button says help was asked, and tapping it shows the same request.
  REQUIRE(tap(k, "help_back"));
  CHECK(k.page() == kiosk::Page::Categories);
  CHECK(drew(k, "帮办已呼叫"));
  REQUIRE(tap(k, "help"));
  CHECK(drew(k, "导服台 小李 已前往"));
  REQUIRE(tap(k, "help_cancel"));
  REQUIRE(drive(k, [&] { return drew(k, "呼叫已取消"); }));
  CHECK(h.client.call("get", {{"key", "help/" + id}}).result["value"]["state"] == "cancelled");
  REQUIRE(tap(k, "help_back"));
  CHECK(drew(k, "呼叫帮办"));  // may ask again
  // 长辈模式: the help button and the help page meet the sizes.
  k.set_elderly(true);
  REQUIRE(tap(k, "help"));
  REQUIRE(drive(k, [&] { return drew(k, "工作人员马上就到"); }));
  check_elderly_sizes(k);
  CHECK(h.client.call("stats", json::object()).result["help"]["asked"] == 2);
}

TEST_CASE("语音引导: the speaker never runs behind — a newer sentence cuts the one being said and drops one still waiting") {
  kiosk::Speaker speaker(kiosk::SpeechOptions{});
  std::string long_one;
  for (int i = 0; i < 30; ++i) long_one += "请选择要办理的业务，轻触屏幕上的按钮。";  // seconds of synthesis: the next surely comes first
  speaker.say(long_one, "zh-CN");
  speaker.say("第二句", "zh-CN");
  speaker.say("取号", "zh-CN");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!speaker.idle() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  REQUIRE(speaker.idle());
  const auto log = speaker.log();
  auto has = [&](const std::string& line) { return std::find(log.begin(), log.end(), line) != log.end(); };
  CHECK_FALSE(has("done: " + long_one));                          // never heard to its end
  CHECK((has("cut: " + long_one) || has("drop: " + long_one)));
  CHECK(has("drop: 第二句"));                                       // waiting behind it, then replaced
  CHECK_FALSE(has("say: 第二句"));
  CHECK(has("done: 取号"));                                         // the newest is said whole
  CHECK(log.back() == "done: 取号");
  kiosk::Speaker off(kiosk::SpeechOptions{false});
  off.say("取号", "zh-CN");
  CHECK(off.idle());
  CHECK(off.log().empty());
}

TEST_CASE("语音引导 through the kiosk's own loop: in 长辈模式 each page says itself and each tapped button is read, in the kiosk's language, and silent in the normal mode") {
  Hall h;
  REQUIRE(h.client.call("open_window", {{"window", 1}, {"staff", "S1"}}).ok);
  kiosk::Options o = h.options();
  o.speech.rate = 450;  // the fastest the config allows: the words are what is tested, heard in a third of the time
  kiosk::Kiosk k(o);
  REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
  auto said = [&](const std::string& line) { return said_by(k, line); };
  REQUIRE(tap(k, "home.guide"));  // the normal mode: nothing said
  k.open(kiosk::Page::Home);
  CHECK(k.speaker().log().empty());
  REQUIRE(tap(k, "mode"));        // 长辈模式: the home page says what to do
  CHECK(said("长辈模式。欢迎。请轻触要办理的业务。需要人帮忙，请按呼叫帮办"));
  REQUIRE(tap(k, "home.take_ticket"));
  CHECK(said("取号。请选择要办理的业务，轻触后取号"));
  REQUIRE(tap(k, "cat_company"));
  if (k.page() == kiosk::Page::Lane) REQUIRE(tap(k, "lane_normal"));
  REQUIRE(drive(k, [&] { return k.page() == kiosk::Page::Ticket; }));
  const std::string number = k.ticket()["ticket"]["number"];
  std::string spelled;
  for (char ch : number) spelled += std::string(spelled.empty() ? "" : " ") + ch;
  CHECK(said("您的号码是 " + spelled + "，前面还有 0 人。请拿好号票，留意叫号"));
  // English: the same page in English words.
  REQUIRE(tap(k, "lang"));
  CHECK(said("English. Your number is " + spelled + ". 0 ahead of you. Please keep the slip and watch for your call"));
}

TEST_CASE("pinyin from RIME: full pinyin and initials give the expected first candidates, pages turn, a pick commits its text") {
  std::string why;
  auto p = kiosk::PinyinInput::open(test::temp_dir("rime"), &why);
  REQUIRE_MESSAGE(p, why);
  auto type = [&](const std::string& letters) {
    p->clear();
    for (char ch : letters) p->key(ch);
  };
  type("banshi");
  CHECK(p->spelling() == "ban shi");
  REQUIRE_FALSE(p->candidates().empty());
  CHECK(p->candidates()[0] == "办事");
  type("BANSHI");  // the keyboard's capitals are the same letters
  CHECK(p->candidates()[0] == "办事");
  type("yingyezhizhao");
  CHECK(p->candidates()[0] == "营业执照");
  type("shebao");
  CHECK(p->candidates()[0] == "社保");
  type("bs");  // initials only
  CHECK(p->candidates().size() >= 3);
  type("shi");
  const auto first_page = p->candidates();
  CHECK_FALSE(p->last_page());
  p->next_page();
  CHECK(p->candidates() != first_page);
  p->previous_page();
  CHECK(p->candidates() == first_page);
  type("banshi");
  p->erase();  // "bansh"
  CHECK(p->spelling() == "ban sh");
  type("banshi");
  CHECK(p->pick(0) == "办事");
  CHECK(p->spelling().empty());  // committed: the spelling is gone
  CHECK(p->pick(0).empty());
}

TEST_CASE("a complaint typed in pinyin on the kiosk's own keys arrives at the server as Chinese, a half-spelled word kept when sent or when switching to letters") {
  Hall h;
  kiosk::Kiosk k(h.options());
  REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
  REQUIRE(tap(k, "home.complaint"));
  REQUIRE(tap(k, "kind_unresolved"));
  REQUIRE(tap(k, "phrase1"));
  REQUIRE(tap(k, "complaint_next"));
  tap_keys(k, "BANSHI");
  CHECK(drew(k, "ban shi"));                 // the spelling, as RIME splits it
  CHECK(drew(k, "办事"));                     // among the words offered
  REQUIRE(tap(k, "cand_0"));
  tap_keys(k, "TAIMAN");
  REQUIRE(tap(k, "key_space"));              // the space takes the first word
  tap_keys(k, "QINGG");
  REQUIRE(tap(k, "key_del"));                // ⌫ erases the spelling first: QING
  REQUIRE(tap(k, "ime_toggle"));             // to letters: the word being spelled is typed, not lost
  tap_keys(k, "A");
  REQUIRE(tap(k, "ime_toggle"));
  tap_keys(k, "GAIJIN");                     // left spelled when sent: it goes with the text
  REQUIRE(tap(k, "complaint_submit"));
  HallState s;
  REQUIRE(drive(k, [&] { s = k.mirror().copy(); return s.complaints.size() == 1; }, 15000));
  CHECK(s.complaints.begin()->second.text == "办事太慢请A改进");
}


TEST_CASE("handwriting from Zinnia: recorded strokes of eight characters are recognised as them, candidates after every stroke, an undo takes one back") {
  std::string why;
  auto hand = kiosk::HandwritingInput::open(kiosk::HandwritingInput::kDebianModel, &why);
  REQUIRE_MESSAGE(hand, why);
  const auto& r = recorded_strokes();
  REQUIRE(r.characters.size() == 8);
  for (const auto& [ch, strokes] : r.characters) {
    INFO(ch);
    const auto at_300 = hand->recognise(strokes, r.size, r.size);
    REQUIRE_FALSE(at_300.empty());
    CHECK(at_300.front() == ch);
    // The same hand on a pad twice the size: the same character.
    std::vector<kiosk::HandwritingInput::Stroke> bigger = strokes;
    for (auto& s : bigger)
      for (auto& p : s) p.x *= 2, p.y *= 2;
    CHECK(hand->recognise(bigger, 2 * r.size, 2 * r.size).front() == ch);
  }
  // Stroke by stroke, as a finger writes 事: candidates after each, 事 first once all eight are down.
  hand->set_size(r.size, r.size);
  const auto& shi = r.characters.at("事");
  std::vector<std::string> before_last;
  for (size_t i = 0; i < shi.size(); ++i) {
    hand->begin_stroke(shi[i].front());
    for (size_t n = 1; n < shi[i].size(); ++n) hand->add_point(shi[i][n]);
    CHECK(hand->writing());
    hand->end_stroke();
    CHECK_FALSE(hand->writing());
    CHECK_FALSE(hand->candidates().empty());
    if (i + 2 == shi.size()) before_last = hand->candidates();
  }
  CHECK(hand->candidates().front() == "事");
  CHECK(hand->strokes().size() == 8);
  hand->undo_stroke();
  CHECK(hand->strokes().size() == 7);
  CHECK(hand->candidates() == before_last);  // the character as it was before the last stroke
  hand->clear();
  CHECK(hand->empty());
  CHECK(hand->candidates().empty());
  // No model: said plainly, naming the file and the package.
  CHECK_FALSE(kiosk::HandwritingInput::open("/nonexistent/handwriting.model", &why));
  CHECK(why.find("/nonexistent/handwriting.model") != std::string::npos);
  CHECK(why.find("tegaki-zinnia-simplified-chinese") != std::string::npos);
}

TEST_CASE("a complaint written by hand on the kiosk's pad arrives at the server with its text, nothing lost switching between 手写 and 拼音") {
  Hall h;
  kiosk::Kiosk k(h.options());
  REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
  REQUIRE(tap(k, "home.complaint"));
  REQUIRE(tap(k, "kind_unresolved"));
  REQUIRE(tap(k, "complaint_next"));
  REQUIRE(tap(k, "ime_hand"));
  CHECK(drew(k, "在此处书写"));
  write_on_pad(k, "办");
  CHECK(label_of(k, "cand_0") == "办");   // after the strokes, in the bar
  REQUIRE(tap(k, "cand_0"));
  CHECK(label_of(k, "cand_0").empty());   // picked: the pad is clear for the next character
  // 事 written, then 拼音 chosen before picking it: it is typed, not lost.
  write_on_pad(k, "事");
  CHECK(label_of(k, "cand_0") == "事");
  REQUIRE(tap(k, "ime_toggle"));
  tap_keys(k, "TAIMAN");
  REQUIRE(tap(k, "ime_hand"));            // a word being spelled is typed on the way to the pad
  // 下 with its last stroke undone and written again; 十 written and cleared.
  write_on_pad(k, "下");
  REQUIRE(tap(k, "hand_undo"));
  CHECK(label_of(k, "cand_0") != "下");
  write_on_pad(k, "十");
  REQUIRE(tap(k, "hand_clear"));
  CHECK(label_of(k, "cand_0").empty());
  write_on_pad(k, "下");
  CHECK(label_of(k, "cand_0") == "下");
  REQUIRE(tap(k, "key_。"));               // a mark types the character first, then itself
  write_on_pad(k, "小");                  // left written when sent: it goes with the text
  REQUIRE(tap(k, "complaint_submit"));
  HallState s;
  REQUIRE(drive(k, [&] { s = k.mirror().copy(); return s.complaints.size() == 1; }, 15000));
  CHECK(s.complaints.begin()->second.text == "办事太慢下。小");
}

TEST_CASE("a kiosk without the handwriting model says so on the pad and still types by pinyin and the pad's keys") {
  Hall h;
  kiosk::Options o = h.options();
  o.handwriting_model = h.dir + "/no-such.model";
  kiosk::Kiosk k(o);
  REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
  REQUIRE(tap(k, "home.complaint"));
  REQUIRE(tap(k, "complaint_next"));
  tap_keys(k, "BANSHI");
  REQUIRE(tap(k, "ime_hand"));            // 办事 typed on the way
  CHECK(drew(k, "本机未装手写识别数据"));
  REQUIRE(tap(k, "key_，"));
  REQUIRE(tap(k, "ime_toggle"));          // back to the keys
  tap_keys(k, "A");
  CHECK(drew(k, "办事，"));
  REQUIRE(tap(k, "cand_0"));
  REQUIRE(tap(k, "complaint_submit"));
  HallState s;
  REQUIRE(drive(k, [&] { s = k.mirror().copy(); return s.complaints.size() == 1; }, 15000));
  CHECK(s.complaints.begin()->second.text.rfind("办事，", 0) == 0);
}

TEST_CASE("a rating's own words, written by hand and typed in pinyin on 写几句, arrive with the rating beside the common words") {
  Hall h;
  std::string number = serve_one(h.client);
  kiosk::Kiosk k(h.options());
  REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
  REQUIRE(tap(k, "home.rate"));
  tap_keys(k, number);
  REQUIRE(tap(k, "rate_next"));
  REQUIRE(tap(k, "level2"));
  REQUIRE(tap(k, "reason0"));
  REQUIRE(tap(k, "comment0"));
  REQUIRE(tap(k, "rate_write"));
  REQUIRE(k.page() == kiosk::Page::RateComment);
  REQUIRE(tap(k, "ime_hand"));
  write_on_pad(k, "办");
  REQUIRE(tap(k, "cand_0"));
  write_on_pad(k, "事");
  REQUIRE(tap(k, "ime_toggle"));         // to pinyin: 事 is typed on the way
  tap_keys(k, "TAIMAN");
  REQUIRE(tap(k, "back"));               // 写好了: the word being spelled goes in, the page keeps the words
  REQUIRE(k.page() == kiosk::Page::RateReasons);
  CHECK(label_of(k, "rate_write") == "已写 4 字");
  REQUIRE(tap(k, "rate_submit"));
  REQUIRE(drive(k, [&] { return k.status() == "评价已收到"; }));
  json r = h.client.call("get", {{"key", "rating/T/" + k.mirror().copy().hall.day + "/" + number}}).result["value"];
  CHECK(r["comment"] == "希望增加窗口；办事太慢");
  CHECK(r["reasons"] == json{"等候时间长"});
}

TEST_CASE("the guide's search takes pinyin initials as they are spelled, a pinyin word, and a character written by hand") {
  Hall h;
  kiosk::Kiosk k(h.options());
  REQUIRE(drive(k, [&] { return k.mirror().synced() && !k.mirror().copy().items.empty(); }));
  const auto items = k.mirror().copy().items;
  REQUIRE(tap(k, "home.guide"));
  REQUIRE(tap(k, "tab_2"));
  tap_keys(k, "YXZR");                   // initials, found while still spelled
  CHECK(drew(k, "有限责任公司设立登记"));
  for (int i = 0; i < 4; ++i) REQUIRE(tap(k, "key_del"));
  tap_keys(k, "SHEBAO");
  REQUIRE(label_of(k, "cand_0") == "社保");
  REQUIRE(tap(k, "cand_0"));
  const auto shebao = kiosk::search_catalogue(items, "社保");
  REQUIRE_FALSE(shebao.empty());
  CHECK(drew(k, items.at(shebao.front()).name));
  for (int i = 0; i < 2; ++i) REQUIRE(tap(k, "key_del"));
  REQUIRE(tap(k, "ime_hand"));
  write_on_pad(k, "上");                  // any item with 上 in its name or words
  REQUIRE(label_of(k, "cand_0") == "上");
  REQUIRE(tap(k, "cand_0"));
  const auto shang = kiosk::search_catalogue(items, "上");
  if (!shang.empty()) CHECK(drew(k, items.at(shang.front()).name));
  CHECK(drew(k, "上▏"));
}

TEST_CASE("朗读 in the normal mode: one tap on the home page and the kiosk speaks as in 长辈模式, another and it is silent") {
  Hall h;
  REQUIRE(h.client.call("open_window", {{"window", 1}, {"staff", "S1"}}).ok);
  kiosk::Options o = h.options();
  o.speech.rate = 450;  // the fastest the config allows: the words are what is tested, heard in a third of the time
  kiosk::Kiosk k(o);
  REQUIRE(drive(k, [&] { return k.mirror().synced(); }));
  auto said = [&](const std::string& line) { return said_by(k, line); };
  REQUIRE(tap(k, "home.guide"));
  k.open(kiosk::Page::Home);
  CHECK(k.speaker().log().empty());
  REQUIRE(label_of(k, "read_aloud") == "朗读");
  REQUIRE(tap(k, "read_aloud"));
  CHECK(said("朗读。欢迎。请轻触要办理的业务。需要人帮忙，请按呼叫帮办"));
  REQUIRE(tap(k, "home.take_ticket"));
  CHECK(said("取号。请选择要办理的业务，轻触后取号"));
  REQUIRE(tap(k, "home"));
  REQUIRE(tap(k, "read_aloud"));          // 关闭朗读: nothing more is said
  auto says = [&] {
    drive(k, [&] { return k.speaker().idle(); }, 10000);
    const auto log = k.speaker().log();
    return std::count_if(log.begin(), log.end(), [](const std::string& l) { return l.rfind("say: ", 0) == 0; });
  };
  const auto before = says();
  REQUIRE(tap(k, "home.guide"));
  CHECK(says() == before);
  // In 长辈模式 the voice is on anyway: no 朗读 button.
  REQUIRE(tap(k, "mode"));
  k.open(kiosk::Page::Home);
  CHECK(label_of(k, "read_aloud").empty());
}

TEST_CASE("no timer drops input: a word only spelled, a character only half written, a search or a rating's words typed — the idle timer asks and keeps them") {
  Hall h;
  std::string number = serve_one(h.client);
  kiosk::Options o = h.options();
  o.idle_seconds = 1;
  kiosk::Kiosk k(o);
  REQUIRE(drive(k, [&] { return k.mirror().synced() && !k.mirror().copy().items.empty(); }));
  auto asked_and_kept = [&](kiosk::Page page, const std::string& shown) {
    INFO("page " << int(page) << " showing " << shown);
    REQUIRE(drive(k, [&] { return k.asking(); }, 5000));
    CHECK_FALSE(drive(k, [&] { return k.page() != page || !k.asking(); }, 1500));  // no time limit on the question either
    REQUIRE(tap(k, "idle_continue"));
    CHECK(k.page() == page);
    CHECK(drew(k, shown));
  };
  // 办不成事, nothing chosen: only a pinyin spelling.
  REQUIRE(tap(k, "home.complaint"));
  REQUIRE(tap(k, "complaint_next"));
  tap_keys(k, "BAN");
  asked_and_kept(kiosk::Page::ComplaintText, "ban");
  // Only strokes on the pad.
  REQUIRE(tap(k, "key_del"));
  REQUIRE(tap(k, "key_del"));
  REQUIRE(tap(k, "key_del"));
  REQUIRE(tap(k, "ime_hand"));
  write_on_pad(k, "事", 3);
  asked_and_kept(kiosk::Page::ComplaintText, "撤销一笔");
  CHECK(label_of(k, "hand_undo") == "撤销一笔");
  REQUIRE(tap(k, "idle_continue") == false);  // answered already: the question is gone
  REQUIRE(tap(k, "hand_clear"));
  REQUIRE(tap(k, "ime_hand"));
  // A search typed.
  k.open(kiosk::Page::Search);
  REQUIRE(tap(k, "hot_2"));
  asked_and_kept(kiosk::Page::Search, "社保▏");
  // A rating's own words.
  k.open(kiosk::Page::RateEntry);
  tap_keys(k, number);
  REQUIRE(tap(k, "rate_next"));
  REQUIRE(tap(k, "level4"));
  REQUIRE(tap(k, "rate_write"));
  tap_keys(k, "HAO");
  REQUIRE(tap(k, "cand_0"));
  asked_and_kept(kiosk::Page::RateComment, "好▏");
}
