// Driving a screen program in process with injected keys, text and touches,
// frame by frame: the tests use it, and so does the kiosk's docs tour. An
// App has frame(int max_wait_ms) and screen().
#pragma once

#include <SDL.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "shared/ui/widgets.h"

namespace hall::ui {

inline SDL_Event key_event(Uint32 type, SDL_Scancode code) {
  SDL_Event e{};
  e.type = type;
  e.key.keysym.scancode = code;
  e.key.keysym.sym = SDL_GetKeyFromScancode(code);
  e.key.state = type == SDL_KEYDOWN ? SDL_PRESSED : SDL_RELEASED;
  return e;
}

// The frame an injected event wakes, then the frames the screen owes to
// that input (Screen::kInputFrames), which the real loop draws at once too:
// no more frames than the program itself would draw.
template <class App>
void frames_after_input(App& app) {
  app.frame(5);
  while (app.screen().input_frames_left() > 0) app.frame(5);
}

// Frames until done() holds or the deadline passes; true when it held.
template <class App>
bool drive(App& app, const std::function<bool()>& done, int timeout_ms = 8000) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    app.frame(5);
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
  }
}

template <class App>
void press(App& app, SDL_Scancode code) {
  app.screen().inject(key_event(SDL_KEYDOWN, code));
  frames_after_input(app);
  app.screen().inject(key_event(SDL_KEYUP, code));
  frames_after_input(app);
}

template <class App>
void type(App& app, const char* text) {
  SDL_Event e{};
  e.type = SDL_TEXTINPUT;
  std::strncpy(e.text.text, text, sizeof e.text.text - 1);
  app.screen().inject(e);
  frames_after_input(app);
}

// A press and release at a point, with the frames the program draws after each.
template <class App>
void tap_at(App& app, float x, float y) {
  SDL_Event down{};
  down.type = SDL_MOUSEBUTTONDOWN;
  down.button.button = SDL_BUTTON_LEFT;
  down.button.x = int(x);
  down.button.y = int(y);
  SDL_Event up = down;
  up.type = SDL_MOUSEBUTTONUP;
  app.screen().inject(down);
  frames_after_input(app);
  app.screen().inject(up);
  frames_after_input(app);
}

// One stroke of a finger: down at the first point, through the others, up
// at the last. The moves come in one go, as a fast finger's do between two
// frames; then the frames the program draws.
template <class App>
void stroke(App& app, const std::vector<std::pair<float, float>>& points) {
  if (points.empty()) return;
  SDL_Event down{};
  down.type = SDL_MOUSEBUTTONDOWN;
  down.button.button = SDL_BUTTON_LEFT;
  down.button.x = int(points.front().first), down.button.y = int(points.front().second);
  app.screen().inject(down);
  for (size_t i = 1; i < points.size(); ++i) {
    SDL_Event move{};
    move.type = SDL_MOUSEMOTION;
    move.motion.state = SDL_BUTTON_LMASK;
    move.motion.x = int(points[i].first), move.motion.y = int(points[i].second);
    app.screen().inject(move);
  }
  frames_after_input(app);
  SDL_Event up = down;
  up.type = SDL_MOUSEBUTTONUP;
  up.button.x = int(points.back().first), up.button.y = int(points.back().second);
  app.screen().inject(up);
  frames_after_input(app);
}

// Taps the button with this id where the current page draws it; false when
// the page has no such button.
template <class App>
bool tap(App& app, const std::string& id) {
  app.frame(5);  // draw the page as it is now, so its buttons are where the last frame put them
  for (const auto& b : drawn_buttons()) {
    if (b.id != id) continue;
    Rect r = b.rect;
    tap_at(app, r.x + r.w / 2, r.y + r.h / 2);
    return true;
  }
  return false;
}

}  // namespace hall::ui
