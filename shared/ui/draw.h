// Drawing helpers for hall screens: text in the FontBook's sizes with a
// draw log (what was drawn where, for tests and people), the hall palette,
// and a small chart library on ImGui draw lists (Debian has none for ImGui).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "imgui.h"
#include "shared/ui/fonts.h"

namespace hall::ui {

// The hall palette: deep blue ground, white and gold type; contrast ≥ 4.5:1.
namespace color {
constexpr ImU32 kGround = IM_COL32(8, 24, 48, 255);
constexpr ImU32 kPanel = IM_COL32(17, 42, 80, 255);
constexpr ImU32 kPanelEdge = IM_COL32(40, 78, 130, 255);
constexpr ImU32 kText = IM_COL32(255, 255, 255, 255);
constexpr ImU32 kMuted = IM_COL32(170, 192, 218, 255);
constexpr ImU32 kGold = IM_COL32(255, 201, 60, 255);
constexpr ImU32 kGood = IM_COL32(61, 220, 132, 255);
constexpr ImU32 kBad = IM_COL32(255, 92, 92, 255);
constexpr ImU32 kPaused = IM_COL32(255, 167, 38, 255);
constexpr ImU32 kClosed = IM_COL32(110, 125, 145, 255);  // grey marks and bars, never under type
constexpr ImU32 kHint = IM_COL32(92, 104, 120, 255);     // a field's placeholder on a white field (≥ 4.5:1)
constexpr ImU32 kDisabled = IM_COL32(46, 56, 72, 255);   // a button that cannot be tapped now, under kMuted type (≥ 4.5:1)
constexpr ImU32 kAccent = IM_COL32(64, 156, 255, 255);  // as ink on the ground and panels (≥ 4.5:1 there)
constexpr ImU32 kTile = IM_COL32(24, 92, 176, 255);     // as a fill under white type: tiles, buttons (≥ 4.5:1)
constexpr ImU32 kFlash = IM_COL32(255, 220, 90, 255);
}  // namespace color

enum class Align { Left, Center, Right };

struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
  float right() const { return x + w; }
  float bottom() const { return y + h; }
  Rect inset(float d) const { return {x + d, y + d, w - 2 * d, h - 2 * d}; }
  Rect row(float top, float height) const { return {x, y + top, w, height}; }
  Rect col(float left, float width) const { return {x + left, y, width, h}; }
  // Two panes with `gap` between them: stacked (the first on top) or side by
  // side (the first on the left); `first` is the first pane's share.
  std::pair<Rect, Rect> split(bool stacked, float first, float gap) const {
    if (stacked) return {row(0, h * first - gap / 2), row(h * first + gap / 2, h * (1 - first) - gap / 2)};
    return {col(0, w * first - gap / 2), col(w * first + gap / 2, w * (1 - first) - gap / 2)};
  }
};

// A filled rectangle drawn beneath everything ImGui draws, with SDL's own
// rectangle fill: on the software renderer that is many times faster than
// triangles, and panels cover most of a screen.
struct Backdrop {
  Rect rect;
  ImU32 color;
  float rounding;
  ImVec4 clip;
};

struct DrawnText {
  std::string text;
  Size size;
  Rect box;
  ImU32 color;
};

// A line scrolling leftwards through a box: what the screen needs to move
// it between frames by itself (see Canvas::ticker).
struct TickerLine {
  Rect box;                 // whole pixels
  Size size;
  ImU32 ink, ground;
  std::string text;
  float speed, span, step;  // px per second; text + gap (one period); px per move
  float text_y;             // the text's top inside the box
  float drawn = 0;          // the offset the frame drew it at (not compared by same_as)
  bool same_as(const TickerLine& o) const {
    return box.x == o.box.x && box.y == o.box.y && box.w == o.box.w && box.h == o.box.h && size == o.size && ink == o.ink &&
           ground == o.ground && text == o.text && speed == o.speed && span == o.span && step == o.step && text_y == o.text_y;
  }
  float offset_at(int64_t steady_ms) const;  // how far it has scrolled, in whole steps
};

class Canvas {
 public:
  Canvas(ImDrawList* list, FontBook& fonts, float unit, std::vector<DrawnText>* log, std::vector<Backdrop>* backdrop = nullptr,
         const Rect* only = nullptr, std::vector<TickerLine>* tickers = nullptr)
      : dl_(list), fonts_(fonts), u_(unit), log_(log), backdrop_(backdrop), only_(only), tickers_(tickers) {}
  // A frame that redraws one region (a ticker, a blinking panel): what lies
  // wholly outside it is skipped, not drawn; nullptr = the whole screen.
  const Rect* region() const { return only_; }
  bool outside_region(const Rect& r) const {
    return only_ && (r.right() <= only_->x || r.x >= only_->right() || r.bottom() <= only_->y || r.y >= only_->bottom());
  }
  float u() const { return u_; }                                          // pixels per design point
  float px(float points) const { return points * u_; }
  ImDrawList* list() { return dl_; }
  FontBook& fonts() { return fonts_; }

  ImVec2 measure(Size s, const std::string& text);
  // Draws text; its top-left (or center / right edge) at pos. Returns its size.
  ImVec2 text(Size s, ImVec2 pos, ImU32 color, const std::string& text, Align align = Align::Left);
  // Text inside a box, vertically centred; a smaller size is used when it
  // does not fit, and an ellipsis as the last resort. Never drawn outside.
  void text_in(Size s, Rect box, ImU32 color, const std::string& text, Align align = Align::Left);
  // Breaks a text into lines no wider than width: Chinese at any character
  // (never starting a line with closing punctuation), Latin at spaces.
  std::vector<std::string> wrap(Size s, float width, const std::string& text);
  void fill(Rect r, ImU32 color, float rounding = 0);
  void frame(Rect r, ImU32 color, float thickness, float rounding = 0);
  void panel(Rect r) { fill(r, color::kPanel, px(10)); }
  // A line scrolling leftwards through box at `speed` px/s in steps of
  // `step` px, repeated after `gap` px; drawn as it stands at steady_ms
  // (this machine's steady clock), over `ground`. Returns true when the
  // screen moves it by itself between frames (the software renderer on a
  // window: each step copies a strip rendered once; no frame is drawn);
  // false: the caller must ask for a frame at each step.
  bool ticker(Size s, Rect box, ImU32 ink, ImU32 ground, const std::string& text, float speed, float step, float gap, int64_t steady_ms);

 private:
  ImDrawList* dl_;
  FontBook& fonts_;
  float u_;
  std::vector<DrawnText>* log_;
  std::vector<Backdrop>* backdrop_;
  const Rect* only_;
  std::vector<TickerLine>* tickers_;
};

// [SECTION] Charts
void bar_chart(Canvas& c, Rect r, const std::vector<double>& values, const std::vector<std::string>& labels,
               ImU32 bar, double max_value = 0, int highlight = -1);       // vertical bars with labels under them
void meter(Canvas& c, Rect r, double fraction, ImU32 fill, ImU32 ground = color::kPanelEdge);  // one horizontal bar
void line_chart(Canvas& c, Rect r, const std::vector<std::vector<double>>& series, const std::vector<ImU32>& colors,
                double min_value, double max_value, const std::vector<std::string>& labels);
void sparkline(Canvas& c, Rect r, const std::vector<double>& values, ImU32 color);
void gauge(Canvas& c, ImVec2 center, float radius, double fraction, ImU32 color, const std::string& value,
           const std::string& label);                               // ring gauge, value in the middle
void stars(Canvas& c, ImVec2 pos, float size, double rating_0_to_5); // ★★★★☆

nlohmann::json draw_log_json(const std::vector<DrawnText>& log);

}  // namespace hall::ui
