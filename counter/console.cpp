#include "counter/console.h"

#include <cctype>

#include "imgui.h"
#include "shared/ui/widgets.h"

namespace hall::counter {

Console::Console(Options o) : o_(std::move(o)), mirror_(o_.commands, o_.updates), client_(o_.commands, ClientOptions{2500, 2}) {
  ui::ScreenOptions so;
  so.width = o_.width, so.height = o_.height, so.headless = o_.headless, so.fullscreen = o_.fullscreen, so.title = "hall-counter";
  screen_ = std::make_unique<ui::Screen>(so);
  mirror_.on_change([this](const MirrorChange&) { screen_->wake(); });
  screen_->on_event(&Console::on_key, this);
  mirror_.start();
  Reply ping = client_.call("ping");  // hall time (a demo hall runs faster than real time)
  if (ping.ok) hall_clock_ = HallClock(ping.result.value("now_ms", wall_ms()), ping.result.value("speed", 1.0));
}

Console::~Console() {
  if (in_flight_.valid()) in_flight_.wait();
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
  if (in_flight_.valid()) return;  // one command at a time: a second press is ignored
  if (!online()) {
    message_ = "与大厅服务器的连接中断：“" + done_text + "”未发送，请稍后再试";
    message_bad_ = true;
    return;
  }
  args["window"] = o_.window;
  pending_cmd_ = cmd;
  pending_text_ = done_text;
  ++sent_;
  // The key is made here, once: a retry inside the client reuses it.
  in_flight_ = std::async(std::launch::async, [this, cmd, args] {
    Reply r = client_.call(cmd, args);
    screen_->wake();
    return r;
  });
}

void Console::collect() {
  if (!in_flight_.valid() || in_flight_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
  Reply r = in_flight_.get();
  message_bad_ = !r.ok;
  if (r.ok) {
    message_ = pending_text_ + "：完成";
    if (pending_cmd_ == "sign_in") staff_ = r.result["staff"]["id"], staff_input_.clear(), field_ = 0;
    if (pending_cmd_ == "sign_out") staff_.clear();
    if (pending_cmd_ == "call_next" || pending_cmd_ == "recall")
      message_ = pending_text_ + "：" + r.result["ticket"]["number"].get<std::string>();
  } else if (r.code == err::kQueueEmpty) {
    message_ = "当前没有等候的群众";
  } else if (r.code == err::kSignInRefused) {
    message_ = "工号或密码不正确";
  } else {
    message_ = pending_text_ + "失败：" + r.message;
  }
}

bool Console::frame(int max_wait_ms) {
  if (!screen_->wait(max_wait_ms)) return false;
  collect();
  HallState s = mirror_.copy();
  ui::Canvas c = screen_->begin_frame();
  ui::begin_root();
  ImGui::PushFont(screen_->fonts().font(ui::Size::Title));
  if (staff_.empty()) draw_sign_in(c);
  else draw_desk(c, s);
  ImGui::PopFont();
  ui::end_root();
  screen_->end_frame();
  if (screen_->frame_needs_redraw()) screen_->wake();
  return true;
}

}  // namespace hall::counter
