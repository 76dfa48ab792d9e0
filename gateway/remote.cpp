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
    return json{{"hall", {{"name", s.hall.name}, {"opens", s.hall.opens}, {"closes", s.hall.closes}, {"open", within_opening_hours(s, now)}}},
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
