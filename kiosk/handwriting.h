// HandwritingInput: the kiosk's writing pad. Strokes, as a finger draws
// them on the pad, are recognised by Zinnia with the simplified-Chinese
// model of Debian's tegaki-zinnia-simplified-chinese, after every stroke, so
// the candidates narrow as the character grows. Nothing here draws; the
// pad itself is kiosk/text_keys.cpp. Missing model: open() says so and the
// kiosk offers its other ways to type.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace hall::kiosk {

class HandwritingInput {
 public:
  static constexpr const char* kDebianModel = "/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model";
  struct Point {
    int x = 0, y = 0;
  };
  using Stroke = std::vector<Point>;

  static std::unique_ptr<HandwritingInput> open(const std::string& model_path, std::string* why);
  ~HandwritingInput();
  HandwritingInput(const HandwritingInput&) = delete;
  HandwritingInput& operator=(const HandwritingInput&) = delete;

  // The pad's size in the units the points come in (pixels of the pad).
  void set_size(int width, int height);
  void begin_stroke(Point p);
  void add_point(Point p);               // points closer than a few pixels to the last are skipped
  void end_stroke();                     // recognises the character so far
  void undo_stroke();                    // the last stroke off, and recognised again
  void clear();
  bool empty() const { return strokes_.empty(); }
  bool writing() const { return writing_; }
  const std::vector<Stroke>& strokes() const { return strokes_; }
  const std::vector<std::string>& candidates() const { return candidates_; }  // best first, up to kCandidates
  static constexpr size_t kCandidates = 10;

  // Recognises whole strokes at once (a recorded character, in a pad of this size).
  std::vector<std::string> recognise(const std::vector<Stroke>& strokes, int width, int height) const;

 private:
  explicit HandwritingInput(void* recognizer) : recognizer_(recognizer) {}
  void recognise_now();
  void* recognizer_;                     // zinnia_recognizer_t
  int width_ = 300, height_ = 300;
  std::vector<Stroke> strokes_;
  std::vector<std::string> candidates_;
  bool writing_ = false;
};

// 事 in eight strokes, each a run of corners in a 300-point square (written
// here): what the docs tour, the bench and the real-loop test write.
using Corners = std::vector<std::pair<int, int>>;
const std::vector<Corners>& sample_shi();
// A stroke's corners as the points a finger passes, every 25 of the 300,
// placed on a pad at (x, y) of size w × h in pixels.
std::vector<std::pair<float, float>> finger_points(const Corners& corners, float x, float y, float w, float h);

}  // namespace hall::kiosk
