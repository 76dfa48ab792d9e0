// FontBook: the CJK font, found at run time through fontconfig, at a few
// pixel sizes. Each size keeps its own glyph set, built from the text
// actually drawn at that size, so a 4K hall board's 220 px digits do not
// drag the whole catalogue's characters into the atlas. Text that needs a
// missing glyph is noted during the frame; the atlas is rebuilt after it.
#pragma once

#include <array>
#include <set>
#include <string>
#include <vector>

#include "imgui.h"

namespace hall::ui {

enum class Size { Small, Body, Title, Big, Huge, Count };  // relative type scale, see FontBook::pixels

struct FontFile {
  std::string path;
  int face = 0;
  std::string how;  // which lookup step found it, or why each failed
};

// Step by step: fontconfig "Noto Sans CJK SC" → fontconfig any zh font →
// Debian's usual path → none (ImGui's built-in Latin font).
FontFile find_cjk_font();

class FontBook {
 public:
  explicit FontBook(float unit);                 // unit: pixels per design point (screen's short side / 1080)
  ~FontBook();
  float pixels(Size s) const;                    // pixel height of a size
  ImFont* font(Size s) const { return fonts_[size_t(s)]; }
  void want(Size s, const std::string& utf8);    // note the glyphs a text needs
  bool needs_rebuild() const { return dirty_; }
  void rebuild();                                // rebuilds the ImGui atlas (call between frames)
  size_t glyph_count() const;                    // glyphs over all sizes (atlas size check)
  std::pair<int, int> atlas_size() const;        // texture width and height after the last rebuild
  const FontFile& file() const { return file_; }
  static std::vector<uint32_t> decode(const std::string& utf8);

 private:
  float unit_;
  FontFile file_;
  std::array<std::set<uint32_t>, size_t(Size::Count)> glyphs_;
  std::array<std::vector<bool>, size_t(Size::Count)> known_;  // the same glyphs as bits: want() runs for every text of every frame
  std::array<ImFont*, size_t(Size::Count)> fonts_{};
  std::array<ImVector<ImWchar>, size_t(Size::Count)> ranges_;  // the atlas reads them until Build()
  bool dirty_ = true;
  // The font file, mapped read-only; ImGui copies what it needs per build
  // and the copies are dropped after each build (see rebuild()).
  void* map_ = nullptr;
  size_t map_size_ = 0;
};

}  // namespace hall::ui
