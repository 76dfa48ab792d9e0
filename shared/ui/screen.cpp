#include "shared/ui/screen.h"

#include <SDL.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <csignal>
#include <cstdlib>
#include <stdexcept>

#include "backends/imgui_impl_sdl.h"
#include "backends/imgui_impl_sdlrenderer.h"
#include "imgui.h"

namespace hall::ui {

namespace {
volatile std::sig_atomic_t stop_asked = 0;  // a locked screen's own SIGTERM/SIGINT (SDL's handlers are off)
extern "C" void on_stop_signal(int) { stop_asked = 1; }
}  // namespace

bool software_gl_name(const std::string& name) {
  for (const char* soft : {"llvmpipe", "softpipe", "swrast", "Software Rasterizer"})
    if (name.find(soft) != std::string::npos) return true;
  return false;
}

bool has_gpu_render_node() {
  for (int n = 128; n < 136; ++n) {
    std::string path = "/dev/dri/renderD" + std::to_string(n);
    if (FILE* f = std::fopen(path.c_str(), "r")) {
      std::fclose(f);
      return true;
    }
  }
  return false;
}

RendererChoice choose_renderer(const std::string& wanted, bool headless, bool has_render_node) {
  if (headless) return {true, "headless: drawn in software straight into memory"};
  if (wanted == "software") return {true, "renderer = software was asked for"};
  if (wanted == "gl") return {false, "renderer = gl was asked for"};
  if (!has_render_node) return {true, "auto: no GPU render node (/dev/dri/renderD*), the only OpenGL here would be a software one"};
  return {false, "auto: a GPU render node is present"};
}

Screen::Screen(const ScreenOptions& o) : width_(o.width), height_(o.height) {
  if (o.renderer != "auto" && o.renderer != "software" && o.renderer != "gl")
    throw std::runtime_error("renderer: want auto, software or gl, got '" + o.renderer + "'");
  if (o.headless) {
    setenv("SDL_VIDEODRIVER", "offscreen", 0);
    setenv("SDL_RENDER_DRIVER", "software", 0);
    setenv("SDL_AUDIODRIVER", "dummy", 0);
  }
  locked_ = o.locked;
  if (locked_) {
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    std::signal(SIGTERM, on_stop_signal);
    std::signal(SIGINT, on_stop_signal);
  }
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0)
    throw std::runtime_error(std::string("SDL could not start video: ") + SDL_GetError());
  if (locked_) SDL_ShowCursor(SDL_DISABLE);
  headless_ = o.headless;
  Uint32 flags = (o.headless ? SDL_WINDOW_HIDDEN : SDL_WINDOW_SHOWN) | SDL_WINDOW_ALLOW_HIGHDPI;
  if (o.fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
  window_ = SDL_CreateWindow(o.title.c_str(), SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width_, height_, flags);
  if (!window_) throw std::runtime_error(std::string("SDL could not open a window: ") + SDL_GetError());
  if (o.headless) {
    // Draw into memory: presenting an offscreen window would cost a copy
    // through a software GL stack on every frame.
    surface_ = SDL_CreateRGBSurfaceWithFormat(0, width_, height_, 32, SDL_PIXELFORMAT_ABGR8888);
    if (surface_) renderer_ = SDL_CreateSoftwareRenderer(surface_);
    renderer_name_ = "software", renderer_why_ = choose_renderer(o.renderer, true, false).why;
  } else {
    RendererChoice choice = choose_renderer(o.renderer, false, has_gpu_render_node());
    if (!choice.software) {
      renderer_ = SDL_CreateRenderer(window_, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
      SDL_RendererInfo info{};
      if (renderer_ && SDL_GetRendererInfo(renderer_, &info) == 0) renderer_name_ = info.name ? info.name : "accelerated";
      // The GL that answered may still be a software one (Mesa on a GPU it does not drive).
      using GetString = const unsigned char* (*)(unsigned);
      auto gl_get_string = renderer_name_.rfind("opengl", 0) == 0 ? reinterpret_cast<GetString>(SDL_GL_GetProcAddress("glGetString")) : nullptr;
      const unsigned char* gl_name = gl_get_string ? gl_get_string(0x1F01 /* GL_RENDERER */) : nullptr;
      std::string gl = gl_name ? reinterpret_cast<const char*>(gl_name) : "";
      if (!gl.empty() && o.renderer == "auto" && software_gl_name(gl)) {
        SDL_DestroyRenderer(renderer_);
        renderer_ = nullptr;
        choice = {true, "auto: the OpenGL here is " + gl + ", a software one"};
      } else if (!gl.empty()) {
        choice.why += " (OpenGL: " + gl + ")";
      }
      if (!renderer_ && !choice.software) choice = {true, std::string("no accelerated renderer: ") + SDL_GetError()};
    }
    if (!renderer_) {  // fanless boxes without a GPU driver: draw into the window's own surface
      bind_window_surface();
      if (!renderer_) renderer_ = SDL_CreateRenderer(window_, -1, SDL_RENDERER_SOFTWARE);
      renderer_name_ = "software";
    }
    renderer_why_ = choice.why;
  }
  if (!renderer_) throw std::runtime_error(std::string("SDL could not create a renderer: ") + SDL_GetError());
  std::fprintf(stderr, "%s: renderer %s (%s)\n", o.title.c_str(), renderer_name_.c_str(), renderer_why_.c_str());
  SDL_GetRendererOutputSize(renderer_, &width_, &height_);
  unit_ = float(std::min(width_, height_)) / 1080.0f;
  wake_event_ = SDL_RegisterEvents(1);

  IMGUI_CHECKVERSION();
  context_ = ImGui::CreateContext();
  ImGui::SetCurrentContext(context_);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // a kiosk has no user preferences to remember
  io.LogFilename = nullptr;
  ImGui_ImplSDL2_InitForSDLRenderer(window_);
  ImGui_ImplSDLRenderer_Init(renderer_);
  fonts_ = std::make_unique<FontBook>(unit_);
  upload_fonts();
}

void Screen::make_current() { ImGui::SetCurrentContext(context_); }

// The software renderer draws into a surface of our own in the font
// texture's format (RGBA: on a window surface of another format SDL would
// convert every glyph through a temporary surface), which is then copied to
// the window's surface by rectangles: a frame may redraw and present one
// region and keep the rest.
void Screen::bind_window_surface() {
  const bool rebind = renderer_ != nullptr;
  if (rebind) {
    make_current();
    drop_strips();  // kept in the old window surface's format
    drop_pictures();
    ImGui_ImplSDLRenderer_Shutdown();
    SDL_DestroyRenderer(renderer_);
    renderer_ = nullptr;
  }
  if (surface_) SDL_FreeSurface(surface_), surface_ = nullptr;
  // Without this SDL backs the window's surface with an accelerated
  // renderer's texture, which on a box without a GPU is llvmpipe again: the
  // software renderer would pay for a software OpenGL on every present.
  SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
  SDL_Surface* window = SDL_GetWindowSurface(window_);
  if (window) surface_ = SDL_CreateRGBSurfaceWithFormat(0, window->w, window->h, 32, SDL_PIXELFORMAT_ABGR8888);
  if (surface_) SDL_SetSurfaceBlendMode(surface_, SDL_BLENDMODE_NONE);
  renderer_ = surface_ ? SDL_CreateSoftwareRenderer(surface_) : nullptr;
  window_surface_ = renderer_ != nullptr;
  if (!renderer_ && surface_) SDL_FreeSurface(surface_), surface_ = nullptr;
  if (rebind && renderer_) {
    SDL_GetRendererOutputSize(renderer_, &width_, &height_);
    ImGui_ImplSDLRenderer_Init(renderer_);
    upload_fonts();
  }
  force_full_ = true;
}

// Copies what was drawn (all, or one rectangle) to the window and shows it.
void Screen::present_surface(const SDL_Rect* r) {
  SDL_Surface* window = SDL_GetWindowSurface(window_);
  if (!window) return;
  SDL_Rect part = r ? *r : SDL_Rect{0, 0, width_, height_};
  SDL_Rect to = part;
  SDL_BlitSurface(surface_, &part, window, &to);
  SDL_UpdateWindowSurfaceRects(window_, &part, 1);
}

Screen::~Screen() {
  make_current();
  drop_strips();
  drop_pictures();
  ImGui_ImplSDLRenderer_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext(context_);
  if (renderer_) SDL_DestroyRenderer(renderer_);
  if (surface_) SDL_FreeSurface(surface_);
  if (window_) SDL_DestroyWindow(window_);
  SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);  // reference-counted: other screens may remain
}

void Screen::upload_fonts() {
  make_current();
  drop_pictures();  // their glyphs came from the old atlas
  ImGui_ImplSDLRenderer_DestroyFontsTexture();
  fonts_->rebuild();
  ImGui_ImplSDLRenderer_CreateFontsTexture();
  ImGui::GetIO().Fonts->ClearTexData();  // the texture has the pixels now; the CPU copies can go
}

void Screen::process(const SDL_Event& e) {
  if (e.type == SDL_WINDOWEVENT && window_surface_) {
    if (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) bind_window_surface();  // the old surface is gone
    else if (e.window.event == SDL_WINDOWEVENT_EXPOSED) present_surface(nullptr);  // the picture is all here
  }
  track_pointer(e);
  ImGui_ImplSDL2_ProcessEvent(&e);
  if (handler_) handler_(e, handler_user_);
}

bool Screen::wait(int timeout_ms) {
  make_current();
  input_owed_ = input_frames_left_ > 0;
  if (input_owed_) {  // frames owed to an input: draw now
    --input_frames_left_;
    timeout_ms = 0;
  }
  SDL_Event e;
  std::vector<SDL_Event> injected;
  if (headless_) {  // no input device to wait for: sleep until woken, injected input or the deadline
    std::unique_lock lock(wake_mutex_);
    if (timeout_ms > 0) wake_cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return woken_ || !injected_.empty(); });
    woken_ = false;
    injected.swap(injected_);
    timeout_ms = 0;
  } else {
    std::lock_guard lock(wake_mutex_);
    injected.swap(injected_);
    if (!injected.empty()) timeout_ms = 0;
  }
  for (const SDL_Event& ev : injected) process(ev);
  if (locked_ && stop_asked) return false;
  if (headless_) {  // no input devices, but SDL turns SIGTERM/SIGINT into SDL_QUIT: a service must stop when asked
    while (SDL_PollEvent(&e))
      if (e.type == SDL_QUIT && !locked_) return false;
    return !(locked_ && stop_asked);
  }
  // For a second after input the wait goes in 20 ms slices: a release that
  // arrived while the last frame was presented (and was read into Xlib's
  // queue then) was seen to wait out most of a long timeout; a slice bounds
  // that to 20 ms, and costs nothing when nobody touches the screen.
  bool got = false;
  if (timeout_ms > 0 && SDL_GetTicks64() - last_input_ticks_ < 1000) {
    for (int left = timeout_ms; left > 0 && !got; left -= 20) got = SDL_WaitEventTimeout(&e, std::min(left, 20));
  } else {
    got = timeout_ms > 0 ? SDL_WaitEventTimeout(&e, timeout_ms) : SDL_PollEvent(&e);
  }
  while (got) {
    if (e.type == SDL_QUIT && !locked_) return false;
    if (locked_ && stop_asked) return false;
    if (e.type != wake_event_) process(e);
    got = SDL_PollEvent(&e);
  }
  return true;
}

void Screen::inject(const SDL_Event& e) {
  {
    std::lock_guard lock(wake_mutex_);
    injected_.push_back(e);
  }
  wake_cv_.notify_one();
  if (!headless_) wake();
}

void Screen::track_pointer(const SDL_Event& e) {
  switch (e.type) {
    case SDL_MOUSEMOTION: pointer_x_ = float(e.motion.x), pointer_y_ = float(e.motion.y); break;
    case SDL_MOUSEBUTTONDOWN:
      pointer_x_ = float(e.button.x), pointer_y_ = float(e.button.y);
      pointer_down_ = pointer_clicked_ = true;
      break;
    case SDL_MOUSEBUTTONUP: pointer_x_ = float(e.button.x), pointer_y_ = float(e.button.y), pointer_down_ = false; break;
    case SDL_FINGERDOWN:
    case SDL_FINGERMOTION:
    case SDL_FINGERUP:  // touch screens report fingers in 0..1
      pointer_x_ = e.tfinger.x * float(width_), pointer_y_ = e.tfinger.y * float(height_);
      if (e.type == SDL_FINGERDOWN) pointer_down_ = pointer_clicked_ = true;
      if (e.type == SDL_FINGERUP) pointer_down_ = false;
      break;
    default: break;
  }
  switch (e.type) {  // any input owes the next frames, drawn at once
    case SDL_MOUSEMOTION: case SDL_MOUSEBUTTONDOWN: case SDL_MOUSEBUTTONUP: case SDL_MOUSEWHEEL:
    case SDL_FINGERDOWN: case SDL_FINGERMOTION: case SDL_FINGERUP:
    case SDL_KEYDOWN: case SDL_KEYUP: case SDL_TEXTINPUT: case SDL_TEXTEDITING:
      input_frames_left_ = kInputFrames;
      input_owed_ = true;
      last_input_ticks_ = SDL_GetTicks64();
      break;
    default: break;
  }
}

void Screen::wake() {
  if (headless_) {
    {
      std::lock_guard lock(wake_mutex_);
      woken_ = true;
    }
    wake_cv_.notify_one();
    return;
  }
  SDL_Event e{};
  e.type = wake_event_;
  SDL_PushEvent(&e);
}

Canvas Screen::begin_frame(const Rect* region) {
  make_current();
  region_on_ = region && surface_ && !force_full_;
  force_full_ = false;
  if (region_on_) {
    region_ = {std::floor(region->x), std::floor(region->y), std::ceil(region->w) + 1, std::ceil(region->h) + 1};
    region_.x = std::max(0.0f, region_.x), region_.y = std::max(0.0f, region_.y);
    region_.w = std::min(float(width_) - region_.x, region_.w), region_.h = std::min(float(height_) - region_.y, region_.h);
  }
  prepare_fonts();
  ImGui_ImplSDLRenderer_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ImGuiIO& io = ImGui::GetIO();
  if (io.DeltaTime <= 0) io.DeltaTime = 1e-5f;  // a page redrawn in the same turn: ImGui wants time to pass
  io.DisplaySize = ImVec2(float(width_), float(height_));  // the renderer's size, window or not
  io.DisplayFramebufferScale = ImVec2(1, 1);
  if (pointer_x_ >= 0) io.MousePos = ImVec2(pointer_x_, pointer_y_);
  // A press and release between two frames still counts: down for one frame.
  io.MouseDown[0] = pointer_down_ || pointer_clicked_;
  release_owed_ = pointer_clicked_ && !pointer_down_;
  pointer_clicked_ = false;
  ImGui::NewFrame();
  if (region_on_) {  // what the region covers is drawn again; the rest of the log stays true
    const Rect& r = region_;
    std::erase_if(log_, [&](const DrawnText& t) {
      return t.box.right() > r.x && t.box.x < r.right() && t.box.bottom() > r.y && t.box.y < r.bottom();
    });
    ImGui::GetBackgroundDrawList()->PushClipRect({r.x, r.y}, {r.right(), r.bottom()}, true);
  } else {
    log_.clear();
  }
  backdrop_.clear();
  tickers_.clear();
  return Canvas(ImGui::GetBackgroundDrawList(), *fonts_, unit_, &log_, &backdrop_, region_on_ ? &region_ : nullptr,
                window_surface_ ? &tickers_ : nullptr);
}

Canvas Screen::begin_warm_frame() {
  make_current();  // no atlas rebuild between warm frames: they only note glyphs, one build follows them all
  ImGui_ImplSDLRenderer_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ImGuiIO& io = ImGui::GetIO();
  if (io.DeltaTime <= 0) io.DeltaTime = 1e-5f;
  io.DisplaySize = ImVec2(float(width_), float(height_));
  io.DisplayFramebufferScale = ImVec2(1, 1);
  io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);  // nothing is pressed or hovered: no button acts
  for (bool& down : io.MouseDown) down = false;
  ImGui::NewFrame();
  warm_log_.clear();
  backdrop_.clear();
  return Canvas(ImGui::GetBackgroundDrawList(), *fonts_, unit_, &warm_log_, &backdrop_, nullptr);
}

void Screen::prepare_fonts() {
  if (fonts_->needs_rebuild()) upload_fonts();
}

void Screen::render() {
  SDL_SetRenderDrawColor(renderer_, 8, 24, 48, 255);
  if (region_on_) {
    SDL_Rect r{int(region_.x), int(region_.y), int(region_.w), int(region_.h)};
    SDL_RenderSetClipRect(renderer_, nullptr);
    SDL_SetRenderDrawBlendMode(renderer_, SDL_BLENDMODE_NONE);
    SDL_RenderFillRect(renderer_, &r);
  } else {
    SDL_RenderClear(renderer_);
  }
  for (const Backdrop& b : backdrop_) {
    SDL_Rect clip{int(b.clip.x), int(b.clip.y), int(std::min(b.clip.z, 1e6f) - b.clip.x), int(std::min(b.clip.w, 1e6f) - b.clip.y)};
    SDL_RenderSetClipRect(renderer_, &clip);
    ImVec4 c = ImGui::ColorConvertU32ToFloat4(b.color);
    SDL_SetRenderDrawColor(renderer_, Uint8(c.x * 255), Uint8(c.y * 255), Uint8(c.z * 255), Uint8(c.w * 255));
    SDL_SetRenderDrawBlendMode(renderer_, c.w < 1 ? SDL_BLENDMODE_BLEND : SDL_BLENDMODE_NONE);
    // Whole pixels, so the corner fans meet the bands without seams.
    const Rect r{std::round(b.rect.x), std::round(b.rect.y), std::round(b.rect.w), std::round(b.rect.h)};
    float k = std::round(b.rounding);
    if (k < 1) {
      SDL_FRect whole{r.x, r.y, r.w, r.h};
      SDL_RenderFillRectF(renderer_, &whole);
      continue;
    }
    SDL_FRect bands[] = {{r.x + k, r.y, r.w - 2 * k, k}, {r.x, r.y + k, r.w, r.h - 2 * k}, {r.x + k, r.bottom() - k, r.w - 2 * k, k}};
    SDL_RenderFillRectsF(renderer_, bands, 3);
    // Corners: small triangle fans (a few hundred pixels each).
    SDL_Color col{Uint8(c.x * 255), Uint8(c.y * 255), Uint8(c.z * 255), Uint8(c.w * 255)};
    const ImVec2 centres[] = {{r.x + k, r.y + k}, {r.right() - k, r.y + k}, {r.right() - k, r.bottom() - k}, {r.x + k, r.bottom() - k}};
    std::vector<SDL_Vertex> fan;
    for (int q = 0; q < 4; ++q) {
      const int steps = 8;
      float a0 = float(M_PI) * (1.0f + 0.5f * float(q));
      for (int i = 0; i < steps; ++i) {
        float a = a0 + float(M_PI) * 0.5f * float(i) / steps, b2 = a0 + float(M_PI) * 0.5f * float(i + 1) / steps;
        // The fan starts one pixel inside the bands and reaches one pixel
        // further, overlapping them: the rasterizer leaves no seam.
        ImVec2 o{centres[q].x + (q == 1 || q == 2 ? -1.0f : 1.0f), centres[q].y + (q >= 2 ? -1.0f : 1.0f)};
        fan.push_back({{o.x, o.y}, col, {0, 0}});
        fan.push_back({{o.x + (k + 1) * std::cos(a), o.y + (k + 1) * std::sin(a)}, col, {0, 0}});
        fan.push_back({{o.x + (k + 1) * std::cos(b2), o.y + (k + 1) * std::sin(b2)}, col, {0, 0}});
      }
    }
    SDL_RenderGeometry(renderer_, nullptr, fan.data(), int(fan.size()), nullptr, 0);
  }
  SDL_RenderSetClipRect(renderer_, nullptr);
  SDL_SetRenderDrawBlendMode(renderer_, SDL_BLENDMODE_BLEND);
  ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
}

void Screen::end_frame() {
  make_current();
  ImGui::Render();
  redraw_ = fonts_->needs_rebuild();
  if (window_surface_ && region_on_ && !redraw_) {
    // A region drawn exactly as before (a blink's other phase) is copied
    // from the picture kept of it, not drawn again.
    SDL_Rect r{int(region_.x), int(region_.y), int(region_.w), int(region_.h)};
    const uint64_t hash = frame_hash();
    auto kept = std::find_if(pictures_.begin(), pictures_.end(), [&](const Picture& p) {
      return p.hash == hash && p.at.x == r.x && p.at.y == r.y && p.at.w == r.w && p.at.h == r.h;
    });
    if (kept != pictures_.end()) {
      show_kept(kept->pixels, nullptr, r);
      std::rotate(pictures_.begin(), kept, kept + 1);  // most recent first
    } else {
      render();
      present_surface(&r);
      keep_picture(r, hash);
    }
    keep_tickers();
    return;
  }
  render();
  if (window_surface_) {
    SDL_Rect r{int(region_.x), int(region_.y), int(region_.w), int(region_.h)};
    present_surface(region_on_ ? &r : nullptr);
    if (!redraw_) keep_tickers();  // a frame drawn again for glyphs would render strips without them
  } else if (!surface_) {
    SDL_RenderPresent(renderer_);
  }
}

// What a frame draws, as a number: the backdrops and every vertex, index and
// command ImGui made (positions, texture coordinates, colours, clips).
uint64_t Screen::frame_hash() const {
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  auto mix = [&](const void* data, size_t n) {
    const auto* b = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
  };
  for (const Backdrop& b : backdrop_) mix(&b.rect, sizeof b.rect), mix(&b.color, sizeof b.color), mix(&b.rounding, sizeof b.rounding), mix(&b.clip, sizeof b.clip);
  const ImDrawData* d = ImGui::GetDrawData();
  for (int n = 0; d && n < d->CmdListsCount; ++n) {
    const ImDrawList* list = d->CmdLists[n];
    mix(list->VtxBuffer.Data, size_t(list->VtxBuffer.Size) * sizeof(ImDrawVert));
    mix(list->IdxBuffer.Data, size_t(list->IdxBuffer.Size) * sizeof(ImDrawIdx));
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      ImTextureID tex = cmd.GetTexID();
      mix(&cmd.ClipRect, sizeof cmd.ClipRect), mix(&tex, sizeof tex), mix(&cmd.VtxOffset, sizeof cmd.VtxOffset), mix(&cmd.IdxOffset, sizeof cmd.IdxOffset),
          mix(&cmd.ElemCount, sizeof cmd.ElemCount);
    }
  }
  return h;
}

void Screen::keep_picture(const SDL_Rect& r, uint64_t hash) {
  SDL_Surface* copy = SDL_CreateRGBSurfaceWithFormat(0, r.w, r.h, 32, surface_->format->format);
  if (!copy) return;
  SDL_Rect from = r;
  SDL_BlitSurface(surface_, &from, copy, nullptr);
  Kept pixels = keep_pixels(copy);
  if (!pixels.picture) return;
  pictures_.insert(pictures_.begin(), Picture{r, hash, pixels});
  while (pictures_.size() > kKeptPictures) {  // a blink has two pictures
    free_kept(pictures_.back().pixels);
    pictures_.pop_back();
  }
}

void Screen::drop_pictures() {
  for (Picture& p : pictures_) free_kept(p.pixels);
  pictures_.clear();
}

Screen::Kept Screen::keep_pixels(SDL_Surface* picture) {
  SDL_Surface* window = picture ? SDL_GetWindowSurface(window_) : nullptr;
  Kept k{picture, window ? SDL_ConvertSurface(picture, window->format, 0) : nullptr};
  if (!k.picture || !k.window_copy) {
    free_kept(k);
    return {};
  }
  SDL_SetSurfaceBlendMode(k.picture, SDL_BLENDMODE_NONE);  // shown by plain copies
  SDL_SetSurfaceBlendMode(k.window_copy, SDL_BLENDMODE_NONE);
  return k;
}

void Screen::free_kept(Kept& k) {
  if (k.picture) SDL_FreeSurface(k.picture);
  if (k.window_copy) SDL_FreeSurface(k.window_copy);
  k = {};
}

// Into the picture (later region frames and PNGs read it) and straight into
// the window's surface, each in its own format, then shown.
void Screen::show_kept(const Kept& k, const SDL_Rect* from, const SDL_Rect& to) {
  SDL_Surface* window = SDL_GetWindowSurface(window_);
  if (!window) return;
  SDL_Rect part = from ? *from : SDL_Rect{0, 0, to.w, to.h}, at = to;
  SDL_BlitSurface(k.picture, &part, surface_, &at);
  at = to;
  SDL_BlitSurface(k.window_copy, &part, window, &at);
  SDL_UpdateWindowSurfaceRects(window_, &to, 1);
}

namespace {
int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
bool overlaps(const Rect& a, const Rect& b) { return a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom(); }
}  // namespace

void Screen::keep_tickers() {
  std::vector<Strip> next;
  for (const TickerLine& line : tickers_) {
    auto same = std::find_if(strips_.begin(), strips_.end(), [&](const Strip& s) { return s.pixels.picture && s.line.same_as(line); });
    Strip strip{line, {}, line.drawn};  // what the frame shows, not where the clock is now: a slow frame is caught up by the next step
    if (same != strips_.end()) std::swap(strip.pixels, same->pixels);
    else strip.pixels = keep_pixels(render_strip(line));
    if (strip.pixels.picture) next.push_back(strip);
  }
  // A region frame leaves the tickers it did not cover as they were.
  for (Strip& s : strips_)
    if (s.pixels.picture && region_on_ && !overlaps(s.line.box, region_)) next.push_back(s), s.pixels = {};
  drop_strips();
  strips_ = std::move(next);
}

SDL_Surface* Screen::render_strip(const TickerLine& line) {
  const int w = int(line.span + line.box.w), h = int(line.box.h);
  ImFont* font = fonts_->font(line.size);
  if (!font || w <= 0 || h <= 0) return nullptr;
  SDL_Texture* strip = SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ABGR8888, SDL_TEXTUREACCESS_TARGET, w, h);
  if (!strip) return nullptr;
  if (SDL_SetRenderTarget(renderer_, strip) != 0) {
    SDL_DestroyTexture(strip);
    return nullptr;
  }
  SDL_RenderSetClipRect(renderer_, nullptr);
  ImVec4 g = ImGui::ColorConvertU32ToFloat4(line.ground);
  SDL_SetRenderDrawColor(renderer_, Uint8(g.x * 255), Uint8(g.y * 255), Uint8(g.z * 255), 255);
  SDL_RenderClear(renderer_);
  // The text as the frame draws it (same font, size, whole-pixel places), at
  // each period of the scroll.
  ImDrawList list(ImGui::GetDrawListSharedData());
  list._ResetForNewFrame();
  list.PushClipRect({0, 0}, {float(w), float(h)});
  list.PushTextureID(ImGui::GetIO().Fonts->TexID);
  for (float x = 0; x < float(w); x += line.span) list.AddText(font, fonts_->pixels(line.size), {x, line.text_y}, line.ink, line.text.c_str());
  for (const ImDrawCmd& cmd : list.CmdBuffer) {
    if (cmd.UserCallback || cmd.ElemCount == 0) continue;
    SDL_Rect clip{int(cmd.ClipRect.x), int(cmd.ClipRect.y), int(cmd.ClipRect.z - cmd.ClipRect.x), int(cmd.ClipRect.w - cmd.ClipRect.y)};
    SDL_RenderSetClipRect(renderer_, &clip);
    const ImDrawVert* v = list.VtxBuffer.Data + cmd.VtxOffset;
    const int stride = int(sizeof(ImDrawVert));
    SDL_RenderGeometryRaw(renderer_, static_cast<SDL_Texture*>(cmd.GetTexID()), &v->pos.x, stride, reinterpret_cast<const SDL_Color*>(&v->col),
                          stride, &v->uv.x, stride, list.VtxBuffer.Size - int(cmd.VtxOffset), list.IdxBuffer.Data + cmd.IdxOffset,
                          int(cmd.ElemCount), int(sizeof(ImDrawIdx)));
  }
  SDL_RenderSetClipRect(renderer_, nullptr);
  SDL_Surface* pixels = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ABGR8888);
  if (pixels && SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_ABGR8888, pixels->pixels, pixels->pitch) != 0)
    SDL_FreeSurface(pixels), pixels = nullptr;
  SDL_SetRenderTarget(renderer_, nullptr);
  SDL_DestroyTexture(strip);
  if (pixels) SDL_SetSurfaceBlendMode(pixels, SDL_BLENDMODE_NONE);  // each step is a plain copy
  return pixels;
}

void Screen::drop_strips() {
  for (Strip& s : strips_) free_kept(s.pixels);
  strips_.clear();
}

int Screen::ticker_due_in_ms() const {
  int64_t soonest = -1;
  const int64_t now = steady_ms();
  for (const Strip& s : strips_) {
    // The first ms at which its offset reaches the next step (or wraps).
    const float per_step_ms = s.line.step / s.line.speed * 1000.0f;
    const float phase_ms = std::fmod(float(now % 3'600'000) / 1000.0f * s.line.speed, s.line.span) / s.line.speed * 1000.0f;
    const float in_step = std::fmod(phase_ms, per_step_ms);
    const float to_wrap = s.line.span / s.line.speed * 1000.0f - phase_ms;
    int64_t due = int64_t(std::ceil(std::min(per_step_ms - in_step, to_wrap)));
    if (s.line.offset_at(now) != s.shown) due = 0;
    if (soonest < 0 || due < soonest) soonest = due;
  }
  return int(soonest);
}

int Screen::step_tickers() {
  int moved = 0;
  const int64_t now = steady_ms();
  for (Strip& s : strips_) {
    const float offset = s.line.offset_at(now);
    if (offset == s.shown) continue;
    SDL_Rect from{int(offset), 0, int(s.line.box.w), int(s.line.box.h)};
    show_kept(s.pixels, &from, {int(s.line.box.x), int(s.line.box.y), int(s.line.box.w), int(s.line.box.h)});
    s.shown = offset;
    ++moved;
  }
  return moved;
}

void Screen::discard_frame() {
  make_current();
  ImGui::EndFrame();
  force_full_ = true;  // the log may have lost the region's entries: the next frame redraws everything
}

const unsigned char* Screen::pixels(int* pitch) const {
  if (!surface_ || surface_->format->format != SDL_PIXELFORMAT_ABGR8888) return nullptr;
  if (pitch) *pitch = surface_->pitch;
  return static_cast<const unsigned char*>(surface_->pixels);
}

bool Screen::save_png_atomic(const std::string& path) {
  std::string tmp = path + ".tmp.png";
  return save_png(tmp) && std::rename(tmp.c_str(), path.c_str()) == 0;
}

bool Screen::save_png_half(const std::string& path) {
  if (!surface_ || surface_->format->format != SDL_PIXELFORMAT_ABGR8888) return save_png(path);
  // Each output pixel is the mean of a 2×2 block: a quarter of the bytes, still legible.
  const int w = width_ / 2, h = height_ / 2, pitch = surface_->pitch;
  const auto* in = static_cast<const unsigned char*>(surface_->pixels);
  std::vector<unsigned char> out(size_t(w) * size_t(h) * 4);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int ch = 0; ch < 4; ++ch) {
        const unsigned char* p = in + (2 * y) * pitch + (2 * x) * 4 + ch;
        out[(size_t(y) * size_t(w) + size_t(x)) * 4 + size_t(ch)] = static_cast<unsigned char>((p[0] + p[4] + p[pitch] + p[pitch + 4] + 2) / 4);
      }
  return stbi_write_png(path.c_str(), w, h, 4, out.data(), w * 4) != 0;
}

std::string Screen::png_bytes(int max_width) {
  make_current();
  const unsigned char* src = nullptr;
  int pitch = 0;
  SDL_Surface* converted = nullptr;
  if (surface_ && surface_->format->format == SDL_PIXELFORMAT_ABGR8888) {
    src = static_cast<const unsigned char*>(surface_->pixels);
    pitch = surface_->pitch;
  } else if (surface_) {
    converted = SDL_ConvertSurfaceFormat(surface_, SDL_PIXELFORMAT_ABGR8888, 0);
    if (!converted) return "";
    src = static_cast<const unsigned char*>(converted->pixels);
    pitch = converted->pitch;
  } else {
    render();
    pixels_.assign(size_t(width_) * size_t(height_) * 4, 0);
    if (SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_ABGR8888, pixels_.data(), width_ * 4) != 0) return "";
    SDL_RenderPresent(renderer_);
    src = pixels_.data();
    pitch = width_ * 4;
  }
  int f = 1;
  while (width_ / f > max_width) ++f;
  const int w = width_ / f, h = height_ / f;
  std::vector<unsigned char> out(size_t(w) * size_t(h) * 4);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int ch = 0; ch < 4; ++ch) {
        unsigned sum = 0;
        for (int dy = 0; dy < f; ++dy)
          for (int dx = 0; dx < f; ++dx) sum += src[(y * f + dy) * pitch + (x * f + dx) * 4 + ch];
        out[(size_t(y) * size_t(w) + size_t(x)) * 4 + size_t(ch)] = static_cast<unsigned char>(sum / unsigned(f * f));
      }
  if (converted) SDL_FreeSurface(converted);
  std::string png;
  stbi_write_png_to_func([](void* ctx, void* data, int size) { static_cast<std::string*>(ctx)->append(static_cast<const char*>(data), size_t(size)); },
                         &png, w, h, 4, out.data(), w * 4);
  return png;
}

bool Screen::save_png(const std::string& path) {
  make_current();
  if (surface_ && surface_->format->format == SDL_PIXELFORMAT_ABGR8888)  // headless: the frame is already in memory, as PNG wants it
    return stbi_write_png(path.c_str(), width_, height_, 4, surface_->pixels, surface_->pitch) != 0;
  if (surface_) {  // the window's surface, in its own pixel format
    SDL_Surface* rgba = SDL_ConvertSurfaceFormat(surface_, SDL_PIXELFORMAT_ABGR8888, 0);
    if (!rgba) return false;
    bool ok = stbi_write_png(path.c_str(), width_, height_, 4, rgba->pixels, rgba->pitch) != 0;
    SDL_FreeSurface(rgba);
    return ok;
  }
  // Read back what the renderer drew: render again into the target, then read.
  render();
  pixels_.assign(size_t(width_) * size_t(height_) * 4, 0);
  if (SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_ABGR8888, pixels_.data(), width_ * 4) != 0) return false;
  SDL_RenderPresent(renderer_);
  return stbi_write_png(path.c_str(), width_, height_, 4, pixels_.data(), width_ * 4) != 0;
}

}  // namespace hall::ui
