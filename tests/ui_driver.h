// Driving a screen program in process: injected keys, text and touches,
// frames until a condition holds (with a deadline). For tests only.
#pragma once

#include <SDL.h>

#include <cstring>
#include <functional>
#include <string>

#include "shared/ui/widgets.h"
#include "tests/support.h"

namespace hall::test {

SDL_Event key_event(Uint32 type, SDL_Scancode code) {
  SDL_Event e{};
  e.type = type;
  e.key.keysym.scancode = code;
  e.key.keysym.sym = SDL_GetKeyFromScancode(code);
  e.key.state = type == SDL_KEYDOWN ? SDL_PRESSED : SDL_RELEASED;
  return e;
}

template <class App>
bool drive(App& app, const std::function<bool()>& done, int timeout_ms = 8000) {
  return test::eventually([&] {
    app.frame(5);
    return done();
  }, timeout_ms);
}

template <class App>
void press(App& app, SDL_Scancode code) {
  app.screen().inject(key_event(SDL_KEYDOWN, code));
  app.frame(5);
  app.screen().inject(key_event(SDL_KEYUP, code));
  app.frame(5);
}

template <class App>
void type(App& app, const char* text) {
  SDL_Event e{};
  e.type = SDL_TEXTINPUT;
  std::strncpy(e.text.text, text, sizeof e.text.text - 1);
  app.screen().inject(e);
  app.frame(5);
}

// Taps the button with this id where it was drawn in the last frame.
template <class App>
bool tap(App& app, const std::string& id) {
  app.frame(5);  // draw the page as it is now, so its buttons are where the last frame put them
  for (const auto& b : ui::drawn_buttons()) {
    if (b.id != id) continue;
    SDL_Event down{};
    down.type = SDL_MOUSEBUTTONDOWN;
    down.button.button = SDL_BUTTON_LEFT;
    down.button.x = int(b.rect.x + b.rect.w / 2);
    down.button.y = int(b.rect.y + b.rect.h / 2);
    SDL_Event up = down;
    up.type = SDL_MOUSEBUTTONUP;
    app.screen().inject(down);
    app.frame(5);
    app.screen().inject(up);
    app.frame(5);
    return true;
  }
  return false;
}


}  // namespace hall::test
