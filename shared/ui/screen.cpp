#include "shared/ui/screen.h"

#include <SDL.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "backends/imgui_impl_sdl.h"
#include "backends/imgui_impl_sdlrenderer.h"
#include "imgui.h"

namespace hall::ui {

Screen::Screen(const ScreenOptions& o) : width_(o.width), height_(o.height) {
  if (o.headless) {
    setenv("SDL_VIDEODRIVER", "offscreen", 0);
    setenv("SDL_RENDER_DRIVER", "software", 0);
    setenv("SDL_AUDIODRIVER", "dummy", 0);
  }
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0)
    throw std::runtime_error(std::string("SDL could not start video: ") + SDL_GetError());
  Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
  if (o.fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
  window_ = SDL_CreateWindow(o.title.c_str(), SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width_, height_, flags);
  if (!window_) throw std::runtime_error(std::string("SDL could not open a window: ") + SDL_GetError());
  renderer_ = SDL_CreateRenderer(window_, -1, o.headless ? SDL_RENDERER_SOFTWARE : SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
  if (!renderer_) renderer_ = SDL_CreateRenderer(window_, -1, SDL_RENDERER_SOFTWARE);  // fanless boxes without a GPU driver
  if (!renderer_) throw std::runtime_error(std::string("SDL could not create a renderer: ") + SDL_GetError());
  SDL_GetRendererOutputSize(renderer_, &width_, &height_);
  unit_ = float(std::min(width_, height_)) / 1080.0f;
  wake_event_ = SDL_RegisterEvents(1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // a kiosk has no user preferences to remember
  io.LogFilename = nullptr;
  ImGui_ImplSDL2_InitForSDLRenderer(window_);
  ImGui_ImplSDLRenderer_Init(renderer_);
  fonts_ = std::make_unique<FontBook>(unit_);
  upload_fonts();
}

Screen::~Screen() {
  ImGui_ImplSDLRenderer_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  if (renderer_) SDL_DestroyRenderer(renderer_);
  if (window_) SDL_DestroyWindow(window_);
  SDL_Quit();
}

void Screen::upload_fonts() {
  ImGui_ImplSDLRenderer_DestroyFontsTexture();
  fonts_->rebuild();
  ImGui_ImplSDLRenderer_CreateFontsTexture();
}

bool Screen::wait(int timeout_ms) {
  SDL_Event e;
  bool got = timeout_ms > 0 ? SDL_WaitEventTimeout(&e, timeout_ms) : SDL_PollEvent(&e);
  while (got) {
    if (e.type == SDL_QUIT) return false;
    if (e.type != wake_event_) {
      ImGui_ImplSDL2_ProcessEvent(&e);
      if (handler_) handler_(e, handler_user_);
    }
    got = SDL_PollEvent(&e);
  }
  return true;
}

void Screen::wake() {
  SDL_Event e{};
  e.type = wake_event_;
  SDL_PushEvent(&e);
}

Canvas Screen::begin_frame() {
  if (fonts_->needs_rebuild()) upload_fonts();
  ImGui_ImplSDLRenderer_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ImGui::NewFrame();
  log_.clear();
  return Canvas(ImGui::GetBackgroundDrawList(), *fonts_, unit_, &log_);
}

void Screen::end_frame() {
  ImGui::Render();
  SDL_SetRenderDrawColor(renderer_, 8, 24, 48, 255);
  SDL_RenderClear(renderer_);
  ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
  redraw_ = fonts_->needs_rebuild();
  pixels_.clear();
  SDL_RenderPresent(renderer_);
}

bool Screen::save_png(const std::string& path) {
  // Read back what the renderer drew: render again into the target, then read.
  SDL_SetRenderDrawColor(renderer_, 8, 24, 48, 255);
  SDL_RenderClear(renderer_);
  ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
  pixels_.assign(size_t(width_) * size_t(height_) * 4, 0);
  if (SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_ABGR8888, pixels_.data(), width_ * 4) != 0) return false;
  SDL_RenderPresent(renderer_);
  return stbi_write_png(path.c_str(), width_, height_, 4, pixels_.data(), width_ * 4) != 0;
}

}  // namespace hall::ui
