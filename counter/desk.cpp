// The desk: the ticket in hand, the actions, the queue, today's own figures.
#include <SDL.h>

#include <algorithm>
#include <cstdio>

#include "counter/console.h"
#include "imgui.h"
#include "shared/stats.h"
#include "shared/ui/widgets.h"

namespace hall::counter {

using namespace ui;

namespace {

std::string mmss(int64_t ms) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld", (long long)(ms / 60000), (long long)(ms / 1000 % 60));
  return buf;
}

bool key(SDL_Scancode k) { return ImGui::IsKeyPressed(k, false); }

}  // namespace

void Console::draw_desk(Canvas& c, const HallState& s) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  const auto wit = s.windows.find(o_.window);
  if (wit == s.windows.end()) return;
  const Window& w = wit->second;
  const int64_t now = s.calls.empty() ? 0 : std::max<int64_t>(s.calls.front().at_ms, 0);
  // Header: window, staff, connection.
  c.fill({0, 0, W, 90 * u}, online() ? color::kPanel : color::kBad);
  auto person = s.staff.find(staff_);
  c.text_in(Size::Title, {30 * u, 0, W * 0.6f, 90 * u}, color::kGold,
            std::to_string(w.number) + " 号窗口 · " + (person == s.staff.end() ? staff_ : person->second.name + "（" + staff_ + "）"));
  c.text_in(Size::Body, {W * 0.6f, 0, W * 0.4f - 30 * u, 90 * u}, color::kText,
            !online() ? "连接中断 · 操作暂不可用" : w.state == WindowState::Paused ? "暂停中：" + w.pause_reason : "服务中",
            Align::Right);

  // The ticket in hand.
  Rect hand{20 * u, 110 * u, W * 0.55f - 30 * u, 300 * u};
  c.panel(hand);
  auto held = s.tickets.find(w.ticket);
  if (held == s.tickets.end()) {
    c.text_in(Size::Big, hand, color::kMuted, "按 F1 呼叫下一位", Align::Center);
  } else {
    const Ticket& t = held->second;
    auto cat = s.categories.find(t.category);
    auto item = s.items.find(t.item);
    c.text(Size::Huge, {hand.x + 30 * u, hand.y + 20 * u}, color::kText, t.number);
    c.text(Size::Body, {hand.x + 30 * u, hand.y + 170 * u}, color::kMuted,
           (cat == s.categories.end() ? t.category : cat->second.name) + (t.lane != Lane::Normal ? std::string(" · ") + lane_name(t.lane) : ""));
    c.text_in(Size::Body, {hand.x + 30 * u, hand.y + 215 * u, hand.w - 60 * u, 50 * u}, color::kText,
              item == s.items.end() ? "未选择事项" : item->second.name);
    int64_t since = t.state == TicketState::Serving ? t.serving_ms : t.called_ms;
    c.text_in(Size::Big, {hand.x, hand.y + 20 * u, hand.w - 30 * u, 120 * u}, color::kGold,
              t.state == TicketState::Called ? "已呼叫 " + mmss(std::max<int64_t>(0, mirror_now(s) - since))
                                             : "办理中 " + mmss(std::max<int64_t>(0, mirror_now(s) - since)),
              Align::Right);
  }
  (void)now;

  // Actions: one key and one button each.
  bool has = held != s.tickets.end(), open = w.state == WindowState::Open, ready = !busy();
  bool called = has && held->second.state == TicketState::Called;
  struct Action { const char* id; SDL_Scancode key; std::string label; bool enabled; };
  std::vector<Action> actions{
      {"call", SDL_SCANCODE_F1, "F1 呼叫下一位", open && !has},
      {"recall", SDL_SCANCODE_F2, "F2 重呼", open && has},
      {"skip", SDL_SCANCODE_F3, "F3 过号", called},
      {"transfer", SDL_SCANCODE_F4, "F4 转移", has},
      {"finish", SDL_SCANCODE_F5, "F5 办结", has},
      {"pause", SDL_SCANCODE_F6, w.state == WindowState::Paused ? "F6 恢复服务" : "F6 暂停", !has},
      {"signout", SDL_SCANCODE_F12, "F12 签退", !has}};
  float bw = (hand.w - 20 * u) / 2, bh = 78 * u;
  for (size_t i = 0; i < actions.size(); ++i) {
    const Action& a = actions[i];
    Rect r{hand.x + float(i % 2) * (bw + 20 * u), hand.bottom() + 20 * u + float(i / 2) * (bh + 14 * u), bw, bh};
    bool go = touch_button(c, a.id, r, a.label, {color::kTile, color::kText, Size::Body, 12}, a.enabled && ready) ||
              (popup_ == Popup::None && a.enabled && ready && key(a.key));
    if (!go) continue;
    std::string id = a.id;
    if (id == "call") send("call_next", {}, "呼叫");
    if (id == "recall") send("recall", {}, "重呼");
    if (id == "skip") send("skip", {}, "过号");
    if (id == "finish") send("finish", {{"ticket", w.ticket}}, "办结");
    if (id == "transfer") popup_ = Popup::Transfer, transfer_to_.clear(), transfer_window_ = -1;
    if (id == "pause") {
      if (w.state == WindowState::Paused) send("resume_window", {}, "恢复服务");
      else popup_ = Popup::Pause;
    }
    if (id == "signout") send("sign_out", {}, "签退");
  }
  if (!message_.empty())
    c.text_in(Size::Body, {20 * u, H - 70 * u, W * 0.55f, 60 * u}, message_bad_ ? color::kBad : color::kGood, message_);

  // The queue this window calls from, in calling order.
  Rect q{W * 0.55f + 10 * u, 110 * u, W * 0.45f - 30 * u, H * 0.62f - 110 * u};
  c.panel(q);
  std::vector<const Ticket*> waiting;
  for (const auto& [k, t] : s.tickets)
    if (callable_at(t, w)) waiting.push_back(&t);
  std::sort(waiting.begin(), waiting.end(), [](auto* a, auto* b) { return called_before(*a, *b); });
  c.text_in(Size::Body, {q.x + 20 * u, q.y + 6 * u, q.w, 50 * u}, color::kGold, "等候队列 " + std::to_string(waiting.size()) + " 人");
  float y = q.y + 60 * u;
  for (const Ticket* t : waiting) {
    if (y + 44 * u > q.bottom()) break;
    c.text(Size::Body, {q.x + 20 * u, y}, t->lane != Lane::Normal ? color::kPaused : color::kText, t->number);
    c.text(Size::Small, {q.x + 150 * u, y + 6 * u}, color::kMuted,
           std::string(t->lane != Lane::Normal ? lane_name(t->lane) : t->transfers ? "转入" : "") + " 已等 " +
               std::to_string(std::max<int64_t>(0, mirror_now(s) - t->issued_ms) / 60000) + " 分钟");
    y += 44 * u;
  }

  // Today's own figures.
  Rect me{q.x, q.bottom() + 16 * u, q.w, H - q.bottom() - 36 * u};
  c.panel(me);
  int served = 0;
  int64_t service = 0;
  for (const auto& [k, t] : s.tickets)
    if (t.staff_id == staff_ && t.state == TicketState::Done && t.day == s.hall.day) ++served, service += service_ms(t);
  HallStats st = compute_stats(s, mirror_now(s));
  auto score = st.staff_today.find(staff_);
  c.text(Size::Body, {me.x + 20 * u, me.y + 14 * u}, color::kGold, "今日本人");
  c.text(Size::Body, {me.x + 20 * u, me.y + 64 * u}, color::kText, "已办结 " + std::to_string(served) + " 件");
  c.text(Size::Body, {me.x + 20 * u, me.y + 110 * u}, color::kText,
         "平均办理 " + (served ? mmss(service / served) : std::string("—")));
  c.text(Size::Body, {me.x + 20 * u, me.y + 156 * u}, color::kText,
         "好评率 " + (score == st.staff_today.end() ? std::string("—") :
                      std::to_string(int(score->second.good_rate() * 100 + 0.5)) + "%（" + std::to_string(score->second.total) + " 评）"));
  if (popup_ != Popup::None) draw_popup(c, s);
}

void Console::draw_popup(Canvas& c, const HallState& s) {
  const float u = c.u(), W = float(screen().width()), H = float(screen().height());
  c.fill({0, 0, W, H}, IM_COL32(0, 0, 0, 160));
  Rect box{W * 0.1f, H * 0.12f, W * 0.8f, H * 0.76f};
  c.fill(box, color::kPanel, 16 * u);
  bool transfer = popup_ == Popup::Transfer;
  c.text_in(Size::Title, {box.x + 30 * u, box.y + 10 * u, box.w, 70 * u}, color::kGold,
            transfer ? (transfer_to_.empty() ? "转移到哪个业务？" : transfer_window_ < 0 ? "转到哪个窗口？" : "转移原因？")
                     : "暂停原因？");
  std::vector<std::pair<std::string, std::string>> choices;  // id, label
  if (transfer && transfer_to_.empty()) {
    for (const auto& [code, cat] : s.categories) choices.push_back({"to_" + code, cat.prefix + " " + cat.name});
  } else if (transfer && transfer_window_ < 0) {
    choices.push_back({"win_any", "该业务任一窗口"});
    auto cat = s.categories.find(transfer_to_);
    if (cat != s.categories.end())
      for (int n : cat->second.windows)
        if (n != o_.window) choices.push_back({"win_" + std::to_string(n), std::to_string(n) + " 号窗口"});
  } else if (transfer) {
    for (const char* r : {"需补充材料", "业务不符", "需其他部门办理"}) choices.push_back({std::string("why_") + r, r});
  } else {
    for (const char* r : {"午休", "临时会议", "系统故障", "其他"}) choices.push_back({std::string("pause_") + r, r});
  }
  float bw = (box.w - 80 * u) / 3, bh = 80 * u;
  for (size_t i = 0; i < choices.size(); ++i) {
    Rect r{box.x + 20 * u + float(i % 3) * (bw + 20 * u), box.y + 100 * u + float(i / 3) * (bh + 16 * u), bw, bh};
    if (!touch_button(c, choices[i].first.c_str(), r, choices[i].second, {color::kTile, color::kText, Size::Body, 12}, !busy()))
      continue;
    const std::string& id = choices[i].first;
    if (id.rfind("to_", 0) == 0) {
      transfer_to_ = id.substr(3);
    } else if (id.rfind("win_", 0) == 0) {
      transfer_window_ = id == "win_any" ? 0 : std::stoi(id.substr(4));
    } else if (id.rfind("why_", 0) == 0) {
      json args{{"to_category", transfer_to_}, {"reason", choices[i].second}};
      if (transfer_window_ > 0) args["to_window"] = transfer_window_;
      send("transfer", args, "转移");
      popup_ = Popup::None;
    } else {
      send("pause_window", {{"reason", choices[i].second}}, "暂停");
      popup_ = Popup::None;
    }
  }
  if (touch_button(c, "cancel", {box.right() - 260 * u, box.bottom() - 100 * u, 230 * u, 80 * u}, "取消（Esc）",
                   {color::kPanelEdge, color::kText, Size::Body, 12}) ||
      key(SDL_SCANCODE_ESCAPE))
    popup_ = Popup::None;
}

}  // namespace hall::counter
