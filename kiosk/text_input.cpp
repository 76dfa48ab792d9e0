// Chinese typed on the kiosk's own screen, three ways, one bar of words:
// - 拼音: the letters spell, RIME offers the words (kiosk/pinyin), a tap on
//   one types it. The space takes the first word, a digit or mark takes it
//   too and then types itself, ⌫ erases the spelling before the text.
// - 手写: a finger writes on the pad, Zinnia offers the characters after
//   every stroke (kiosk/handwriting), a tap on one types it; 撤销一笔 takes
//   the last stroke back, 重写 starts the character again.
// - 英文: the letters as they are.
// Switching never loses anything: a word being spelled or a character
// being written is typed (its first candidate) before the switch. No timer
// ever commits or clears: a slow hand loses nothing.
#include <algorithm>
#include <cstdio>
#include <vector>

#include "kiosk/kiosk.h"

namespace hall::kiosk {

using namespace ui;

namespace {

// As many words as fit at full size, each as wide as it needs (a narrow bar
// shows fewer, never smaller ones); returns the index tapped, or -1.
int candidate_buttons(Canvas& c, Rect room, const std::vector<std::string>& list, Size size, size_t most) {
  const float u = c.u(), gap = 12 * u, pad = 36 * u;
  std::vector<float> widths;
  float used = 0;
  for (size_t i = 0; i < list.size() && i < most; ++i) {
    const float w = std::max(room.h, c.measure(size, list[i]).x + pad);
    if (used + w + (widths.empty() ? 0 : gap) > room.w) break;
    used += w + (widths.empty() ? 0 : gap);
    widths.push_back(w);
  }
  if (widths.empty()) return -1;
  const float gaps = gap * float(widths.size() - 1), stretch = (room.w - gaps) / (used - gaps);
  float x = room.x;
  int tapped = -1;
  for (size_t i = 0; i < widths.size(); ++i) {
    const std::string id = "cand_" + std::to_string(i);
    const float w = widths[i] * stretch;
    if (touch_button(c, id.c_str(), {x, room.y, w, room.h}, list[i], {color::kTile, color::kText, size, 12})) tapped = int(i);
    x += w + gap;
  }
  return tapped;
}

}  // namespace

void Kiosk::open_typing() {
  if (!pinyin_tried_) pinyin_tried_ = true, pinyin_ = PinyinInput::open(o_.state_dir + "/rime", &pinyin_why_);
  if (!hand_tried_) {
    hand_tried_ = true;
    hand_ = HandwritingInput::open(o_.handwriting_model, &hand_why_);
    if (!hand_) std::fprintf(stderr, "hall-kiosk: handwriting off: %s\n", hand_why_.c_str());
  }
}

std::string Kiosk::preedit() const {
  return hand_on_ || !pinyin_on_ || !pinyin_ ? "" : pinyin_->spelling();
}

// A text being typed: its lines wrapped in the box, the end of a long text
// kept in view, the hint while it is empty, a cursor after it.
void Kiosk::text_field(Canvas& c, Rect box, const std::string& typed, const std::string& hint, ImU32 ink, ImU32 hint_ink, bool cursor) {
  const float u = c.u();
  auto lines = c.wrap(body(), box.w - 40 * u, typed.empty() ? hint : typed + (cursor ? "▏" : ""));
  const float lh = c.fonts().pixels(body()) * 1.4f;
  const size_t fit = size_t(std::max(1.0f, (box.h - 28 * u) / lh));
  float y = box.y + 14 * u;
  for (size_t i = lines.size() > fit ? lines.size() - fit : 0; i < lines.size(); ++i)
    c.text_in(body(), {box.x + 20 * u, y, box.w - 40 * u, lh}, typed.empty() ? hint_ink : ink, lines[i]), y += lh;
}

std::string Kiosk::spelling_letters() const {
  if (hand_on_ || !pinyin_on_ || !pinyin_) return "";
  std::string letters;
  for (char ch : pinyin_->spelling())
    if (ch != ' ' && ch != '\'') letters += ch;
  return letters;
}

void Kiosk::commit_typing(std::string& text, size_t max_chars) {
  if (pinyin_ && !pinyin_->spelling().empty()) edit_text(text, pinyin_->pick(0), max_chars);
  if (hand_ && !hand_->empty()) {
    if (!hand_->candidates().empty()) edit_text(text, hand_->candidates().front(), max_chars);
    hand_->clear();
  }
}

void Kiosk::text_keyboard(Canvas& c, Rect area, std::string& text, size_t max_chars) {
  const float u = c.u();
  open_typing();
  const bool hand_on = hand_on_, spelling_on = !hand_on && pinyin_ && pinyin_on_;
  const std::string spelling = spelling_on ? pinyin_->spelling() : "";
  const float bar_h = 110 * u, gap = 12 * u;
  // A wide, low area (landscape) gives the pad its whole height, the bar and
  // the pad's keys beside it; otherwise the bar runs over the keys or the pad.
  const bool pad_beside = hand_on && area.w > 1.8f * area.h;
  Rect pad{area.x, area.y, area.h, area.h};
  if (pad_beside) area = {pad.right() + 2 * gap, area.y, area.w - pad.w - 2 * gap, area.h};
  Rect bar{area.x, area.y, area.w, bar_h};
  Rect keys{area.x, area.y + bar_h + gap, area.w, area.h - bar_h - gap};
  // The bar: 拼音/英文, 手写, then the words of this page.
  const float toggle_w = 150 * u;
  const ButtonStyle mode{color::kPanelEdge, color::kText, heading(), 12}, chosen{color::kGold, color::kGround, heading(), 12};
  if (touch_button(c, "ime_toggle", {bar.x, bar.y, toggle_w, bar_h}, pinyin_ && pinyin_on_ ? t()("ime.pinyin") : t()("ime.letters"),
                   hand_on ? mode : chosen, pinyin_ != nullptr || hand_on)) {
    commit_typing(text, max_chars);  // nothing typed is lost on the way
    if (hand_on) hand_on_ = false;   // back to the keys as they were
    else pinyin_on_ = !pinyin_on_;
  }
  if (touch_button(c, "ime_hand", {bar.x + toggle_w + gap, bar.y, toggle_w, bar_h}, t()("ime.hand"), hand_on ? chosen : mode)) {
    commit_typing(text, max_chars);
    hand_on_ = !hand_on_;
  }
  Rect words{bar.x + 2 * (toggle_w + gap), bar.y, bar.w - 2 * (toggle_w + gap), bar_h};
  if (hand_on) {
    if (!hand_) {
      c.text_in(Size::Body, words, color::kMuted, t()("hand.unavailable"), Align::Left);
    } else if (!hand_->candidates().empty()) {
      int i = candidate_buttons(c, words, hand_->candidates(), heading(), 6);
      if (i >= 0) edit_text(text, hand_->candidates()[size_t(i)], max_chars), hand_->clear();
    } else {
      c.text_in(Size::Body, words, color::kMuted, t()("hand.hint"), Align::Left);
    }
    if (!pad_beside) {
      const float side = std::min(keys.h, keys.w * 0.62f);
      pad = {keys.x, keys.y, side, side};
      keys = {pad.right() + 2 * gap, keys.y, keys.right() - pad.right() - 2 * gap, side};
    }
    writing_pad(c, pad, keys, text, max_chars);
    return;
  }
  if (!pinyin_) {
    c.text_in(Size::Body, words, color::kMuted, t()("ime.unavailable"), Align::Left);
  } else if (spelling_on && !spelling.empty()) {  // the spelling itself shows in the field, where the word will go
    const float page_w = 100 * u, x0 = words.x;
    int i = candidate_buttons(c, {x0, bar.y, words.right() - x0 - 2 * (page_w + gap), bar_h}, pinyin_->candidates(), heading(), 5);
    if (i >= 0) edit_text(text, pinyin_->pick(size_t(i)), max_chars);
    if (touch_button(c, "cand_prev", {words.right() - 2 * page_w - gap, bar.y, page_w, bar_h}, "◀", mode)) pinyin_->previous_page();
    if (touch_button(c, "cand_next", {words.right() - page_w, bar.y, page_w, bar_h}, "▶", mode, !pinyin_->last_page())) pinyin_->next_page();
  } else if (spelling_on) {
    c.text_in(Size::Body, words, color::kMuted, t()("ime.hint"), Align::Left);
  }
  const std::string key = key_grid(c, keys, text_keys(), 10, heading(), key_words());
  if (key.empty()) return;
  const bool letter = key.size() == 1 && key[0] >= 'A' && key[0] <= 'Z';
  if (spelling_on && letter) return pinyin_->key(key[0]);
  if (spelling_on && !spelling.empty()) {
    if (key == kDelete) return pinyin_->erase();
    edit_text(text, pinyin_->pick(0), max_chars);  // the first word, then the key itself (a space only ends the word)
    if (key == kSpace) return;
  }
  edit_text(text, key, max_chars);
}

// The pad: square, as large as the page lets it be beside its keys (a
// hand's width on a kiosk's screen), a 田字格 to write in, the strokes in ink. The
// strokes themselves arrive in handle_writing: every point the finger
// passed, not one a frame.
void Kiosk::writing_pad(Canvas& c, Rect pad, Rect column, std::string& text, size_t max_chars) {
  const float u = c.u(), gap = 12 * u;
  c.fill(pad, color::kText, c.px(12));
  if (!hand_) {
    c.text_in(body(), pad.inset(30 * u), color::kGround, t()("hand.unavailable"), Align::Center);
    pad_rect_.reset();
  } else {
    pad_rect_ = pad;
    hand_->set_size(int(pad.w), int(pad.h));
    ImDrawList* dl = c.list();
    const ImU32 guide = color::kHint;
    for (float f : {0.5f}) {  // 田字格: the two middle lines, dashed
      for (float t = 0; t < 1; t += 0.04f) {
        dl->AddLine({pad.x + pad.w * t, pad.y + pad.h * f}, {pad.x + pad.w * (t + 0.02f), pad.y + pad.h * f}, guide, c.px(2));
        dl->AddLine({pad.x + pad.w * f, pad.y + pad.h * t}, {pad.x + pad.w * f, pad.y + pad.h * (t + 0.02f)}, guide, c.px(2));
      }
    }
    for (const auto& stroke : hand_->strokes()) {
      std::vector<ImVec2> points;
      for (const auto& p : stroke) points.push_back({pad.x + float(p.x), pad.y + float(p.y)});
      if (points.size() > 1) dl->AddPolyline(points.data(), int(points.size()), color::kGround, 0, c.px(12));
      for (const ImVec2& p : points) dl->AddCircleFilled(p, c.px(6), color::kGround);  // round joints, as a brush leaves them
    }
    if (hand_->empty()) c.text_in(body(), {pad.x, pad.bottom() - 70 * u, pad.w, 60 * u}, color::kHint, t()("hand.write_here"), Align::Center);
    drawn_buttons().push_back({"hand_pad", "", pad, true});  // a target like any other: its size is checked with the rest
  }
  // Beside it: 撤销一笔, 重写, and the keys that end or edit the text; in
  // two columns where 撤销一笔 fits twice across at full size, else one
  // above the other (a narrow portrait column keeps its type large).
  const bool strokes = hand_ && !hand_->empty();
  const ButtonStyle style{color::kPanelEdge, color::kText, heading(), 12};
  const bool two = 2 * (c.measure(heading(), t()("hand.undo")).x + 40 * u) + gap <= column.w;
  const int rows = two ? 3 : 5;
  const float row = (column.h - gap * float(rows - 1)) / float(rows), half = (column.w - gap) / 2;
  const Rect undo = two ? Rect{column.x, column.y, half, row} : Rect{column.x, column.y, column.w, row};
  const Rect clear = two ? Rect{column.x + half + gap, column.y, half, row} : Rect{column.x, column.y + row + gap, column.w, row};
  if (touch_button(c, "hand_undo", undo, t()("hand.undo"), style, strokes)) hand_->undo_stroke();
  if (touch_button(c, "hand_clear", clear, t()("hand.clear"), style, strokes)) hand_->clear();
  static const std::vector<std::string> kPadKeys{kDelete, kSpace, "，", "。"}, kEditKeys{kDelete, kSpace}, kMarks{"，", "。"};
  const float keys_y = clear.bottom() + gap;
  std::string key;
  if (two) {
    key = key_grid(c, {column.x, keys_y, column.w, column.bottom() - keys_y}, kPadKeys, 2, heading(), key_words());
  } else {
    key = key_grid(c, {column.x, keys_y, column.w, 2 * row + gap}, kEditKeys, 1, heading(), key_words());
    const float marks_y = keys_y + 2 * (row + gap);
    if (std::string mark = key_grid(c, {column.x, marks_y, column.w, column.bottom() - marks_y}, kMarks, 2, heading(), key_words()); !mark.empty())
      key = mark;
  }
  if (key.empty()) return;
  if (key == kDelete && strokes) return hand_->undo_stroke();  // a character half written: ⌫ takes its strokes back first
  commit_typing(text, max_chars);
  edit_text(text, key, max_chars);
}

// Each point the finger passes on the pad, from the events themselves: a
// frame sees only the last of the points that came since the one before.
bool Kiosk::handle_writing(const SDL_Event& e) {
  if (!hand_ || !pad_rect_) return false;
  const Rect& pad = *pad_rect_;
  float x = 0, y = 0;
  switch (e.type) {
    case SDL_MOUSEBUTTONDOWN: case SDL_MOUSEBUTTONUP: x = float(e.button.x), y = float(e.button.y); break;
    case SDL_MOUSEMOTION: x = float(e.motion.x), y = float(e.motion.y); break;
    default: return false;
  }
  const HandwritingInput::Point p{int(x - pad.x), int(y - pad.y)};
  const bool inside = x >= pad.x && x < pad.right() && y >= pad.y && y < pad.bottom();
  if (e.type == SDL_MOUSEBUTTONDOWN && inside) hand_->begin_stroke(p);
  else if (e.type == SDL_MOUSEMOTION && hand_->writing()) hand_->add_point(p);
  else if (e.type == SDL_MOUSEBUTTONUP && hand_->writing()) hand_->add_point(p), hand_->end_stroke();
  else return false;
  return true;
}

}  // namespace hall::kiosk
