// 办事指南: the catalogue by department or by theme, search by keyword or
// pinyin initials, and an item's page (conditions, materials, steps, time
// limits, fees, basis, where to go, 最多跑一次 / 全程网办 / 即办件) from
// which a ticket for that item is taken. Works from the catalogue kept on
// disk when the hall server is away.
#include <algorithm>
#include <cctype>

#include "kiosk/keys.h"
#include "kiosk/kiosk.h"
#include "shared/ui/widgets.h"

namespace hall::kiosk {

using namespace ui;

std::vector<std::string> search_catalogue(const std::map<std::string, ServiceItem>& items, const std::string& query) {
  std::vector<std::pair<int, std::string>> hits;  // (rank, code): lower ranks first
  bool letters = !query.empty() && std::all_of(query.begin(), query.end(), [](unsigned char ch) { return std::isalpha(ch); });
  std::string q = query;
  if (letters) std::transform(q.begin(), q.end(), q.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
  if (q.empty()) return {};
  for (const auto& [code, item] : items) {
    int rank = -1;
    if (letters) {
      size_t at = item.pinyin.find(q);
      if (at == 0) rank = 0;
      else if (at != std::string::npos) rank = 1;
    } else {
      size_t at = item.name.find(q);
      if (at == 0) rank = 0;
      else if (at != std::string::npos) rank = 1;
      else if (item.theme.find(q) != std::string::npos || item.department.find(q) != std::string::npos) rank = 2;
      else
        for (const auto& m : item.materials)
          if (m.name.find(q) != std::string::npos) rank = 3;
    }
    if (rank >= 0) hits.emplace_back(rank, code);
  }
  std::stable_sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (auto& h : hits) out.push_back(h.second);
  return out;
}

namespace {

// "承诺1个工作日 · 最多跑一次 · 全程网办": what a citizen asks first.
std::string item_badges(const Strings& t, const ServiceItem& item) {
  std::string out = item.promised_days == 0 ? t("guide.instant") : t("guide.promised", {{"n", std::to_string(item.promised_days)}});
  if (item.at_most_once) out += " · " + t("guide.at_most_once");
  if (item.fully_online) out += " · " + t("guide.online");
  return out;
}

}  // namespace

void Kiosk::draw_guide(Canvas& c, const HallState& s) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  page_title(c, guide_.group.empty() ? t()("guide.title") : guide_.group);
  float top = content_top() + 110 * u, gap = 24 * u;
  float tab_w = (W - 4 * gap) / 3, tab_h = 110 * u;
  auto tab = [&](const char* id, const std::string& label, bool on) {
    return touch_button(c, id, {gap + float(id[4] - '0') * (tab_w + gap), top, tab_w, tab_h}, label,
                        {on ? color::kGold : color::kPanelEdge, on ? color::kGround : color::kText, heading(), 14});
  };
  if (tab("tab_0", t()("guide.by_department"), !guide_.by_theme)) guide_.by_theme = false, guide_.group.clear(), list_page_ = 0;
  if (tab("tab_1", t()("guide.by_theme"), guide_.by_theme)) guide_.by_theme = true, guide_.group.clear(), list_page_ = 0;
  if (tab("tab_2", t()("guide.search"), false)) go(Page::Search);
  Rect area{gap, top + tab_h + gap, W - 2 * gap, H - top - tab_h - 2 * gap};
  if (s.items.empty()) {
    c.text_in(heading(), area.row(0, 200 * u), color::kMuted, t()("guide.no_catalogue"), Align::Center);
    return;
  }
  if (guide_.group.empty()) {
    std::map<std::string, int> groups;  // department or theme → items
    for (const auto& [code, item] : s.items) ++groups[guide_.by_theme ? item.theme : item.department];
    std::vector<Row> rows;
    for (const auto& [name, n] : groups) rows.push_back({"group_" + name, name, t()("guide.items", {{"n", std::to_string(n)}})});
    int tapped = draw_list(c, area, rows, elderly_ ? 4 : (W > H ? 5 : 8));
    if (tapped >= 0) guide_.group = rows[size_t(tapped)].title, list_page_ = 0;
    return;
  }
  std::vector<Row> rows;
  for (const auto& [code, item] : s.items)
    if ((guide_.by_theme ? item.theme : item.department) == guide_.group) rows.push_back({"item_" + code, item.name, item_badges(t(), item)});
  float back_h = 110 * u;
  int tapped = draw_list(c, {area.x, area.y, area.w, area.h - back_h - gap}, rows, elderly_ ? (W > H ? 3 : 4) : (W > H ? 4 : 7));
  if (tapped >= 0) guide_.item = rows[size_t(tapped)].id.substr(5), go(Page::Item);
  if (touch_button(c, "back", {area.x, area.bottom() - back_h, area.w, back_h}, t()("guide.back_to_groups"),
                   {color::kPanelEdge, color::kText, heading(), 14}))
    guide_.group.clear(), list_page_ = 0;
}

void Kiosk::draw_search(Canvas& c, const HallState& s) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  page_title(c, t()("guide.search_title"));
  // Portrait: box, hot words, results, keys from top to bottom. Landscape:
  // box, hot words and keys on the left, results on the right.
  const bool wide = W > H;
  float gap = 24 * u, y = content_top() + 110 * u;
  float left_w = wide ? W * 0.55f - 1.5f * gap : W - 2 * gap;
  Rect box{gap, y, left_w, 110 * u};
  c.fill(box, color::kText, 12 * u);
  const std::string typed = guide_.query + preedit();  // a word being spelled shows where it will go
  c.text_in(heading(), box.inset(20 * u), typed.empty() ? color::kHint : color::kGround, typed.empty() ? t()("guide.search_hint") : typed + "▏");
  y += box.h + gap;
  // Words people ask for most, one tap each (no input method needed).
  static const char* hot[] = {"营业执照", "不动产", "社保", "医保", "结婚", "户口", "公积金", "退休"};
  const int per_row = 4;
  float hw = (left_w - gap * float(per_row - 1)) / float(per_row), hh = 90 * u;
  for (int i = 0; i < 8; ++i) {
    Rect r{gap + float(i % per_row) * (hw + gap), y + float(i / per_row) * (hh + 12 * u), hw, hh};
    std::string id = "hot_" + std::to_string(i);
    if (touch_button(c, id.c_str(), r, hot[i], {color::kPanelEdge, color::kText, body(), 12})) {
      guide_.query = hot[i], list_page_ = 0;
      if (pinyin_) pinyin_->clear();  // the word replaces what was being typed
      if (hand_) hand_->clear();
    }
  }
  y += 2 * hh + 12 * u + gap;
  float keys_h = wide ? H - y - gap : (elderly_ ? H * 0.3f : H * 0.24f);
  Rect results = wide ? Rect{W * 0.55f + 0.5f * gap, content_top() + 110 * u, W * 0.45f - 1.5f * gap, H - content_top() - 110 * u - gap}
                      : Rect{gap, y, W - 2 * gap, H - y - keys_h - 2 * gap};
  std::vector<Row> rows;
  // What is being spelled counts too: initials ("yyzz") find items before any word is chosen.
  const std::string query = guide_.query + spelling_letters();
  for (const auto& code : search_catalogue(s.items, query)) {
    const ServiceItem& item = s.items.at(code);
    rows.push_back({"item_" + code, item.name, item.department + " · " + item_badges(t(), item)});
  }
  if (!query.empty() || !rows.empty()) {
    int tapped = draw_list(c, results, rows, elderly_ ? (wide ? 4 : 2) : (wide ? 5 : 4));
    if (tapped >= 0) guide_.item = rows[size_t(tapped)].id.substr(5), go(Page::Item);
  }
  // Keywords by pinyin, by hand or as letters (initials), on the same keys as every text.
  const std::string before = query;
  text_keyboard(c, {gap, H - keys_h - gap, left_w, keys_h}, guide_.query, 20);
  if (guide_.query + spelling_letters() != before) list_page_ = 0;
}

void Kiosk::draw_item(Canvas& c, const HallState& s) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  auto it = s.items.find(guide_.item);
  if (it == s.items.end()) return go(Page::Guide);
  const ServiceItem& item = it->second;
  page_title(c, item.name);
  float gap = 24 * u, y = content_top() + 100 * u;
  c.text_in(body(), {gap, y, W - 2 * gap, 60 * u}, color::kMuted, item.department + " · " + item.theme, Align::Center);
  y += 70 * u;
  std::vector<Block> doc;
  doc.push_back({Block::Badge, item_badges(t(), item)});
  doc.push_back({Block::Heading, t()("guide.limits")});
  doc.push_back({Block::Text, t()("guide.limits_text", {{"legal", std::to_string(item.legal_days)}, {"promised", std::to_string(item.promised_days)}})});
  if (!item.conditions.empty()) {
    doc.push_back({Block::Heading, t()("guide.conditions")});
    for (const auto& line : item.conditions) doc.push_back({Block::Bullet, line});
  }
  if (!item.materials.empty()) {
    doc.push_back({Block::Heading, t()("guide.materials")});
    for (const auto& m : item.materials)
      doc.push_back({Block::Bullet, m.name + "（" + m.form + " " + t()("guide.copies", {{"n", std::to_string(m.copies)}}) + "）"});
  }
  if (!item.steps.empty()) {
    doc.push_back({Block::Heading, t()("guide.steps")});
    for (size_t i = 0; i < item.steps.size(); ++i) doc.push_back({Block::Bullet, std::to_string(i + 1) + ". " + item.steps[i]});
  }
  doc.push_back({Block::Heading, t()("guide.fees")});
  doc.push_back({Block::Text, item.fees});
  std::string where = item.where;
  if (auto cat = s.categories.find(item.category); cat != s.categories.end()) {
    std::string windows;
    for (int w : cat->second.windows) windows += (windows.empty() ? "" : "、") + std::to_string(w);
    if (where.empty()) where = t()("guide.where_windows", {{"w", windows}, {"category", cat->second.name}});
  }
  if (!where.empty()) {
    doc.push_back({Block::Heading, t()("guide.where")});
    doc.push_back({Block::Text, where});
  }
  if (!item.legal_basis.empty()) {
    doc.push_back({Block::Heading, t()("guide.basis")});
    doc.push_back({Block::Text, item.legal_basis});
  }
  float bar_h = 130 * u;
  draw_document(c, {gap, y, W - 2 * gap, H - y - bar_h - 2 * gap}, doc);
  Rect bar{gap, H - bar_h - gap, W - 2 * gap, bar_h};
  float bw = bar.w * 0.3f;
  if (touch_button(c, "back", {bar.x, bar.y, bw, bar.h}, t()("nav.back"), {color::kPanelEdge, color::kText, heading(), 16}))
    go(guide_.group.empty() && !guide_.query.empty() ? Page::Search : Page::Guide);
  bool served = s.categories.count(item.category) > 0;
  if (touch_button(c, "take_for_item", {bar.x + bw + gap, bar.y, bar.w - bw - gap, bar.h},
                   served ? t()("guide.take_ticket") : t()("guide.not_here"), {color::kGood, color::kGround, heading(), 16},
                   served && !busy())) {
    category_ = item.category;
    if (s.categories.at(item.category).lanes.empty()) take(category_, "normal", guide_.item);
    else page_ = Page::Lane;  // guide_.item stays: the ticket is for this item
  }
}

void Kiosk::draw_document(Canvas& c, Rect area, const std::vector<Block>& blocks) {
  const float u = c.u();
  struct Line {
    Block::Kind kind;
    std::string text;
    bool first;  // first line of its block
  };
  // Lay the blocks out as lines, then cut into pages that fit the area.
  float pager_h = 110 * u, gap = 12 * u;
  std::vector<Line> lines;
  for (const auto& b : blocks) {
    Size size = b.kind == Block::Heading ? heading() : body();
    float indent = b.kind == Block::Bullet ? 40 * u : 0;
    bool first = true;
    for (auto& l : c.wrap(size, area.w - indent - 48 * u, b.text)) lines.push_back({b.kind, l, first}), first = false;
  }
  auto height = [&](const Line& l) {
    Size size = l.kind == Block::Heading ? heading() : body();
    return c.fonts().pixels(size) * 1.45f + (l.kind == Block::Heading && l.first ? 18 * u : 0);
  };
  std::vector<size_t> page_starts{0};
  float used = 0, room = area.h - pager_h - gap;
  for (size_t i = 0; i < lines.size(); ++i) {
    float h = height(lines[i]);
    // A heading never ends a page alone.
    bool orphan = lines[i].kind == Block::Heading && i + 1 < lines.size() && used + h + height(lines[i + 1]) > room;
    if ((used + h > room || orphan) && i > page_starts.back()) page_starts.push_back(i), used = 0;
    used += h;
  }
  int pages = int(page_starts.size());
  list_page_ = std::clamp(list_page_, 0, pages - 1);
  c.fill(area.row(0, area.h - pager_h - gap), color::kPanel, 12 * u);
  float y = area.y + 12 * u;
  size_t end = list_page_ + 1 < pages ? page_starts[size_t(list_page_ + 1)] : lines.size();
  for (size_t i = page_starts[size_t(list_page_)]; i < end; ++i) {
    const Line& l = lines[i];
    float h = height(l);
    Size size = l.kind == Block::Heading ? heading() : body();
    float lh = c.fonts().pixels(size) * 1.45f, indent = l.kind == Block::Bullet ? 40 * u : 0;
    Rect r{area.x + 24 * u + indent, y + h - lh, area.w - 48 * u - indent, lh};
    if (l.kind == Block::Bullet && l.first) c.fill({area.x + 28 * u, r.y + r.h / 2 - 6 * u, 12 * u, 12 * u}, color::kGold, 6 * u);
    ImU32 ink = l.kind == Block::Heading ? color::kGold : l.kind == Block::Badge ? color::kGood : color::kText;
    c.text_in(size, r, ink, l.text);
    y += h;
  }
  pager(c, {area.x, area.bottom() - pager_h, area.w, pager_h}, pages);
}

}  // namespace hall::kiosk
