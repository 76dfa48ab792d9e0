// The hall manager's console on the staff address: sign-in, the live hall,
// 差评 follow-ups, complaints, announcements, screens, users. Every change
// goes to the hall server as the command any client would send (with an
// idempotency key from the page, so a retried click acts once); the
// console only decides who may send it. docs/WEB.md lists the routes.
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "gateway/gateway.h"
#include "gateway/report.h"
#include "gateway/web.h"
#include "shared/base64.h"

namespace hall {

using nlohmann::json;
using web::answer;
using web::guard;

namespace {

constexpr const char* kCookie = "hall_console";

std::string cookie_value(const httplib::Request& req, const std::string& name) {
  const std::string header = req.get_header_value("Cookie");
  size_t at = 0;
  while (at < header.size()) {
    size_t end = header.find(';', at);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(at, end - at);
    while (!part.empty() && part.front() == ' ') part.erase(0, 1);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    at = end + 1;
  }
  return "";
}

bool is_json(const httplib::Request& req) { return req.get_header_value("Content-Type").rfind("application/json", 0) == 0; }

// A request from a page of another site carries its own Origin; a
// same-origin fetch carries ours (or none, from older browsers, which
// SameSite=Strict and the CSRF header still stop).
bool same_origin(const httplib::Request& req) {
  const std::string origin = req.get_header_value("Origin");
  if (origin.empty()) return true;
  const std::string host = req.get_header_value("Host");
  return origin == "http://" + host || origin == "https://" + host;
}

json body_of(const httplib::Request& req) {
  json j = json::parse(req.body, nullptr, false);
  return j.is_object() ? j : json();
}

int status_of(const Reply& r) {
  if (r.ok) return 200;
  if (r.code == err::kForbidden) return 403;
  if (r.code == err::kTimeout) return 503;
  if (r.code == err::kInvalidArgument || r.code == err::kMalformed) return 400;
  if (r.code.rfind("unknown_", 0) == 0) return 404;
  return 409;  // bad_transition and the like: the state does not allow it now
}

json public_user(const ConsoleUser& u) { return {{"name", u.name}, {"display", u.display}, {"role", u.role}}; }

}  // namespace

int64_t Gateway::hall_now_ms() {
  {
    std::lock_guard lock(view_mutex_);
    if (clock_known_ && wall_ms() - clock_read_ms_ < 60'000) return clock_.now_ms();
  }
  Reply ping = client_.call("ping");  // the hall's own time: a demo hall may run at 60×
  std::lock_guard lock(view_mutex_);
  if (ping.ok) {
    clock_ = HallClock(ping.result.value("now_ms", wall_ms()), ping.result.value("speed", 1.0));
    clock_known_ = true;
    clock_read_ms_ = wall_ms();
  }
  return clock_.now_ms();
}

std::optional<ConsoleSession> Gateway::signed_in(const httplib::Request& req, httplib::Response& res, Need need) {
  auto s = sessions_.touch(cookie_value(req, kCookie), wall_ms());
  if (!s) {
    answer(res, 401, {{"error", "signed_out"}});
    return std::nullopt;
  }
  if (need == Need::Read) return s;
  if (need == Need::Act) {
    if (!is_json(req)) {
      answer(res, 415, {{"error", "json_only"}});
      return std::nullopt;
    }
    if (!same_origin(req) || req.get_header_value("X-CSRF-Token") != s->csrf) {
      answer(res, 403, {{"error", "cross_site"}});
      return std::nullopt;
    }
  }
  if (s->role != "manager") {  // a leader sees; only a manager acts or reads a citizen's number
    answer(res, 403, {{"error", "forbidden"}, {"role", s->role}});
    return std::nullopt;
  }
  return s;
}

void Gateway::act(const httplib::Request& req, httplib::Response& res, const ConsoleSession& s, const std::string& cmd, json args) {
  // The page names each click once (Idempotency-Key), so a click retried after a lost answer acts once.
  std::string key = req.get_header_value("Idempotency-Key");
  if (key.size() > 64) key.resize(64);
  Reply r = client_.call(cmd, args, key.empty() ? "" : "console-" + s.name + "-" + key);
  if (r.ok) return answer(res, 200, r.result);
  answer(res, status_of(r), {{"error", r.code}, {"message", r.message}});
}

json Gateway::make_console_view() {
  const int64_t now = hall_now_ms();
  const bool stale = mirror_.stale();
  return mirror_.read([&](const HallState& s) {
    HallStats st = compute_stats(s, now);
    json v;
    v["hall"] = {{"id", s.hall.id}, {"name", s.hall.name}, {"day", s.hall.day}, {"opens", s.hall.opens}, {"closes", s.hall.closes},
                 {"now_ms", now}, {"stale", stale}, {"seq", s.seq}};
    const TodayCounts& t = st.today;
    v["today"] = {{"issued", t.issued},         {"waiting", t.waiting},         {"in_service", t.in_service},
                  {"served", t.served},         {"no_show", t.no_show},         {"ratings", t.ratings},
                  {"bad_ratings", t.bad_ratings}, {"mean_wait_ms", t.mean_wait_ms}, {"good_rate_today", st.hall_today.good_rate()},
                  {"good_rate_month", st.hall_month.good_rate()}, {"ratings_month", st.hall_month.total}};
    json windows = json::array();
    for (const auto& [n, w] : s.windows) {
      json j{{"number", n}, {"name", w.name}, {"department", w.department}, {"state", w.state}, {"pause_reason", w.pause_reason},
             {"staff", w.staff_id}, {"staff_name", ""}, {"ticket", ""}, {"ticket_state", ""}, {"since_ms", 0}};
      if (auto it = s.staff.find(w.staff_id); it != s.staff.end()) j["staff_name"] = it->second.name;
      if (auto it = s.tickets.find(w.ticket); it != s.tickets.end()) {
        j["ticket"] = it->second.number;
        j["ticket_state"] = it->second.state;
        j["since_ms"] = it->second.state == TicketState::Serving ? it->second.serving_ms : it->second.called_ms;
      }
      windows.push_back(j);
    }
    v["windows"] = windows;
    json queues = json::array();
    // Each category's waiting 预约 tickets with their slot, so a manager sees the lane's promise coming due.
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> booked;  // category → (slot, ticket number)
    for (const auto& [key, t] : s.tickets) {
      if (t.day != s.hall.day || t.state != TicketState::Waiting || t.booking.empty()) continue;
      if (auto b = s.bookings.find(t.booking); b != s.bookings.end()) booked[t.category].emplace_back(b->second.slot, t.number);
    }
    for (const QueueFigures& q : st.queues) {
      json appointments = json::array();
      auto& mine = booked[q.code];
      std::sort(mine.begin(), mine.end());
      for (const auto& [slot, number] : mine) appointments.push_back({{"slot", slot}, {"ticket", number}});
      queues.push_back({{"code", q.code}, {"name", q.name}, {"prefix", q.prefix}, {"waiting", q.waiting}, {"open_windows", q.open_windows},
                        {"mean_wait_ms", q.mean_wait_ms}, {"p90_wait_ms", q.p90_wait_ms}, {"estimated_wait_ms", q.estimated_wait_ms},
                        {"appointments", appointments}});
    }
    v["queues"] = queues;
    json calls = json::array();
    for (size_t i = 0; i < s.calls.size() && i < 12; ++i) calls.push_back(s.calls[i]);
    v["calls"] = calls;
    json alerts = json::array();
    for (const HallAlert& a : hall_alerts(s, st, now))
      alerts.push_back({{"kind", a.kind}, {"text", a.text}, {"severe", a.severe}, {"subject", a.subject}});
    v["alerts"] = alerts;
    json helps = json::array();  // 帮办 still to answer: the alert's buttons act on them
    for (const auto& [id, h] : s.helps)
      if (h.state == HelpState::Open || h.state == HelpState::Taken) helps.push_back(h);
    v["helps"] = helps;
    // 差评 follow-ups: open ones by urgency then due day, then the closed (newest first, the last 50).
    json open = json::array(), closed = json::array();
    std::vector<const FollowUp*> order;
    for (const auto& [key, f] : s.followups) order.push_back(&f);
    auto rank = [&](const FollowUp* f) {
      FollowUpUrgency u = followup_urgency(*f, s, st.day);
      return u == FollowUpUrgency::Overdue ? 0 : u == FollowUpUrgency::DueSoon ? 1 : 2;
    };
    std::stable_sort(order.begin(), order.end(), [&](const FollowUp* a, const FollowUp* b) {
      return std::pair(rank(a), a->due_day) < std::pair(rank(b), b->due_day);
    });
    for (const FollowUp* f : order) {
      json j = *f;
      FollowUpUrgency u = followup_urgency(*f, s, st.day);
      j["urgency"] = u == FollowUpUrgency::Overdue ? "overdue" : u == FollowUpUrgency::DueSoon ? "due_soon" : "";
      j["state_name"] = followup_state_name(f->state);
      if (auto r = s.ratings.find(f->key); r != s.ratings.end()) {
        j["level"] = r->second.level;
        j["reasons"] = r->second.reasons;
        j["comment"] = r->second.comment;
        j["channel"] = r->second.channel;
        j["rated_day"] = r->second.day;
        if (auto tk = s.tickets.find(r->second.ticket); tk != s.tickets.end()) j["ticket"] = tk->second.number;
      }
      if (auto it = s.staff.find(f->staff_id); it != s.staff.end()) j["staff_name"] = it->second.name;
      (f->state == FollowUpState::Closed ? closed : open).push_back(j);
    }
    std::reverse(closed.begin(), closed.end());
    if (closed.size() > 50) closed.erase(closed.begin() + 50, closed.end());
    v["followups"] = {{"open", open}, {"closed", closed}};
    v["followup_figures"] = {{"bad_total", st.followups.bad_total}, {"open", st.followups.open},     {"closed", st.followups.closed},
                             {"overdue", st.followups.overdue},     {"due_soon", st.followups.due_soon}, {"closed_rate", st.followups.closed_rate}};
    json complaints = json::array();
    std::vector<const Complaint*> cs;
    for (const auto& [id, c] : s.complaints) cs.push_back(&c);
    std::stable_sort(cs.begin(), cs.end(), [](const Complaint* a, const Complaint* b) {
      return std::pair(a->state != ComplaintState::Open, -a->at_ms) < std::pair(b->state != ComplaintState::Open, -b->at_ms);
    });
    for (const Complaint* c : cs) {
      json j = *c;  // the masked number only: the whole one is asked for, by a manager, one at a time
      if (auto it = s.categories.find(c->category); it != s.categories.end()) j["category_name"] = it->second.name;
      complaints.push_back(j);
      if (complaints.size() >= 200) break;
    }
    v["complaints"] = complaints;
    json announcements = json::array();
    for (const auto& [id, a] : s.announcements) announcements.push_back(a);
    v["announcements"] = announcements;
    // 预约 of today by slot, each with its ticket once checked in (the code stays off the console: it is the citizen's key).
    std::vector<const Booking*> today;
    for (const auto& [code, b] : s.bookings)
      if (b.day == s.hall.day) today.push_back(&b);
    std::sort(today.begin(), today.end(), [](const Booking* a, const Booking* b) { return std::pair(a->slot, a->booked_ms) < std::pair(b->slot, b->booked_ms); });
    json bookings = json::array();
    for (const Booking* b : today) {
      json j{{"slot", b->slot}, {"category", b->category}, {"state", b->state}, {"late", b->late}, {"ticket", ""}, {"ticket_state", ""},
             {"category_name", s.categories.count(b->category) ? s.categories.at(b->category).name : b->category}};
      if (auto t = s.tickets.find(b->ticket); t != s.tickets.end()) j["ticket"] = t->second.number, j["ticket_state"] = t->second.state;
      bookings.push_back(j);
    }
    v["bookings"] = bookings;
    v["appointments"] = s.hall.appointments.enabled;
    json devices = json::array();
    for (const auto& [id, d] : s.devices) devices.push_back(d);
    v["devices"] = devices;
    return v;
  });
}

bool Gateway::wait_hall(std::chrono::milliseconds most, const std::function<bool(const HallState&)>& ready) {
  const auto deadline = std::chrono::steady_clock::now() + most;
  for (;;) {
    uint64_t seen;
    {
      std::lock_guard lock(mutex_);
      seen = version_;
    }
    if (mirror_.read([&](const HallState& st) { return ready(st); })) return true;
    std::unique_lock lock(mutex_);
    if (!changed_.wait_until(lock, deadline, [&] { return stopping_ || version_ != seen; }) || stopping_) return false;
  }
}

std::shared_ptr<const std::string> Gateway::console_view() {
  uint64_t version;
  {
    std::lock_guard lock(mutex_);
    version = version_;
  }
  std::lock_guard lock(build_mutex_);  // one builder; the others take its result
  {
    std::lock_guard vlock(view_mutex_);
    if (view_ && view_version_ == version) return view_;
  }
  auto view = std::make_shared<const std::string>(make_console_view().dump());
  std::lock_guard vlock(view_mutex_);
  view_ = view;
  view_version_ = version;
  return view;
}

void Gateway::console_routes() {
  httplib::Server& web = *staff_;
  web.new_task_queue = [] { return new httplib::ThreadPool(64); };
  web.set_mount_point("/web", o_.assets + "/web");
  web.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.has_header("Content-Security-Policy")) guard(res);
  });
  web.Get("/", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/console"); });
  web.Get("/console", [this](const httplib::Request&, httplib::Response& res) {
    guard(res);
    res.set_content(console_page_, "text/html; charset=utf-8");  // the page asks /console/api/me who is signed in
  });

  web.Post("/console/api/sign_in", [this](const httplib::Request& req, httplib::Response& res) {
    if (!is_json(req)) return answer(res, 415, {{"error", "json_only"}});
    if (!same_origin(req)) return answer(res, 403, {{"error", "cross_site"}});
    json b = body_of(req);
    const std::string name = b.is_object() ? b.value("name", "") : "";
    const std::string password = b.is_object() ? b.value("password", "") : "";
    const int64_t now = wall_ms();
    if (int64_t wait = lockout_.locked_for_s(name, req.remote_addr, now))
      return answer(res, 429, {{"error", "locked"}, {"retry_after_s", wait}});
    auto user = users_.find(name);
    bool good;
    {
      std::lock_guard lock(hashing_);
      // An unknown name costs the same check, so the time does not tell which names exist.
      static const std::string decoy = hash_password(random_hex(16));
      good = check_password(user ? user->hash : decoy, password) && user;
    }
    if (!good) {
      lockout_.failed(name, req.remote_addr, now);
      if (int64_t wait = lockout_.locked_for_s(name, req.remote_addr, now))
        return answer(res, 429, {{"error", "locked"}, {"retry_after_s", wait}});
      return answer(res, 401, {{"error", "wrong_name_or_password"}});
    }
    lockout_.succeeded(name);
    ConsoleSession s = sessions_.open(*user, now);
    res.set_header("Set-Cookie", std::string(kCookie) + "=" + s.id + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200" +
                                     (o_.secure_cookies ? "; Secure" : ""));
    answer(res, 200, {{"name", s.name}, {"display", s.display}, {"role", s.role}, {"csrf", s.csrf}});
  });
  web.Post("/console/api/sign_out", [this](const httplib::Request& req, httplib::Response& res) {
    auto s = signed_in(req, res, Need::Read);
    if (!s) return;
    if (!is_json(req) || !same_origin(req) || req.get_header_value("X-CSRF-Token") != s->csrf)
      return answer(res, 403, {{"error", "cross_site"}});
    sessions_.close(s->id);
    res.set_header("Set-Cookie", std::string(kCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    answer(res, 200, {{"signed_out", true}});
  });
  web.Get("/console/api/me", [this](const httplib::Request& req, httplib::Response& res) {
    auto s = signed_in(req, res, Need::Read);
    if (s) answer(res, 200, {{"name", s->name}, {"display", s->display}, {"role", s->role}, {"csrf", s->csrf}});
  });

  web.Get("/console/api/view", [this](const httplib::Request& req, httplib::Response& res) {
    if (!signed_in(req, res, Need::Read)) return;
    if (!mirror_.synced()) return answer(res, 503, {{"error", "hall_unreachable"}});
    guard(res);
    res.set_content(*console_view(), "application/json; charset=utf-8");
  });
  // The same view, live: one event per change of the hall, at most every 200 ms, a comment now and then.
  web.Get("/console/api/events", [this](const httplib::Request& req, httplib::Response& res) {
    auto s = signed_in(req, res, Need::Read);
    if (!s) return;
    guard(res);
    res.set_header("X-Accel-Buffering", "no");
    ++console_streams_;
    auto seen = std::make_shared<uint64_t>(UINT64_MAX);
    const std::string session = s->id;
    res.set_chunked_content_provider(
        "text/event-stream",
        [this, seen, session](size_t, httplib::DataSink& sink) {
          if (!sessions_.touch(session, wall_ms())) {  // signed out or timed out: the stream ends with the session
            static const std::string bye = "event: signed_out\ndata: {}\n\n";
            sink.write(bye.data(), bye.size());
            return false;
          }
          std::unique_lock lock(mutex_);
          const bool moved =
              changed_.wait_for(lock, std::chrono::seconds(o_.keepalive_s), [&] { return stopping_ || version_ != *seen; });
          if (stopping_) return false;
          if (!moved) {
            lock.unlock();
            static const std::string ping = ": still here\n\n";
            return sink.write(ping.data(), ping.size());
          }
          *seen = version_;
          lock.unlock();
          if (!mirror_.synced()) return true;
          const std::string event = "event: view\ndata: " + *console_view() + "\n\n";
          return sink.write(event.data(), event.size());
        },
        [this](bool) { --console_streams_; });
  });

  // 差评 follow-up: one step on (or to a named state), with the manager's note.
  web.Post("/console/api/followups/advance", [this](const httplib::Request& req, httplib::Response& res) {
    auto s = signed_in(req, res, Need::Act);
    if (!s) return;
    json b = body_of(req);
    if (!b.is_object() || !b.contains("rating") || !b["rating"].is_string()) return answer(res, 400, {{"error", "rating"}});
    json args{{"rating", b["rating"]}};
    if (b.contains("to") && b["to"].is_string() && !b["to"].get<std::string>().empty()) args["to"] = b["to"];
    std::string note = b.value("note", "");
    args["note"] = s->display + "：" + note;  // who did it stays with the step
    act(req, res, *s, "advance_followup", args);
  });
  web.Post("/console/api/complaints/answer", [this](const httplib::Request& req, httplib::Response& res) {
    auto s = signed_in(req, res, Need::Act);
    if (!s) return;
    json b = body_of(req);
    if (!b.is_object() || !b.contains("id") || !b["id"].is_string()) return answer(res, 400, {{"error", "id"}});
    if (!b.contains("answer") || !b["answer"].is_string() || b["answer"].get<std::string>().empty())
      return answer(res, 400, {{"error", "answer"}, {"message", "an answer needs its text"}});
    act(req, res, *s, "answer_complaint", {{"id", b["id"]}, {"answer", b["answer"]}});
  });
  // The whole phone number a complaint left: personal data, for a manager, one at a time.
  web.Get(R"(/console/api/complaints/([0-9A-Za-z_-]{1,40})/contact)", [this](const httplib::Request& req, httplib::Response& res) {
    if (!signed_in(req, res, Need::Personal)) return;
    Reply r = client_.call("contact", {{"complaint", std::string(req.matches[1])}});
    if (!r.ok) return answer(res, status_of(r), {{"error", r.code}});
    answer(res, 200, r.result);
  });
  web.Post("/console/api/announcements", [this](const httplib::Request& req, httplib::Response& res) {
    auto s = signed_in(req, res, Need::Act);
    if (!s) return;
    json b = body_of(req);
    if (!b.is_object() || !b.contains("text") || !b["text"].is_string() || b["text"].get<std::string>().empty())
      return answer(res, 400, {{"error", "text"}, {"message", "an announcement needs its text"}});
    json args{{"text", b["text"]}};
    if (b.contains("hours")) {
      if (!b["hours"].is_number() || b["hours"].get<double>() <= 0 || b["hours"].get<double>() > 24 * 366)
        return answer(res, 400, {{"error", "hours"}, {"message", "hours: more than 0, at most a year"}});
      args["until_ms"] = hall_now_ms() + int64_t(b["hours"].get<double>() * 3600'000);
    }
    act(req, res, *s, "post_announcement", args);
  });
  web.Post("/console/api/announcements/remove", [this](const httplib::Request& req, httplib::Response& res) {
    auto s = signed_in(req, res, Need::Act);
    if (!s) return;
    json b = body_of(req);
    if (!b.is_object() || !b.contains("id") || !b["id"].is_string()) return answer(res, 400, {{"error", "id"}});
    act(req, res, *s, "remove_announcement", {{"id", b["id"]}});
  });

  // 帮办: the manager (or anyone at the console who may act) goes to the
  // kiosk, or marks the citizen helped; the kiosk shows who is coming.
  web.Post("/console/api/help", [this](const httplib::Request& req, httplib::Response& res) {
    auto s = signed_in(req, res, Need::Act);
    if (!s) return;
    json b = body_of(req);
    if (!b.is_object() || !b.contains("id") || !b["id"].is_string()) return answer(res, 400, {{"error", "id"}});
    const std::string action = b.contains("action") && b["action"].is_string() ? b["action"].get<std::string>() : "";
    if (action != "take" && action != "close") return answer(res, 400, {{"error", "action"}, {"message", "action: take or close"}});
    act(req, res, *s, action == "take" ? "take_help" : "close_help", {{"id", b["id"]}, {"by", s->display.empty() ? s->name : s->display}});
  });

  // A picture of what one screen shows now: the ask goes on the bus, the
  // screen sends it to the hall server, the answer waits (10 s at most) for
  // the mirror to show it arrived.
  web.Post("/console/api/devices/screenshot", [this](const httplib::Request& req, httplib::Response& res) {
    auto s = signed_in(req, res, Need::Act);
    if (!s) return;
    json b = body_of(req);
    if (!b.is_object() || !b.contains("device") || !b["device"].is_string()) return answer(res, 400, {{"error", "device"}});
    const std::string id = b["device"];
    Reply r = client_.call("request_screenshot", {{"device", id}});
    if (!r.ok) return answer(res, status_of(r), {{"error", r.code}, {"message", r.message}});
    const int64_t asked = r.result["device"].value("screenshot_asked_ms", int64_t(0));
    int64_t at = 0;
    const bool came = wait_hall(std::chrono::seconds(10), [&](const HallState& st) {
      auto it = st.devices.find(id);
      if (it == st.devices.end() || it->second.screenshot_ms < asked) return false;
      at = it->second.screenshot_ms;
      return true;
    });
    if (!came) return answer(res, 504, {{"error", "no_picture"}, {"message", "the screen sent no picture within 10 s"}});
    answer(res, 200, {{"device", id}, {"at_ms", at}});
  });
  // What a screen shows may include what a citizen types: the manager role only.
  web.Get(R"(/console/api/devices/([^/]{1,64})/screenshot\.png)", [this](const httplib::Request& req, httplib::Response& res) {
    if (!signed_in(req, res, Need::Personal)) return;
    Reply r = client_.call("screenshot", {{"device", std::string(req.matches[1])}});
    if (!r.ok) return answer(res, status_of(r), {{"error", r.code}, {"message", r.message}});
    std::optional<std::string> png = from_base64(r.result.value("png", ""));
    if (!png) return answer(res, 502, {{"error", "bad_picture"}});
    guard(res);
    res.set_header("Cache-Control", "private, no-store");
    res.set_content(std::move(*png), "image/png");
  });

  // The report of any range of days, as a printable page, CSV or Excel; leaders may read it.
  web.Get("/console/report", [this](const httplib::Request& req, httplib::Response& res) {
    if (!signed_in(req, res, Need::Read)) return;
    if (!mirror_.synced()) return answer(res, 503, {{"error", "hall_unreachable"}});
    const std::string format = req.has_param("format") ? req.get_param_value("format") : "html";
    const std::string lang = req.get_param_value("lang") == "en" ? "en" : "zh-CN";
    if (format != "html" && format != "csv" && format != "xlsx")
      return answer(res, 400, {{"error", "format"}, {"message", "format: html, csv or xlsx, not '" + format + "'"}});
    const std::string from = req.get_param_value("from"), to = req.get_param_value("to");
    const int64_t now = hall_now_ms();
    std::string hall_id;
    ReportBook book;
    try {
      book = mirror_.read([&](const HallState& st) {
        hall_id = st.hall.id;
        return report_book(hall_report(st, from, to, now), st, report_words_[lang]);
      });
    } catch (const std::invalid_argument& e) {
      return answer(res, 400, {{"error", "range"}, {"message", e.what()}});
    }
    guard(res);
    const std::string file = "report-" + hall_id + "-" + from + "-" + to;
    if (format == "html") return res.set_content(report_html(book, lang, "from=" + from + "&to=" + to + "&lang=" + lang), "text/html; charset=utf-8");
    res.set_header("Content-Disposition", "attachment; filename=\"" + file + "." + format + "\"");
    if (format == "csv") return res.set_content(report_csv(book), "text/csv; charset=utf-8");
    try {
      res.set_content(report_xlsx(book), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    } catch (const std::exception& e) {
      res.headers.erase("Content-Disposition");
      answer(res, 507, {{"error", "storage_failed"}, {"message", e.what()}});
    }
  });

  // Users of the console, managed by a manager; the file is rewritten whole.
  web.Get("/console/api/users", [this](const httplib::Request& req, httplib::Response& res) {
    if (!signed_in(req, res, Need::Personal)) return;
    json list = json::array();
    for (const ConsoleUser& u : users_.list()) list.push_back(public_user(u));
    answer(res, 200, {{"users", list}});
  });
  web.Post("/console/api/users", [this](const httplib::Request& req, httplib::Response& res) {
    auto s = signed_in(req, res, Need::Act);
    if (!s) return;
    json b = body_of(req);
    if (!b.is_object()) return answer(res, 400, {{"error", "body"}});
    ConsoleUser u{b.value("name", ""), b.value("display", ""), b.value("role", ""), ""};
    if (auto p = user_problem(u); !p.empty()) return answer(res, 400, {{"error", "user"}, {"message", p}});
    const std::string password = b.value("password", "");
    if (auto p = password_problem(password); !p.empty()) return answer(res, 400, {{"error", "password"}, {"message", p}});
    if (auto old = users_.find(u.name); old && old->role == "manager" && u.role != "manager" && users_.managers() == 1)
      return answer(res, 409, {{"error", "last_manager"}, {"message", "the last manager cannot become a leader"}});
    {
      std::lock_guard lock(hashing_);
      u.hash = hash_password(password);
    }
    try {
      users_.put(u);
    } catch (const std::exception& e) {
      return answer(res, 507, {{"error", "storage_failed"}, {"message", e.what()}});
    }
    if (u.name != s->name) sessions_.close_user(u.name);  // a new password or role: their old sessions end
    answer(res, 200, {{"user", public_user(u)}});
  });
  web.Post("/console/api/users/remove", [this](const httplib::Request& req, httplib::Response& res) {
    auto s = signed_in(req, res, Need::Act);
    if (!s) return;
    json b = body_of(req);
    const std::string name = b.is_object() ? b.value("name", "") : "";
    auto u = users_.find(name);
    if (!u) return answer(res, 404, {{"error", "unknown_user"}});
    if (name == s->name) return answer(res, 409, {{"error", "self"}, {"message", "a manager cannot remove themselves"}});
    try {
      users_.remove(name);
    } catch (const std::exception& e) {
      return answer(res, 507, {{"error", "storage_failed"}, {"message", e.what()}});
    }
    sessions_.close_user(name);
    answer(res, 200, {{"removed", name}});
  });
}

}  // namespace hall
