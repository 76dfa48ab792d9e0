// A hall's public page: the queues now, and (when web.remote allows it) a
// ticket taken from a phone. The hall server decides (remote_offer in
// shared/stats, take_remote_ticket); this page shows the same rule first,
// the late rule included, and sends the phone number only to the hall
// server's command socket, never to the bus.
#include <httplib.h>

#include "gateway/gateway.h"
#include "gateway/web.h"

namespace hall {

using nlohmann::json;
using web::answer;
using web::guard;

json Gateway::hall_offer() {
  const int64_t now = hall_now_ms();
  return mirror_.read([&](const HallState& s) {
    HallStats st = compute_stats(s, now);
    json cats = json::array();
    for (const QueueFigures& q : st.queues) {
      RemoteOffer o = remote_offer(s, q.code, now);
      cats.push_back({{"code", q.code}, {"name", q.name}, {"waiting", q.waiting}, {"open_windows", q.open_windows},
                      {"estimated_wait_ms", q.estimated_wait_ms}, {"remote", o.allowed}, {"why_not", o.why_not}, {"left", o.left()}});
    }
    // 预约: the categories that book and the days that can be booked, with the rules stated before booking.
    json booking{{"enabled", s.hall.appointments.enabled}, {"rules", s.hall.appointments}, {"categories", json::array()}, {"days", json::array()}};
    for (const auto& [code, cat] : s.categories)
      if (offers_appointments(s, code)) booking["categories"].push_back({{"code", code}, {"name", cat.name}});
    if (auto today = parse_day(s.hall.day); today && s.hall.appointments.enabled)
      for (int i = 0; i <= s.hall.appointments.days_ahead; ++i)
        if (s.calendar.is_working_day(*today + std::chrono::days{i})) booking["days"].push_back(format_day(*today + std::chrono::days{i}));
    return json{{"hall", {{"name", s.hall.name}, {"opens", s.hall.opens}, {"closes", s.hall.closes}, {"open", within_opening_hours(s, now)}}},
                {"booking", booking},
                {"remote", s.hall.remote_share > 0},
                {"stop_before_close_min", s.hall.remote_stop_min},
                {"categories", cats},
                {"stale", mirror_.stale()}};
  });
}

void Gateway::remote_routes() {
  httplib::Server& web = *public_;
  web.Get("/", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/hall"); });
  web.Get("/hall", [this](const httplib::Request&, httplib::Response& res) {
    guard(res);
    res.set_content(hall_page_, "text/html; charset=utf-8");
  });
  web.Get("/api/hall", [this](const httplib::Request&, httplib::Response& res) {
    if (!mirror_.synced()) return answer(res, 503, {{"error", "hall_unreachable"}});
    answer(res, 200, hall_offer());
  });
  // 预约 from the phone: the day's slots, a booking, its own page, a cancellation.
  web.Get("/api/slots", [this](const httplib::Request& req, httplib::Response& res) {
    Reply r = client_.call("slots", {{"category", req.get_param_value("category")}, {"day", req.get_param_value("day")}});
    if (!r.ok) return answer(res, r.code == err::kTimeout ? 503 : 404, {{"error", r.code}});
    answer(res, 200, r.result);
  });
  web.Post("/api/book", [this](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Content-Type").rfind("application/json", 0) != 0) return answer(res, 415, {{"error", "json_only"}});
    json b = json::parse(req.body, nullptr, false);
    if (!b.is_object()) return answer(res, 400, {{"error", "body"}});
    if (b.value("accepted_rule", false) != true) return answer(res, 400, {{"error", "rule_not_accepted"}});
    json args{{"channel", "web"}};
    for (const char* k : {"category", "day", "slot", "phone"}) {
      if (!b.contains(k) || !b[k].is_string()) return answer(res, 400, {{"error", k}});
      args[k] = b[k];
    }
    std::string key = req.get_header_value("Idempotency-Key");
    if (key.size() > 64) key.resize(64);
    Reply r = client_.call("book", args, key.empty() ? "" : "web-book-" + key);
    if (!r.ok) return answer(res, r.code == err::kInvalidArgument ? 400 : r.code == err::kTimeout ? 503 : 409, {{"error", r.code}, {"message", r.message}});
    const std::string code = r.result["booking"].value("code", "");
    answer(res, 200, {{"code", code}, {"link", "/b/" + code}});
  });
  web.Get(R"(/b/([0-9]{8}))", [this](const httplib::Request&, httplib::Response& res) {
    guard(res);
    res.set_content(booking_page_, "text/html; charset=utf-8");
  });
  // A booking's own page: what, when, the rule for arriving, and the materials from the item's 办事指南. Nothing about the person.
  web.Get(R"(/api/booking/([0-9]{8}))", [this](const httplib::Request& req, httplib::Response& res) {
    if (!mirror_.synced()) return answer(res, 503, {{"error", "hall_unreachable"}});
    const std::string code = req.matches[1];
    json out = mirror_.read([&](const HallState& s) -> json {
      auto it = s.bookings.find(code);
      if (it == s.bookings.end()) return nullptr;
      const Booking& bk = it->second;
      json j{{"code", bk.code}, {"day", bk.day}, {"slot", bk.slot}, {"state", bk.state}, {"hall", s.hall.name}, {"rules", s.hall.appointments},
             {"category", s.categories.count(bk.category) ? s.categories.at(bk.category).name : bk.category}, {"materials", json::array()}};
      auto item = s.items.find(bk.item);
      if (item != s.items.end()) {
        j["item"] = item->second.name;
        j["where"] = item->second.where;
        for (const auto& m : item->second.materials) j["materials"].push_back({{"name", m.name}, {"form", m.form}, {"copies", m.copies}});
      }
      return j;
    });
    if (out.is_null()) return answer(res, 404, {{"error", "unknown_booking"}});
    answer(res, 200, out);
  });
  web.Post(R"(/api/booking/([0-9]{8})/cancel)", [this](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Content-Type").rfind("application/json", 0) != 0) return answer(res, 415, {{"error", "json_only"}});
    json b = json::parse(req.body, nullptr, false);
    if (!b.is_object() || !b.contains("phone") || !b["phone"].is_string()) return answer(res, 400, {{"error", "phone"}});
    const std::string code = req.matches[1];
    Reply r = client_.call("cancel_booking", {{"code", code}, {"phone", b["phone"]}}, "web-cancel-" + code + "-" + b["phone"].get<std::string>());
    if (!r.ok) return answer(res, r.code == err::kUnknownBooking ? 404 : r.code == err::kInvalidArgument ? 400 : r.code == err::kTimeout ? 503 : 409,
                             {{"error", r.code}});
    answer(res, 200, {{"cancelled", true}});
  });
  // JSON only (a cross-site form cannot send it); the page names each try
  // (Idempotency-Key), so a tap retried after a lost answer takes one ticket.
  web.Post("/api/remote_ticket", [this](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Content-Type").rfind("application/json", 0) != 0) return answer(res, 415, {{"error", "json_only"}});
    json b = json::parse(req.body, nullptr, false);
    if (!b.is_object() || !b.contains("category") || !b["category"].is_string()) return answer(res, 400, {{"error", "category"}});
    if (!b.contains("phone") || !b["phone"].is_string()) return answer(res, 400, {{"error", "phone"}});
    if (b.value("accepted_rule", false) != true) return answer(res, 400, {{"error", "rule_not_accepted"}});
    std::string key = req.get_header_value("Idempotency-Key");
    if (key.size() > 64) key.resize(64);
    Reply r = client_.call("take_remote_ticket", {{"category", b["category"]}, {"phone", b["phone"]}}, key.empty() ? "" : "web-remote-" + key);
    if (!r.ok) {
      const int status = r.code == err::kInvalidArgument ? 400 : r.code == err::kUnknownCategory ? 404 : r.code == err::kTimeout ? 503 : 409;
      std::string why = r.code == err::kRemoteRefused ? r.message.substr(0, r.message.find(':')) : "";
      return answer(res, status, {{"error", r.code}, {"why_not", why}});
    }
    const std::string token = r.result.value("token", "");
    answer(res, 200, {{"number", r.result["ticket"].value("number", "")}, {"link", "/t/" + token}, {"ahead", r.result.value("ahead", 0)},
                      {"estimated_wait_ms", r.result.value("estimated_wait_ms", -1)}});
  });
}

}  // namespace hall
