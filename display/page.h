// What every page of a hall display gets to draw with, and the page
// registry. One page per file; each overrides draw().
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "display/layout.h"
#include "shared/county_state.h"
#include "shared/state.h"
#include "shared/stats.h"
#include "shared/ui/draw.h"

namespace hall::display {

struct PageContext {
  const HallState& state;
  const HallStats& stats;
  const Layout& layout;
  ui::Canvas& canvas;
  ui::Rect area;              // below the header, above the footer
  int64_t now_ms = 0;         // hall time (a demo hall may run at 60×)
  int64_t real_ms = 0;        // this machine's steady clock: motion and rotation run in real time
  int64_t flash_ms_left = 0;  // a new call is highlighted for this much longer (real ms)
  bool portrait = false;
  const CountyState* county = nullptr;  // a county leader screen's mirror of the county bus (county_* pages)
  // A page that moves says when its picture next changes: a blink at its next
  // edge, a ticker when it has moved a step. Only that costs a frame.
  // `where` is the part of the screen that moves: a frame due to motion only
  // redraws (and presents) what is due of it, the rest stays as drawn
  // (software renderer). Each motion keeps its own time: a ticker's step
  // does not redraw a blinking panel beside it.
  struct Motion {
    int64_t in_ms;
    ui::Rect where;           // empty: everything
  };
  std::vector<Motion> motions;
  int64_t redraw_in_ms = -1;  // the soonest; −1: nothing moves
  void redraw_within(int64_t ms, ui::Rect where = {}) {
    ms = ms < 1 ? 1 : ms;
    if (redraw_in_ms < 0 || ms < redraw_in_ms) redraw_in_ms = ms;
    motions.push_back({ms, where});
  }
};

class Page {
 public:
  virtual ~Page() = default;
  virtual const char* title() const = 0;        // shown in the header, e.g. 大厅综合屏
  virtual void draw(PageContext& ctx) = 0;
};

struct PageEntry {
  const char* name;           // as a layout names it
  const char* what;           // one line for the usage text
  std::unique_ptr<Page> (*make)();
};
const std::vector<PageEntry>& page_registry();             // pages.cpp: every page, once
std::unique_ptr<Page> make_page(const std::string& name);  // nullptr for a name not in the registry
std::string page_names();                                  // "hall_board, window, …"


// Shared pieces every page uses (common.cpp).
void draw_header(PageContext& ctx, const std::string& page_title, bool stale, int64_t last_heard_ms);
void draw_closed(PageContext& ctx);
// A county screen's header: the county (or the township / hall it is scoped to), the page, date and time.
void draw_county_header(PageContext& ctx, const std::string& page_title, bool stale, int64_t last_heard_ms);
std::string scope_name(const PageContext& ctx);
// A hall's name as a leader says it in a list: 城关镇便民服务中心 → 城关镇, 城关东村便民服务站 → 城关东村.
std::string short_name(const std::string& name);  // 示范县 / 城关镇 / a hall's name
const char* period_words(const std::string& period);  // 今日 本周 本月 本年
// A panel with its title in gold; returns the inset area (the title is at its top).
ui::Rect titled_panel(ui::Canvas& c, ui::Rect r, const std::string& title, float title_points = 54);
std::string minutes_text(int64_t ms);        // "约 12 分钟" / "—" for unknown
std::string clock_text(int64_t ms, int utc_offset_minutes);  // "14:05"
std::string date_text(int64_t ms, int utc_offset_minutes);   // "2026年11月23日 星期一"
bool hall_open(const HallState& s, int64_t now_ms);
// Registers the hall's own words (categories, windows, departments, items,
// the phrases pages use) with the font book, so the atlas is built once at
// sync rather than in the middle of a call.
void prewarm_glyphs(ui::FontBook& fonts, const HallState& s);
// The hall board's ticker when the hall has no announcement.
inline constexpr const char* kDefaultTicker = "请取号后留意叫号 · 老年人、残疾人可走绿色通道 · “办不成事”请到反映窗口";

}  // namespace hall::display
