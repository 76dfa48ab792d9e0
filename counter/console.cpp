#include "counter/console.h"

#include <cctype>

#include "imgui.h"
#include "shared/ui/widgets.h"

namespace hall::counter {

Console::Console(Options o)
    : o_(std::move(o)),
      runner_("hall-counter", o_.run),
      mirror_(o_.commands, o_.updates, MirrorOptions{.curve = o_.curve}),
      client_(o_.commands, ClientOptions{2500, 2, o_.curve}) {
  ui::ScreenOptions so;
  so.width = o_.width, so.height = o_.height, so.headless = o_.headless, so.fullscreen = o_.fullscreen, so.title = "hall-counter";
  so.renderer = o_.renderer;
  runner_.open(so);
  runner_.watch(mirror_);
  runner_.report_as({"counter-" + std::to_string(o_.window), "counter", o_.window}, o_.commands, o_.curve);
  screen().on_event(&Console::on_key, this);
  mirror_.start();
  Reply ping = client_.call("ping");  // hall time (a demo hall runs faster than real time)
  if (ping.ok) hall_clock_ = HallClock(ping.result.value("now_ms", wall_ms()), ping.result.value("speed", 1.0));
}

Console::~Console() {
  worker_.wait_idle();
  mirror_.stop();
}

// Sign-in typing, straight from the keyboard's events.
void Console::on_key(const SDL_Event& e, void* p) {
  auto* self = static_cast<Console*>(p);
  if (!self->staff_.empty()) return;
  std::string& field = self->field_ == 0 ? self->staff_input_ : self->pin_input_;
  if (e.type == SDL_TEXTINPUT) {
    for (const char* ch = e.text.text; *ch; ++ch) {
      bool ok = self->field_ == 0 ? std::isalnum((unsigned char)*ch) : std::isdigit((unsigned char)*ch);
      if (ok && field.size() < (self->field_ == 0 ? 20u : 8u)) field += char(std::toupper((unsigned char)*ch));
    }
  } else if (e.type == SDL_KEYDOWN) {
    switch (e.key.keysym.scancode) {
      case SDL_SCANCODE_BACKSPACE: if (!field.empty()) field.pop_back(); break;
      case SDL_SCANCODE_TAB: self->field_ = 1 - self->field_; break;
      case SDL_SCANCODE_RETURN:
      case SDL_SCANCODE_KP_ENTER:
        if (self->field_ == 0) self->field_ = 1;
        else self->submit_ = true;
        break;
      default: break;
    }
  }
}

std::string Console::sign_in_now(const std::string& staff, const std::string& pin) {
  Reply r = client_.call("sign_in", {{"window", o_.window}, {"staff", staff}, {"pin", pin}});
  if (!r.ok) return r.message;
  staff_ = staff;
  return "";
}

int64_t Console::mirror_now(const HallState& s) const {
  (void)s;
  return hall_clock_.now_ms();
}

void Console::send(const std::string& cmd, json args, const std::string& done_text) {
  if (busy()) return;  // one command at a time: a second press is ignored
  if (!online()) {
    message_ = "与大厅服务器的连接中断：“" + done_text + "”未发送，请稍后再试";
    message_bad_ = true;
    return;
  }
  args["window"] = o_.window;
  ++sent_;
  // The key is made once, in the call: a retry inside the client reuses it.
  worker_.post([this, cmd, args, done_text]() -> std::function<void()> {
    Reply r = client_.call(cmd, args);
    return [this, cmd, done_text, r] { answered(cmd, done_text, r); };
  });
}

void Console::answered(const std::string& cmd, const std::string& done_text, const Reply& r) {
  message_bad_ = !r.ok;
  if (r.ok) {
    message_ = done_text + "：完成";
    if (cmd == "sign_in") staff_ = r.result["staff"]["id"], staff_input_.clear(), field_ = 0;
    if (cmd == "sign_out") staff_.clear();
    if (cmd == "call_next" || cmd == "recall") message_ = done_text + "：" + r.result["ticket"]["number"].get<std::string>();
  } else if (r.code == err::kQueueEmpty) {
    message_ = "当前没有等候的群众";
  } else if (r.code == err::kSignInRefused) {
    message_ = "工号或密码不正确";
  } else {
    message_ = done_text + "失败：" + r.message;
  }
}

void Console::draw(ui::Canvas& c) {
  const HallState& s = runner_.state();  // copied only when the mirror changed
  ImGui::PushFont(screen().fonts().font(ui::Size::Title));
  if (staff_.empty()) draw_sign_in(c);
  else draw_desk(c, s);
  ImGui::PopFont();
}

}  // namespace hall::counter
