#include "kiosk/handwriting.h"

#include <zinnia.h>

#include <algorithm>
#include <cstdlib>
#include <sys/stat.h>

namespace hall::kiosk {

namespace {

zinnia_recognizer_t* as_recognizer(void* p) { return static_cast<zinnia_recognizer_t*>(p); }

// A finger reports a point every few pixels it moves; closer ones add
// nothing to the shape and only slow the recogniser.
constexpr int kMinStep = 3;

}  // namespace

std::unique_ptr<HandwritingInput> HandwritingInput::open(const std::string& model_path, std::string* why) {
  struct stat st{};
  if (stat(model_path.c_str(), &st) != 0) {
    if (why) *why = "no handwriting model at " + model_path + " (Debian package tegaki-zinnia-simplified-chinese)";
    return nullptr;
  }
  zinnia_recognizer_t* r = zinnia_recognizer_new();
  if (!r || !zinnia_recognizer_open(r, model_path.c_str())) {
    if (why) *why = "the handwriting model " + model_path + " does not open: " + (r ? zinnia_recognizer_strerror(r) : "no memory");
    if (r) zinnia_recognizer_destroy(r);
    return nullptr;
  }
  return std::unique_ptr<HandwritingInput>(new HandwritingInput(r));
}

HandwritingInput::~HandwritingInput() { zinnia_recognizer_destroy(as_recognizer(recognizer_)); }

void HandwritingInput::set_size(int width, int height) {
  if (width > 0) width_ = width;
  if (height > 0) height_ = height;
}

void HandwritingInput::begin_stroke(Point p) {
  strokes_.push_back({p});
  writing_ = true;
}

void HandwritingInput::add_point(Point p) {
  if (!writing_ || strokes_.empty()) return;
  const Point& last = strokes_.back().back();
  if (std::abs(p.x - last.x) < kMinStep && std::abs(p.y - last.y) < kMinStep) return;
  strokes_.back().push_back(p);
}

void HandwritingInput::end_stroke() {
  if (!writing_) return;
  writing_ = false;
  recognise_now();
}

void HandwritingInput::undo_stroke() {
  writing_ = false;
  if (!strokes_.empty()) strokes_.pop_back();
  recognise_now();
}

void HandwritingInput::clear() {
  writing_ = false;
  strokes_.clear();
  candidates_.clear();
}

void HandwritingInput::recognise_now() { candidates_ = recognise(strokes_, width_, height_); }

std::vector<std::string> HandwritingInput::recognise(const std::vector<Stroke>& strokes, int width, int height) const {
  std::vector<std::string> out;
  if (strokes.empty()) return out;
  zinnia_character_t* ch = zinnia_character_new();
  zinnia_character_set_width(ch, size_t(width));
  zinnia_character_set_height(ch, size_t(height));
  for (size_t i = 0; i < strokes.size(); ++i)
    for (const Point& p : strokes[i]) zinnia_character_add(ch, i, std::clamp(p.x, 0, width), std::clamp(p.y, 0, height));
  if (zinnia_result_t* result = zinnia_recognizer_classify(as_recognizer(recognizer_), ch, kCandidates)) {
    for (size_t i = 0; i < zinnia_result_size(result); ++i) out.emplace_back(zinnia_result_value(result, i));
    zinnia_result_destroy(result);
  }
  zinnia_character_destroy(ch);
  return out;
}

const std::vector<Corners>& sample_shi() {
  static const std::vector<Corners> shi{{{40, 40}, {260, 40}},   {{90, 70}, {90, 120}},   {{90, 70}, {210, 70}, {210, 120}},
                                        {{90, 120}, {210, 120}}, {{70, 150}, {230, 150}, {230, 210}}, {{70, 180}, {230, 180}},
                                        {{40, 210}, {260, 210}}, {{150, 20}, {150, 270}, {120, 250}}};
  return shi;
}

std::vector<std::pair<float, float>> finger_points(const Corners& corners, float x, float y, float w, float h) {
  std::vector<std::pair<float, float>> points;
  for (size_t i = 0; i < corners.size(); ++i) {
    const auto [x1, y1] = corners[i];
    const auto [x0, y0] = i ? corners[i - 1] : corners[i];
    const int steps = i ? std::max(1, std::max(std::abs(x1 - x0), std::abs(y1 - y0)) / 25) : 1;
    for (int n = i ? 1 : steps; n <= steps; ++n) {
      const float px = float(x0) + float(x1 - x0) * float(n) / float(steps), py = float(y0) + float(y1 - y0) * float(n) / float(steps);
      points.push_back({x + px * w / 300, y + py * h / 300});
    }
  }
  return points;
}

}  // namespace hall::kiosk
