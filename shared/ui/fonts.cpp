#include "shared/ui/fonts.h"

#include <fcntl.h>
#include <malloc.h>
#include <fontconfig/fontconfig.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "imgui.h"

namespace hall::ui {

static const float kPoints[] = {22, 30, 40, 64, 120};  // Small, Body, Title, Big, Huge at 1080 p

FontFile find_cjk_font() {
  FontFile out;
  auto try_pattern = [&](const char* spec) -> bool {
    FcPattern* pat = FcNameParse(reinterpret_cast<const FcChar8*>(spec));
    FcConfigSubstitute(nullptr, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult result;
    FcPattern* match = FcFontMatch(nullptr, pat, &result);
    bool ok = false;
    if (match) {
      FcChar8* file = nullptr;
      FcChar8* family = nullptr;
      int index = 0;
      FcPatternGetInteger(match, FC_INDEX, 0, &index);
      FcPatternGetString(match, FC_FAMILY, 0, &family);
      if (FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch && family &&
          std::string(reinterpret_cast<char*>(family)).find("CJK") != std::string::npos) {
        out.path = reinterpret_cast<char*>(file);
        out.face = index;
        ok = true;
      }
      FcPatternDestroy(match);
    }
    FcPatternDestroy(pat);
    return ok;
  };
  if (FcInit()) {
    if (try_pattern("Noto Sans CJK SC:style=Regular")) return out.how = "fontconfig: Noto Sans CJK SC", out;
    out.how = "fontconfig found no 'Noto Sans CJK SC'; ";
    if (try_pattern(":lang=zh-cn")) return out.how += "fontconfig: a zh-cn CJK font", out;
    out.how += "no zh-cn CJK font; ";
  } else {
    out.how = "fontconfig did not initialise; ";
  }
  const char* debian = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
  if (std::filesystem::exists(debian)) {
    out.path = debian;
    out.face = 2;  // Noto Sans CJK SC inside the collection
    out.how += "Debian's fonts-noto-cjk path";
    return out;
  }
  out.how += "fonts-noto-cjk is not installed: Chinese will not show";
  return out;
}

FontBook::FontBook(float unit) : unit_(unit), file_(find_cjk_font()) {
  if (!file_.path.empty()) {
    int fd = open(file_.path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd >= 0 && fstat(fd, &st) == 0 && st.st_size > 0) {
      void* m = mmap(nullptr, size_t(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (m != MAP_FAILED) map_ = m, map_size_ = size_t(st.st_size);
    }
    if (fd >= 0) close(fd);
    if (!map_) file_.how += "; but the file could not be read", file_.path.clear();
  }
  if (file_.path.empty()) std::fprintf(stderr, "fonts: %s\n", file_.how.c_str());
  // A base set so most frames need no rebuild: ASCII for the text sizes,
  // digits and the call words for the big ones (their glyphs are costly).
  for (size_t i = 0; i < glyphs_.size(); ++i) {
    if (Size(i) < Size::Big)
      for (uint32_t c = 0x20; c < 0x7f; ++c) glyphs_[i].insert(c);
    for (uint32_t c : decode(" 0123456789:ABCDEFGHIJKLMNOPQRSTUVWXYZ%.号窗口请到")) glyphs_[i].insert(c);
  }
}

FontBook::~FontBook() {
  if (map_) munmap(map_, map_size_);
}

float FontBook::pixels(Size s) const { return std::round(kPoints[size_t(s)] * unit_); }

std::vector<uint32_t> FontBook::decode(const std::string& s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    uint32_t cp;
    size_t n;
    if (c < 0x80) cp = c, n = 1;
    else if ((c >> 5) == 0x6) cp = c & 0x1f, n = 2;
    else if ((c >> 4) == 0xe) cp = c & 0x0f, n = 3;
    else if ((c >> 3) == 0x1e) cp = c & 0x07, n = 4;
    else { ++i; continue; }
    if (i + n > s.size()) break;
    for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (uint32_t(s[i + k]) & 0x3f);
    out.push_back(cp);
    i += n;
  }
  return out;
}

void FontBook::want(Size s, const std::string& utf8) {
  auto& set = glyphs_[size_t(s)];
  auto& known = known_[size_t(s)];
  if (known.empty()) known.assign(0x10000, false);
  static const bool trace = std::getenv("HALL_TRACE_GLYPHS") != nullptr;
  for (uint32_t cp : decode(utf8))
    if (cp >= 0x20 && cp <= 0xffff && !known[cp] && (known[cp] = true, set.insert(cp).second)) {
      dirty_ = true;
      if (trace) std::fprintf(stderr, "glyphs: size %d needs U+%04X for \"%s\"\n", int(s), cp, utf8.c_str());
    }
}

size_t FontBook::glyph_count() const {
  size_t n = 0;
  for (const auto& set : glyphs_) n += set.size();
  return n;
}

std::pair<int, int> FontBook::atlas_size() const {
  const ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  return {atlas->TexWidth, atlas->TexHeight};
}

void FontBook::rebuild() {
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  atlas->Clear();
  atlas->TexDesiredWidth = 2048;
  void* shared_copy = nullptr;
  for (size_t i = 0; i < size_t(Size::Count); ++i) {
    ImVector<ImWchar>& ranges = ranges_[i];
    ranges.clear();
    for (uint32_t cp : glyphs_[i]) {
      ranges.push_back(ImWchar(cp));
      ranges.push_back(ImWchar(cp));
    }
    ranges.push_back(0);
    ImFontConfig cfg;
    cfg.FontNo = file_.face;
    cfg.OversampleH = 1;  // big type needs no subpixel oversampling; keeps the atlas small
    cfg.OversampleV = 1;
    cfg.PixelSnapH = true;
    float px = pixels(Size(i));
    if (file_.path.empty()) {
      cfg.SizePixels = px;
      fonts_[i] = atlas->AddFontDefault(&cfg);
    } else {
      // One copy of the file for every size: ImGui would copy it per size.
      if (!shared_copy) {
        shared_copy = IM_ALLOC(map_size_);
        std::memcpy(shared_copy, map_, map_size_);
      }
      cfg.FontDataOwnedByAtlas = true;
      fonts_[i] = atlas->AddFontFromMemoryTTF(shared_copy, int(map_size_), px, &cfg, ranges.Data);
    }
  }
  const int64_t t0 = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
  atlas->Build();
  if (std::getenv("HALL_TRACE_ATLAS")) {
    const int64_t t1 = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
    std::fprintf(stderr, "atlas: %zu/%zu/%zu/%zu/%zu glyphs, build %.1f ms\n", glyphs_[0].size(), glyphs_[1].size(), glyphs_[2].size(), glyphs_[3].size(), glyphs_[4].size(), double(t1 - t0) / 1000.0);
  }
  for (int i = 1; i < atlas->ConfigData.Size; ++i)  // all share the first one's copy: free it once
    if (atlas->ConfigData[i].FontData == shared_copy) atlas->ConfigData[i].FontData = nullptr;
  // ImGui copies the font data into every size it adds (19 MB each). The
  // glyphs are in the atlas now: let those copies go, and the mapped file's
  // pages too until the next rebuild.
  atlas->ClearInputData();
  if (map_) madvise(map_, map_size_, MADV_DONTNEED);
  malloc_trim(0);  // glibc keeps freed 19 MB blocks in the heap otherwise
  dirty_ = false;
}

}  // namespace hall::ui
