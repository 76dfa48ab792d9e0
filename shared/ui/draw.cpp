#include "shared/ui/draw.h"

#include <algorithm>
#include <cmath>

namespace hall::ui {

ImVec2 Canvas::measure(Size s, const std::string& text) {
  fonts_.want(s, text);
  ImFont* f = fonts_.font(s);
  if (!f) return {0, 0};
  return f->CalcTextSizeA(fonts_.pixels(s), FLT_MAX, 0.0f, text.c_str());
}

ImVec2 Canvas::text(Size s, ImVec2 pos, ImU32 color, const std::string& text, Align align) {
  ImVec2 size = measure(s, text);
  if (align == Align::Center) pos.x -= size.x / 2;
  if (align == Align::Right) pos.x -= size.x;
  pos.x = std::round(pos.x);
  pos.y = std::round(pos.y);
  if (outside_region({pos.x, pos.y, size.x, size.y})) return size;
  if (ImFont* f = fonts_.font(s)) dl_->AddText(f, fonts_.pixels(s), pos, color, text.c_str());
  if (log_) {
    // Log what is visible: the box cut to the current clip rectangle.
    ImVec2 lo = dl_->GetClipRectMin(), hi = dl_->GetClipRectMax();
    float x0 = std::max(pos.x, lo.x), y0 = std::max(pos.y, lo.y);
    float x1 = std::min(pos.x + size.x, hi.x), y1 = std::min(pos.y + size.y, hi.y);
    if (x1 > x0 && y1 > y0) log_->push_back({text, s, {x0, y0, x1 - x0, y1 - y0}, color});
  }
  return size;
}

namespace {
void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) out += char(cp);
  else if (cp < 0x800) out += char(0xC0 | (cp >> 6)), out += char(0x80 | (cp & 0x3F));
  else if (cp < 0x10000) out += char(0xE0 | (cp >> 12)), out += char(0x80 | ((cp >> 6) & 0x3F)), out += char(0x80 | (cp & 0x3F));
  else out += char(0xF0 | (cp >> 18)), out += char(0x80 | ((cp >> 12) & 0x3F)), out += char(0x80 | ((cp >> 6) & 0x3F)), out += char(0x80 | (cp & 0x3F));
}
bool closing_punctuation(uint32_t cp) {
  static const std::u32string marks = U"，。、；：！？）》」』”’%,.;:!?)";
  return marks.find(char32_t(cp)) != std::u32string::npos;
}
}  // namespace

std::vector<std::string> Canvas::wrap(Size s, float width, const std::string& text) {
  fonts_.want(s, text);
  std::vector<std::string> lines;
  ImFont* f = fonts_.font(s);
  if (!f) return {text};
  const float scale = fonts_.pixels(s) / f->FontSize;
  auto cps = FontBook::decode(text);
  std::vector<uint32_t> line;
  float x = 0;
  auto flush = [&](size_t n) {  // emit the first n code points of the line
    std::string out;
    for (size_t i = 0; i < n; ++i) append_utf8(out, line[i]);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    lines.push_back(out);
    line.erase(line.begin(), line.begin() + long(n));
    while (!line.empty() && line.front() == ' ') line.erase(line.begin());
    x = 0;
    for (uint32_t c : line) x += f->GetCharAdvance(ImWchar(c)) * scale;
  };
  for (uint32_t cp : cps) {
    if (cp == '\n') { flush(line.size()); continue; }
    float w = f->GetCharAdvance(ImWchar(cp)) * scale;
    if (x + w > width && !line.empty()) {
      size_t cut = line.size();
      // 。，） never start a line: the character before them goes down with
      // them (hanging them past the edge made text_in shrink the whole line).
      if (cp >= 0x80 && closing_punctuation(cp)) cut = line.size() > 1 ? line.size() - 1 : line.size() + 1;
      if (cut > line.size()) {  // a one-character line and its mark: keep both on it
        line.push_back(cp);
        x += w;
        continue;
      }
      if (cp < 0x80 && cp != ' ') {  // inside a Latin word (or at its full stop): break at the last space, if any
        for (size_t i = line.size(); i-- > 0;)
          if (line[i] == ' ') { cut = i + 1; break; }
          else if (line[i] >= 0x80) { cut = i + 1; break; }
      }
      flush(cut);
    }
    line.push_back(cp);
    x += w;
  }
  if (!line.empty()) flush(line.size());
  return lines;
}

void Canvas::text_in(Size s, Rect box, ImU32 color, const std::string& text, Align align) {
  Size use = s;
  ImVec2 size = measure(use, text);
  while (size.x > box.w && use != Size::Small) {
    use = Size(int(use) - 1);
    size = measure(use, text);
  }
  std::string shown = text;
  if (size.x > box.w) {  // still too wide at the smallest size: cut at a character and add an ellipsis
    auto cps = FontBook::decode(text);
    while (!cps.empty() && size.x > box.w) {
      cps.pop_back();
      std::string cut;
      for (uint32_t cp : cps) {
        if (cp < 0x80) cut += char(cp);
        else if (cp < 0x800) cut += char(0xC0 | (cp >> 6)), cut += char(0x80 | (cp & 0x3F));
        else cut += char(0xE0 | (cp >> 12)), cut += char(0x80 | ((cp >> 6) & 0x3F)), cut += char(0x80 | (cp & 0x3F));
      }
      shown = cut + "…";
      size = measure(use, shown);
    }
  }
  float x = align == Align::Left ? box.x : align == Align::Center ? box.x + box.w / 2 : box.right();
  float y = box.y + (box.h - size.y) / 2;
  // A glyph's ink may reach a pixel past its advance (a right-aligned 0 at a
  // fractional edge lost its last column): clip a little outside the box.
  const float slack = 2 * u();
  dl_->PushClipRect({box.x - slack, box.y}, {box.right() + slack, box.bottom()}, true);
  this->text(use, {x, y}, color, shown, align);
  dl_->PopClipRect();
}

void Canvas::fill(Rect r, ImU32 color, float rounding) {
  if (outside_region(r)) return;
  if (backdrop_) {
    ImVec4 clip = dl_->_ClipRectStack.Size ? dl_->_ClipRectStack.back() : ImVec4(0, 0, 1e9f, 1e9f);
    backdrop_->push_back({r, color, std::min(rounding, std::min(r.w, r.h) / 2), clip});
  } else {
    dl_->AddRectFilled({r.x, r.y}, {r.right(), r.bottom()}, color, rounding);
  }
}

void Canvas::frame(Rect r, ImU32 color, float thickness, float rounding) {
  dl_->AddRect({r.x, r.y}, {r.right(), r.bottom()}, color, rounding, 0, thickness);
}

// [SECTION] Charts

void bar_chart(Canvas& c, Rect r, const std::vector<double>& values, const std::vector<std::string>& labels, ImU32 bar,
               double max_value, int highlight) {
  if (values.empty()) return;
  double top = max_value > 0 ? max_value : *std::max_element(values.begin(), values.end());
  if (top <= 0) top = 1;
  float label_h = c.fonts().pixels(Size::Small) * 1.3f;
  float plot_h = r.h - label_h;
  float slot = r.w / float(values.size());
  float bw = slot * 0.7f;
  for (size_t i = 0; i < values.size(); ++i) {
    float h = float(values[i] / top) * plot_h;
    float x = r.x + slot * float(i) + (slot - bw) / 2;
    c.fill({x, r.y + plot_h - h, bw, h}, int(i) == highlight ? color::kGold : bar, c.px(3));
    if (i < labels.size() && !labels[i].empty())
      c.text(Size::Small, {x + bw / 2, r.y + plot_h + c.px(4)}, color::kMuted, labels[i], Align::Center);
  }
  c.list()->AddLine({r.x, r.y + plot_h}, {r.right(), r.y + plot_h}, color::kPanelEdge, c.px(2));
}

void meter(Canvas& c, Rect r, double fraction, ImU32 fill, ImU32 ground) {
  fraction = std::clamp(fraction, 0.0, 1.0);
  c.fill(r, ground, r.h / 2);
  if (fraction > 0) c.fill({r.x, r.y, std::max(r.h, float(r.w * fraction)), r.h}, fill, r.h / 2);
}

void line_chart(Canvas& c, Rect r, const std::vector<std::vector<double>>& series, const std::vector<ImU32>& colors,
                double min_value, double max_value, const std::vector<std::string>& labels) {
  float label_h = labels.empty() ? 0 : c.fonts().pixels(Size::Small) * 1.3f;
  Rect plot{r.x, r.y, r.w, r.h - label_h};
  for (int g = 0; g <= 4; ++g) {
    float y = plot.y + plot.h * float(g) / 4;
    c.list()->AddLine({plot.x, y}, {plot.right(), y}, IM_COL32(255, 255, 255, 28), c.px(1));
  }
  double span = max_value - min_value;
  if (span <= 0) span = 1;
  for (size_t s = 0; s < series.size(); ++s) {
    const auto& v = series[s];
    if (v.size() < 2) continue;
    std::vector<ImVec2> pts;
    for (size_t i = 0; i < v.size(); ++i)
      pts.push_back({plot.x + plot.w * float(i) / float(v.size() - 1),
                     plot.bottom() - plot.h * float(std::clamp((v[i] - min_value) / span, 0.0, 1.0))});
    c.list()->AddPolyline(pts.data(), int(pts.size()), colors[s % colors.size()], 0, c.px(4));
    for (auto& p : pts) c.list()->AddCircleFilled(p, c.px(5), colors[s % colors.size()]);
  }
  for (size_t i = 0; i < labels.size(); ++i) {
    float x = labels.size() > 1 ? plot.x + plot.w * float(i) / float(labels.size() - 1) : plot.x;
    Align a = i == 0 ? Align::Left : i + 1 == labels.size() ? Align::Right : Align::Center;
    c.text(Size::Small, {x, plot.bottom() + c.px(4)}, color::kMuted, labels[i], a);
  }
}

void sparkline(Canvas& c, Rect r, const std::vector<double>& values, ImU32 color) {
  if (values.size() < 2) return;
  auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  double span = *hi - *lo;
  if (span <= 0) span = 1;
  std::vector<ImVec2> pts;
  for (size_t i = 0; i < values.size(); ++i)
    pts.push_back({r.x + r.w * float(i) / float(values.size() - 1), r.bottom() - r.h * float((values[i] - *lo) / span)});
  c.list()->AddPolyline(pts.data(), int(pts.size()), color, 0, c.px(3));
}

void gauge(Canvas& c, ImVec2 center, float radius, double fraction, ImU32 color, const std::string& value,
           const std::string& label) {
  fraction = std::clamp(fraction, 0.0, 1.0);
  const float a0 = float(M_PI) * 0.75f, sweep = float(M_PI) * 1.5f;
  float thick = std::max(4.0f, radius * 0.14f);
  c.list()->PathArcTo(center, radius, a0, a0 + sweep, 64);
  c.list()->PathStroke(color::kPanelEdge, 0, thick);
  if (fraction > 0) {
    c.list()->PathArcTo(center, radius, a0, a0 + sweep * float(fraction), 64);
    c.list()->PathStroke(color, 0, thick);
  }
  // The value sits inside the ring and the label in the ring's open bottom:
  // both sized to the ring so neither touches it.
  float inner = (radius - thick) * 1.7f;
  c.text_in(Size::Title, {center.x - inner / 2, center.y - radius * 0.45f, inner, radius * 0.8f}, color::kText, value, Align::Center);
  if (!label.empty())
    c.text_in(Size::Small, {center.x - radius, center.y + radius * 0.5f, radius * 2, radius * 0.6f}, color::kMuted, label, Align::Center);
}

void stars(Canvas& c, ImVec2 pos, float size, double rating) {
  for (int i = 0; i < 5; ++i) {
    ImVec2 ctr{pos.x + size * (float(i) + 0.5f) * 1.1f, pos.y + size / 2};
    ImVec2 pts[10];
    for (int k = 0; k < 10; ++k) {
      float r = k % 2 ? size * 0.22f : size * 0.5f;
      float a = float(M_PI) * (-0.5f + float(k) / 5.0f);
      pts[k] = {ctr.x + r * std::cos(a), ctr.y + r * std::sin(a)};
    }
    double fill = std::clamp(rating - i, 0.0, 1.0);
    ImU32 col = fill >= 0.5 ? color::kGold : color::kPanelEdge;
    // A star is not convex: fill it as a fan without anti-aliased edges,
    // which would draw seams between the triangles.
    ImDrawListFlags flags = c.list()->Flags;
    c.list()->Flags &= ~ImDrawListFlags_AntiAliasedFill;
    for (int k = 0; k < 10; ++k) c.list()->AddTriangleFilled(ctr, pts[k], pts[(k + 1) % 10], col);
    c.list()->Flags = flags;
  }
}

float TickerLine::offset_at(int64_t steady_ms) const {
  float offset = std::fmod(float(steady_ms % 3'600'000) / 1000.0f * speed, span);
  return std::floor(offset / step) * step;
}

bool Canvas::ticker(Size s, Rect box, ImU32 ink, ImU32 ground, const std::string& text, float speed, float step, float gap, int64_t steady_ms) {
  box = {std::round(box.x), std::round(box.y), std::round(box.w), std::round(box.h)};
  ImVec2 size = measure(s, text);
  TickerLine line{box, s, ink, ground, text, speed, std::round(size.x + gap), std::max(1.0f, std::round(step)), std::round((box.h - size.y) / 2)};
  const float offset = line.drawn = line.offset_at(steady_ms);
  fill(box, ground);
  dl_->PushClipRect({box.x, box.y}, {box.right(), box.bottom()}, true);
  this->text(s, {box.x - offset, box.y + line.text_y}, ink, text);
  this->text(s, {box.x - offset + line.span, box.y + line.text_y}, ink, text);
  dl_->PopClipRect();
  // A strip as wide as the text twice over; past that it costs more memory than frames cost time.
  if (!tickers_ || line.span + box.w > 16384) return false;
  tickers_->push_back(std::move(line));
  return true;
}

nlohmann::json draw_log_json(const std::vector<DrawnText>& log) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : log)
    out.push_back({{"text", t.text}, {"size", int(t.size)}, {"x", t.box.x}, {"y", t.box.y}, {"w", t.box.w},
                   {"h", t.box.h}, {"color", t.color}});
  return out;
}

}  // namespace hall::ui
