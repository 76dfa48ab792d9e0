// Screen: one SDL window with an SDL_Renderer and Dear ImGui, shared by the
// display, kiosk and console programs. The loop idles: it sleeps in
// SDL_WaitEventTimeout until input, a wake() from another thread (a bus
// update), or the caller's next deadline. Headless (SDL offscreen driver,
// software renderer) it renders exactly the same pixels, to PNG.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "shared/ui/draw.h"
#include "shared/ui/fonts.h"

#include <SDL_events.h>

#include <condition_variable>
#include <mutex>

struct SDL_Window;
struct SDL_Renderer;
struct SDL_Surface;
struct SDL_Texture;

namespace hall::ui {

struct ScreenOptions {
  int width = 1920;
  int height = 1080;
  bool fullscreen = false;
  bool headless = false;       // offscreen video driver and software renderer
  // A public kiosk: closing the window (Alt+F4, a window manager) does not
  // end the program and the mouse pointer is hidden; only SIGTERM/SIGINT
  // (the service manager) stops it.
  bool locked = false;
  std::string title = "hall";
  // auto: SDL's software renderer where the only OpenGL would be a software
  // one (no GPU render node, or Mesa's llvmpipe/softpipe): it starts faster
  // and holds a quarter of the memory; otherwise the accelerated one.
  // software / gl force either. Headless always draws in software, to memory.
  std::string renderer = "auto";
};

// Which SDL renderer to use and why, decided before any is created (auto
// looks for a GPU render node; a GL renderer that turns out to be llvmpipe
// is replaced afterwards). Pure, so tests can ask it.
struct RendererChoice {
  bool software = true;
  std::string why;
};
RendererChoice choose_renderer(const std::string& wanted, bool headless, bool has_render_node);
bool has_gpu_render_node();                    // /dev/dri/renderD* that this process can open
bool software_gl_name(const std::string& gl_renderer);  // llvmpipe, softpipe, swrast

class Screen {
 public:
  explicit Screen(const ScreenOptions& options);  // throws std::runtime_error naming what failed
  ~Screen();

  // Waits up to timeout_ms for something to happen (0 = just poll).
  // Returns false when the window was asked to close. After any input event
  // the next kInputFrames frames do not wait at all: the press, the release
  // and the page the release opened are each on screen within a frame of
  // the event, not after the idle timeout (ImGui acts on a click one frame
  // after it sees it).
  bool wait(int timeout_ms);
  static constexpr int kInputFrames = 3;
  int input_frames_left() const { return input_frames_left_; }  // frames still owed to the last input
  bool input_owed() const { return input_owed_; }  // the last wait() ended for input, or for a frame owed to it
  void wake();                                   // thread-safe: ends a wait() from another thread
  void inject(const SDL_Event& e);               // input for this screen only (tests, remote maintenance)

  // A full-screen canvas; the draw log starts empty. With a region (and a
  // screen that keeps its picture: the software renderer), only that region
  // is cleared, drawn and presented; the rest of the last frame stays, and
  // so do its entries in the draw log.
  Canvas begin_frame(const Rect* region = nullptr);
  // A frame that only notes the glyphs a page needs (a warm-up): no input
  // reaches it and nothing of it is shown; end it with discard_frame().
  Canvas begin_warm_frame();
  void prepare_fonts();                          // builds the atlas now if text wanted glyphs it lacks
  bool keeps_picture() const { return surface_ != nullptr; }  // software: region frames are possible
  // Tickers (Canvas::ticker) the screen moves by itself between frames: a
  // strip rendered once, copied into the picture at each step and shown.
  int ticker_due_in_ms() const;                  // until the next step; −1: none moves
  int step_tickers();                            // moves those due; how many moved
  void end_frame();                              // renders; rebuilds the atlas if the frame wanted new glyphs
  void discard_frame();                          // ends the frame without rendering it (a page changed half way)
  // The last rendered frame's pixels, RGBA rows `pitch` bytes apart;
  // headless only (nullptr on a window: read those back with save_png).
  const unsigned char* pixels(int* pitch) const;
  bool frame_needs_redraw() const { return redraw_; }  // glyphs were missing: draw the frame again
  bool save_png(const std::string& path);        // the last rendered frame
  bool save_png_atomic(const std::string& path); // written beside, then renamed: a watcher never reads half a file
  bool save_png_half(const std::string& path);   // headless: at half width and height (docs galleries)
  // The last rendered frame as PNG bytes, shrunk by a whole factor until it is at most max_width wide
  // (a manager's request_screenshot); "" when the frame cannot be read.
  std::string png_bytes(int max_width);
  const std::vector<DrawnText>& draw_log() const { return log_; }

  int width() const { return width_; }
  int height() const { return height_; }
  float unit() const { return unit_; }
  FontBook& fonts() { return *fonts_; }
  SDL_Renderer* renderer() { return renderer_; }
  const std::string& renderer_name() const { return renderer_name_; }  // "software" or SDL's name ("opengl", …)
  const std::string& renderer_why() const { return renderer_why_; }
  void on_event(void (*handler)(const SDL_Event&, void*), void* user) { handler_ = handler, handler_user_ = user; }
  // This frame shows a press whose release has already come (a quick tap):
  // ImGui needs the press for one frame, nobody needs to see it.
  bool release_owed() const { return release_owed_; }

 private:
  SDL_Window* window_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
  SDL_Surface* surface_ = nullptr;              // software: the renderer draws straight into it (headless: nothing is presented)
  bool window_surface_ = false;                 // on a window: surface_ is copied to the window's surface by rectangles
  bool region_on_ = false, force_full_ = false;
  Rect region_;
  void bind_window_surface();                   // (again, after a resize invalidated it)
  void present_surface(const struct SDL_Rect* r);  // nullptr: all of it
  bool headless_ = false;
  bool locked_ = false;
  std::string renderer_name_, renderer_why_;
  std::mutex wake_mutex_;                       // headless: wait() sleeps on this, not on SDL's polling loop
  std::condition_variable wake_cv_;
  bool woken_ = false;
  int input_frames_left_ = 0;
  bool input_owed_ = false;
  uint64_t last_input_ticks_ = 0;               // SDL ticks of the last input event
  int width_, height_;
  float unit_;
  std::unique_ptr<FontBook> fonts_;
  std::vector<DrawnText> log_;
  std::vector<DrawnText> warm_log_;              // a warm-up frame's, thrown away
  std::vector<TickerLine> tickers_;              // this frame's
  // Pixels kept to be shown again by copying, in the picture's format and
  // in the window's, so that showing them converts nothing.
  struct Kept {
    SDL_Surface* picture = nullptr;
    SDL_Surface* window_copy = nullptr;
  };
  Kept keep_pixels(SDL_Surface* picture);        // takes the picture; both or nothing
  static void free_kept(Kept& k);
  void show_kept(const Kept& k, const SDL_Rect* from, const SDL_Rect& to);  // into the picture and the window, presented
  struct Strip {
    TickerLine line;
    Kept pixels;                                 // the text twice over its ground, span + box wide
    float shown = -1;                            // the offset on screen now
  };
  std::vector<Strip> strips_;
  void keep_tickers();                           // after a frame: strips for what it drew
  // Region frames kept as pictures (a blink's two phases), by what they drew.
  struct Picture {
    SDL_Rect at;
    uint64_t hash;
    Kept pixels;
  };
  static constexpr size_t kKeptPictures = 2;
  std::vector<Picture> pictures_;
  uint64_t frame_hash() const;
  void keep_picture(const SDL_Rect& r, uint64_t hash);
  void drop_pictures();
  SDL_Surface* render_strip(const TickerLine& line);
  void drop_strips();
  std::vector<Backdrop> backdrop_;
  void render();                                // clear, backdrop, ImGui
  std::vector<unsigned char> pixels_;           // the last frame, RGBA
  bool redraw_ = false;
  uint32_t wake_event_ = 0;
  void (*handler_)(const SDL_Event&, void*) = nullptr;
  void* handler_user_ = nullptr;
  void upload_fonts();
  void make_current();                           // this screen's ImGui context (a process may hold several)
  void process(const SDL_Event& e);
  struct ImGuiContext* context_ = nullptr;
  std::vector<SDL_Event> injected_;              // guarded by wake_mutex_
  void track_pointer(const SDL_Event& e);
  // The pointer as its events said, not as SDL's global state says: touch
  // screens, the offscreen driver and injected test events all agree.
  float pointer_x_ = -1, pointer_y_ = -1;
  bool pointer_down_ = false, pointer_clicked_ = false, release_owed_ = false;
};

}  // namespace hall::ui
