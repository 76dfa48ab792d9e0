// 办不成事 / 投诉建议: what kind, which service (optional), common phrases to
// tap, free text and an optional phone number → kept by the hall server for
// managers. Through the outbox, like a rating: never lost, sent once.
#include "kiosk/keys.h"
#include "kiosk/kiosk.h"
#include "shared/ui/widgets.h"

namespace hall::kiosk {

using namespace ui;

namespace {
const char* kKinds[] = {"unresolved", "complaint", "suggestion"};
constexpr int kPhrases = 6;  // per kind, in the string tables: phrase.<kind>.<i>
}  // namespace

void Kiosk::draw_complaint(Canvas& c, const HallState& s) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  page_title(c, t()("complaint.title"));
  float gap = 24 * u, y = content_top() + 110 * u;
  float tw = (W - 4 * gap) / 3, th = elderly_ ? 130 * u : 110 * u;
  for (int i = 0; i < 3; ++i) {
    bool on = complaint_.kind == kKinds[i];
    std::string id = std::string("kind_") + kKinds[i];
    if (touch_button(c, id.c_str(), {gap + float(i) * (tw + gap), y, tw, th}, t()(std::string("complaint.kind.") + kKinds[i]),
                     {on ? color::kGold : color::kPanelEdge, on ? color::kGround : color::kText, heading(), 14}))
      complaint_.kind = kKinds[i], complaint_.phrases.clear();
  }
  y += th + gap;
  // Which service it concerns (optional): the hall's categories. Not in
  // 长辈模式, which keeps to fewer, larger choices.
  if (!elderly_) {
    c.text_in(body(), {gap, y, W - 2 * gap, 56 * u}, color::kMuted, t()("complaint.which"));
    y += 60 * u;
    int columns = W > H ? 5 : 3;
    float cw = (W - gap * float(columns + 1)) / float(columns), ch = 90 * u;
    int k = 0;
    for (const auto& [code, cat] : s.categories) {
      Rect r{gap + float(k % columns) * (cw + gap), y + float(k / columns) * (ch + 12 * u), cw, ch};
      bool on = complaint_.category == code;
      std::string id = "about_" + code;
      if (touch_button(c, id.c_str(), r, cat.name, {on ? color::kGold : color::kPanel, on ? color::kGround : color::kText, body(), 12}))
        complaint_.category = on ? "" : code;
      ++k;
    }
    y += float((k + columns - 1) / columns) * (ch + 12 * u) + gap;
  }
  c.text_in(body(), {gap, y, W - 2 * gap, 56 * u}, color::kMuted, t()("complaint.phrases"));
  y += 60 * u;
  float bar_h = 150 * u;
  int pcols = W > H ? 3 : 2;
  float pw = (W - gap * float(pcols + 1)) / float(pcols);
  int prow = (kPhrases + pcols - 1) / pcols;
  float ph = std::min((H - y - bar_h - 2 * gap) / float(prow) - 12 * u, elderly_ ? 170 * u : 130 * u);
  for (int i = 0; i < kPhrases; ++i) {
    std::string key = "phrase." + complaint_.kind + "." + std::to_string(i), said = zh_(key);
    Rect r{gap + float(i % pcols) * (pw + gap), y + float(i / pcols) * (ph + 12 * u), pw, ph};
    bool on = complaint_.phrases.count(said) > 0;
    std::string id = "phrase" + std::to_string(i);
    if (touch_button(c, id.c_str(), r, t()(key), {on ? color::kGold : color::kPanelEdge, on ? color::kGround : color::kText, body(), 12})) {
      if (on) complaint_.phrases.erase(said);
      else complaint_.phrases.insert(said);
    }
  }
  if (touch_button(c, "complaint_next", {gap, H - bar_h - gap, W - 2 * gap, bar_h}, t()("complaint.next"), {color::kGood, color::kGround, Size::Big, 18}))
    go(Page::ComplaintText);
}

void Kiosk::draw_complaint_text(Canvas& c) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  page_title(c, t()("complaint.more"));
  float gap = 24 * u, y = content_top() + 110 * u;
  // Two fields; the keys below type into the one chosen.
  // Landscape: the phone beside the text, so the keys and the pinyin bar keep their 60 dp.
  const bool wide = W > H;
  Rect text_box{gap, y, wide ? (W - 3 * gap) * 0.62f : W - 2 * gap, wide ? 130 * u : elderly_ ? 260 * u : 220 * u};
  if (touch_button(c, "field_text", text_box, "", {complaint_.typing_phone ? color::kPanel : color::kText, color::kGround, body(), 12})) complaint_.typing_phone = false;
  text_field(c, text_box, complaint_.typing_phone ? complaint_.text : complaint_.text + preedit(), t()("complaint.text_hint"),
             complaint_.typing_phone ? color::kText : color::kGround, complaint_.typing_phone ? color::kMuted : color::kHint, !complaint_.typing_phone);
  if (!wide) y += text_box.h + gap;
  Rect phone_box = wide ? Rect{text_box.right() + gap, y, W - 3 * gap - text_box.w, text_box.h} : Rect{gap, y, W - 2 * gap, 110 * u};
  if (touch_button(c, "field_phone", phone_box, "", {complaint_.typing_phone ? color::kText : color::kPanel, color::kGround, body(), 12})) complaint_.typing_phone = true;
  c.text_in(heading(), phone_box.inset(20 * u), complaint_.phone.empty() ? (complaint_.typing_phone ? color::kHint : color::kMuted) : (complaint_.typing_phone ? color::kGround : color::kText),
            complaint_.phone.empty() ? t()("complaint.phone_hint") : complaint_.phone + (complaint_.typing_phone ? "▏" : ""));
  y += phone_box.h + gap;
  float bar_h = wide ? 130 * u : 150 * u;
  Rect keys{gap, y, W - 2 * gap, H - y - bar_h - 2 * gap};
  if (complaint_.typing_phone) {
    float pad_w = std::min(keys.w, 900 * u);
    edit_text(complaint_.phone, key_grid(c, {(W - pad_w) / 2, keys.y, pad_w, keys.h}, digit_keys(), 3, Size::Big, key_words()), 20);
  } else {
    // Chinese by pinyin on these keys (or the phrases, or a keyboard's input method); letters and digits as they are.
    text_keyboard(c, keys, complaint_.text, 300);
  }
  float back_w = (W - 3 * gap) * 0.35f;
  if (touch_button(c, "back", {gap, H - bar_h - gap, back_w, bar_h}, t()("nav.back"), {color::kPanelEdge, color::kText, heading(), 16}))
    page_ = Page::Complaint;
  bool ready = (!complaint_.phrases.empty() || !complaint_.text.empty()) && (complaint_.phone.empty() || complaint_.phone.size() >= 7);
  if (touch_button(c, "complaint_submit", {2 * gap + back_w, H - bar_h - gap, W - 3 * gap - back_w, bar_h}, t()("complaint.submit"),
                   {color::kGood, color::kGround, Size::Big, 18}, ready))
    submit_complaint();
  if (!ready && complaint_.phrases.empty() && complaint_.text.empty())
    c.text_in(body(), {gap, H - bar_h - gap - 60 * u, W - 2 * gap, 56 * u}, color::kGold, t()("complaint.need_something"), Align::Center);
}

void Kiosk::submit_complaint() {
  commit_typing(complaint_.text, 300);  // a word still being spelled, or a character being written, goes too
  json args{{"kind", complaint_.kind}, {"channel", "kiosk"}};
  if (!complaint_.category.empty()) args["category"] = complaint_.category;
  if (!complaint_.phrases.empty()) args["phrases"] = std::vector<std::string>(complaint_.phrases.begin(), complaint_.phrases.end());
  if (!complaint_.text.empty()) args["text"] = complaint_.text;
  if (!complaint_.phone.empty()) args["phone"] = complaint_.phone;
  Kept kept = outbox_->put("submit_complaint", args);  // on disk before the page says it is received, or the page says it is not
  sending_.key = kept.key, sending_.on_disk = kept.on_disk;
  complaint_.sent = true;
  sending_.at = Clock::now();
  sending_.status.clear(), sending_.ok = false;
  complaint_.phone.clear();  // the number leaves the screen at once
  go(Page::ComplaintDone);
}

void Kiosk::draw_complaint_done(Canvas& c) { draw_sent(c, t()("complaint.thanks"), ""); }

}  // namespace hall::kiosk
