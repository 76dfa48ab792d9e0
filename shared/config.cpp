#include "shared/config.h"
#include "shared/curve.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <tuple>
#include <sstream>

namespace hall {

namespace fs = std::filesystem;

json read_json_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path + ": cannot open the file");
  std::stringstream text;
  text << in.rdbuf();
  try {
    return json::parse(text.str());
  } catch (const json::parse_error& e) {
    throw ConfigError(path + ": not valid JSON: " + e.what());
  }
}

namespace {

// Reads typed values out of one JSON object, naming file and key on failure.
using Reader = ConfigReader;

bool valid_hhmm(const std::string& s) {
  unsigned h = 0, m = 0;
  char tail = 0;
  return s.size() == 5 && std::sscanf(s.c_str(), "%2u:%2u%c", &h, &m, &tail) == 2 && h < 24 && m < 60;
}

std::string resolve(const std::string& base_file, const std::string& path) {
  if (path.empty() || fs::path(path).is_absolute()) return path;
  return (fs::path(base_file).parent_path() / path).lexically_normal().string();
}

}  // namespace

WorkCalendar load_calendar(const std::string& path) {
  try {
    return WorkCalendar::from_json(read_json_file(path));
  } catch (const std::runtime_error& e) {
    std::string what = e.what();
    throw ConfigError(what.rfind(path, 0) == 0 ? what : path + ": " + what);
  }
}

std::vector<ServiceItem> load_catalogue(const std::string& path) {
  json j = read_json_file(path);
  Reader top(path, j, "");
  std::vector<ServiceItem> items;
  std::set<std::string> codes;
  const json& list = top.list("items");
  for (size_t i = 0; i < list.size(); ++i) {
    Reader r(path, list[i], "items[" + std::to_string(i) + "]");
    ServiceItem item;
    try {
      item = list[i].get<ServiceItem>();
    } catch (const json::exception& e) {
      r.fail("", std::string("has a field of the wrong type: ") + e.what());
    }
    if (item.code.empty()) r.fail("code", "is missing");
    if (item.name.empty()) r.fail("name", "is missing");
    if (item.department.empty()) r.fail("department", "is missing");
    if (!codes.insert(item.code).second) r.fail("code", "'" + item.code + "' is used twice");
    if (item.legal_days < 0) r.fail("legal_days", "must not be negative");
    if (item.promised_days < 0) r.fail("promised_days", "must not be negative");
    if (item.promised_days > item.legal_days)
      r.fail("promised_days", "is " + std::to_string(item.promised_days) + ", above the legal limit of " +
                                  std::to_string(item.legal_days));
    items.push_back(std::move(item));
  }
  return items;
}

std::vector<Policy> load_policies(const std::string& path) {
  json j = read_json_file(path);
  Reader top(path, j, "");
  std::vector<Policy> policies;
  std::set<std::string> ids;
  const json& list = top.list("policies");
  for (size_t i = 0; i < list.size(); ++i) {
    Reader r(path, list[i], "policies[" + std::to_string(i) + "]");
    Policy p;
    try {
      p = list[i].get<Policy>();
    } catch (const json::exception& e) {
      r.fail("", std::string("has a field of the wrong type: ") + e.what());
    }
    if (p.id.empty()) r.fail("id", "is missing");
    if (p.title.empty()) r.fail("title", "is missing");
    if (!ids.insert(p.id).second) r.fail("id", "'" + p.id + "' is used twice");
    if (!p.deadline.empty() && !parse_day(p.deadline)) r.fail("deadline", "must be YYYY-MM-DD or left out");
    policies.push_back(std::move(p));
  }
  return policies;
}

HallConfig load_hall_config(const std::string& path) {
  json j = read_json_file(path);
  Reader top(path, j, "");
  HallConfig c;
  c.file = path;

  Reader h(path, j.contains("hall") ? j["hall"] : json(), "hall");
  c.hall.id = h.text("id");
  c.hall.name = h.text("name");
  c.hall.opens = h.get<std::string>("opens", c.hall.opens);
  c.hall.closes = h.get<std::string>("closes", c.hall.closes);
  if (!valid_hhmm(c.hall.opens)) h.fail("opens", "must be HH:MM, got '" + c.hall.opens + "'");
  if (!valid_hhmm(c.hall.closes)) h.fail("closes", "must be HH:MM, got '" + c.hall.closes + "'");
  if (c.hall.closes <= c.hall.opens) h.fail("closes", "must be after 'opens'");
  c.hall.utc_offset_minutes = h.get<int>("utc_offset_minutes", 480);
  if (c.hall.utc_offset_minutes < -720 || c.hall.utc_offset_minutes > 840) h.fail("utc_offset_minutes", "must be within -720..840");
  c.hall.followup_working_days = h.get<int>("followup_working_days", 5);
  if (c.hall.followup_working_days < 1 || c.hall.followup_working_days > 60)
    h.fail("followup_working_days", "must be 1..60 working days (local rules say 5 or 15)");
  if (j.contains("devices")) {
    Reader d(path, j["devices"], "devices");
    c.hall.device_silent_after_s = d.get<int>("silent_after_s", c.hall.device_silent_after_s);
    if (c.hall.device_silent_after_s < 3 || c.hall.device_silent_after_s > 3600)
      d.fail("silent_after_s", "must be 3..3600 seconds, got " + std::to_string(c.hall.device_silent_after_s));
  }

  if (j.contains("appointments")) {  // 预约: booked slots; docs/PROTOCOL.md "Appointments"
    Reader a(path, j["appointments"], "appointments");
    a.only({"days_ahead", "slot_minutes", "walk_in_share", "early_minutes", "late_minutes", "cancel_before_minutes", "release_before_minutes",
            "no_show_limit", "no_show_days", "cool_down_days", "promise_minutes", "note"});
    AppointmentRules& r = c.hall.appointments;
    r.enabled = true;
    auto whole = [&](const char* key, int& into, int lo, int hi) {
      into = a.get<int>(key, into);
      if (into < lo || into > hi) a.fail(key, "must be " + std::to_string(lo) + ".." + std::to_string(hi) + ", got " + std::to_string(into));
    };
    whole("days_ahead", r.days_ahead, 0, 60);
    whole("slot_minutes", r.slot_minutes, 10, 240);
    whole("early_minutes", r.early_minutes, 0, 120);
    whole("late_minutes", r.late_minutes, 0, 120);
    whole("cancel_before_minutes", r.cancel_before_minutes, 0, 7 * 24 * 60);
    whole("release_before_minutes", r.release_before_minutes, 0, 24 * 60);
    whole("no_show_limit", r.no_show_limit, 1, 100);
    whole("no_show_days", r.no_show_days, 1, 366);
    whole("cool_down_days", r.cool_down_days, 0, 366);
    whole("promise_minutes", r.promise_minutes, 1, 240);
    r.walk_in_share = a.get<double>("walk_in_share", r.walk_in_share);
    if (!(r.walk_in_share >= 0.2 && r.walk_in_share < 1))
      a.fail("walk_in_share", "must be at least 0.2 and below 1 (part of each category's day stays for people who walk in)");
  }

  if (j.contains("bus")) {
    Reader b(path, j["bus"], "bus");
    c.bus.commands = b.get<std::string>("commands", c.bus.commands);
    c.bus.updates = b.get<std::string>("updates", c.bus.updates);
    c.bus.update_hwm = b.get<int>("update_hwm", c.bus.update_hwm);
    if (c.bus.update_hwm < 10 || c.bus.update_hwm > 1000000) b.fail("update_hwm", "must be 10..1000000 updates, got " + std::to_string(c.bus.update_hwm));
    c.bus.update_sndbuf_kb = b.get<int>("update_sndbuf_kb", c.bus.update_sndbuf_kb);
    if (c.bus.update_sndbuf_kb != 0 && (c.bus.update_sndbuf_kb < 16 || c.bus.update_sndbuf_kb > 65536))
      b.fail("update_sndbuf_kb", "must be 0 (the kernel's own) or 16..65536 KB, got " + std::to_string(c.bus.update_sndbuf_kb));
    for (auto* key : {"commands", "updates"}) {
      std::string ep = key == std::string("commands") ? c.bus.commands : c.bus.updates;
      if (ep.rfind("tcp://", 0) != 0 && ep.rfind("ipc://", 0) != 0 && ep.rfind("inproc://", 0) != 0)
        b.fail(key, "must be a ZeroMQ endpoint such as tcp://127.0.0.1:5555, got '" + ep + "'");
    }
    if (c.bus.commands == c.bus.updates) b.fail("updates", "must differ from 'commands'");
  }
  top.only({"hall", "bus", "database", "catalogue", "policies", "calendar", "categories", "windows", "staff", "devices", "appointments", "rating_keep_days",
            "case_keep_days", "production", "security", "upstream", "county", "http", "web", "note"});
  c.database = resolve(path, top.get<std::string>("database", c.database));
  c.rating_keep_days = top.get<int>("rating_keep_days", c.rating_keep_days);
  c.case_keep_days = top.get<int>("case_keep_days", c.case_keep_days);

  std::set<std::string> prefixes, codes;
  const json& cats = top.list("categories");
  for (size_t i = 0; i < cats.size(); ++i) {
    Reader r(path, cats[i], "categories[" + std::to_string(i) + "]");
    Category cat;
    cat.code = r.text("code");
    cat.name = r.text("name");
    cat.prefix = r.text("prefix");
    cat.department = r.get<std::string>("department", "");
    cat.default_service_s = r.get<int>("default_service_s", 600);
    if (cat.default_service_s <= 0) r.fail("default_service_s", "must be positive");
    if (cat.prefix.size() > 2 || !std::isupper((unsigned char)cat.prefix[0])) r.fail("prefix", "must be one or two capital letters, got '" + cat.prefix + "'");
    if (!prefixes.insert(cat.prefix).second) r.fail("prefix", "'" + cat.prefix + "' is used by another category");
    if (!codes.insert(cat.code).second) r.fail("code", "'" + cat.code + "' is used twice");
    try {
      cat.lanes = r.get<std::vector<Lane>>("lanes", {});
    } catch (const ConfigError&) {
      throw;
    }
    for (auto& l : cats[i].value("lanes", json::array()))
      if (!l.is_string() || json(l).get<Lane>() == Lane::Normal)
        r.fail("lanes", "unknown lane " + l.dump() + " (elderly, disabled, appointment, green)");
    c.categories.push_back(std::move(cat));
  }
  if (c.categories.empty()) top.fail("categories", "must list at least one category");

  std::set<int> numbers;
  const json& wins = top.list("windows");
  for (size_t i = 0; i < wins.size(); ++i) {
    Reader r(path, wins[i], "windows[" + std::to_string(i) + "]");
    Window w;
    w.number = r.must<int>("number");
    if (w.number <= 0) r.fail("number", "must be a positive number");
    if (!numbers.insert(w.number).second) r.fail("number", std::to_string(w.number) + " is used twice");
    w.name = r.get<std::string>("name", std::to_string(w.number) + "号窗口");
    w.department = r.text("department");
    w.categories = r.must<std::vector<std::string>>("categories");
    if (w.categories.empty()) r.fail("categories", "must list at least one category");
    for (auto& code : w.categories)
      if (!codes.count(code)) r.fail("categories", "unknown category '" + code + "'");
    c.windows.push_back(std::move(w));
  }
  for (auto& cat : c.categories)
    for (auto& w : c.windows)
      if (std::find(w.categories.begin(), w.categories.end(), cat.code) != w.categories.end()) cat.windows.push_back(w.number);

  std::set<std::string> ids;
  if (j.contains("staff")) {
    const json& st = top.list("staff");
    for (size_t i = 0; i < st.size(); ++i) {
      Reader r(path, st[i], "staff[" + std::to_string(i) + "]");
      Staff s{r.text("id"), r.text("name"), r.get<std::string>("department", "")};
      if (!ids.insert(s.id).second) r.fail("id", "'" + s.id + "' is used twice");
      if (r.has("pin")) {
        std::string pin = r.must<std::string>("pin");
        if (pin.size() < 4 || pin.size() > 8 || pin.find_first_not_of("0123456789") != std::string::npos)
          r.fail("pin", "must be 4 to 8 digits (a string, e.g. \"2580\")");
        c.staff_pins[s.id] = pin;
      }
      c.staff.push_back(std::move(s));
    }
  }

  std::string catalogue = resolve(path, top.get<std::string>("catalogue", ""));
  if (!catalogue.empty()) c.items = load_catalogue(catalogue);
  // A shared catalogue may name categories this hall does not have: those
  // items stay readable in the guide, and tickets for them are refused.
  for (auto& item : c.items)
    if (!item.category.empty() && !codes.count(item.category))
      c.warnings.push_back(catalogue + ": item '" + item.code + "': category '" + item.category + "' is not served in this hall");
  c.production = top.get<bool>("production", false);
  if (j.contains("security")) {
    Reader sec(path, j["security"], "security");
    sec.only({"mode", "key_file", "clients", "allow_plain"});
    SecurityConfig& sc = c.security;
    sc.mode = sec.get<std::string>("mode", "plain");
    if (sc.mode != "plain" && sc.mode != "curve") sec.fail("mode", "must be \"plain\" or \"curve\", not '" + sc.mode + "'");
    sc.allow_plain = sec.get<bool>("allow_plain", false);
    if (sc.mode == "curve") {
      std::string key_file = resolve(path, sec.text("key_file"));
      std::tie(sc.public_key, sc.secret_key) = read_key_file(key_file);
      const json& list = sec.list("clients");
      std::set<std::string> keys, names;
      static const std::set<std::string> roles{"display", "kiosk", "evaluator", "console", "admin", "gateway"};
      for (size_t i = 0; i < list.size(); ++i) {
        Reader r(path, list[i], "security.clients[" + std::to_string(i) + "]");
        r.only({"name", "role", "public", "public_file", "window"});
        ClientKey k;
        k.name = r.text("name");
        k.role = r.text("role");
        if (!roles.count(k.role)) r.fail("role", "must be one of display, kiosk, evaluator, console, admin, gateway, not '" + k.role + "'");
        if (r.has("public")) k.public_key = r.must<std::string>("public");
        else if (r.has("public_file")) k.public_key = read_public_key_file(resolve(path, r.must<std::string>("public_file")));
        else r.fail("public", "is missing (give 'public' or 'public_file')");
        if (!is_z85_key(k.public_key)) r.fail("public", "is not a 40-character Z85 key (hallctl keygen writes them)");
        if (!keys.insert(k.public_key).second) r.fail("public", "the same key is given to two clients");
        if (!names.insert(k.name).second) r.fail("name", "'" + k.name + "' is used twice");
        k.window = r.get<int>("window", 0);
        if ((k.role == "evaluator" || k.role == "console") && k.window <= 0) r.fail("window", "is needed for a " + k.role + " (the window it acts for)");
        sc.clients.push_back(k);
      }
    }
  }
  if (c.production && c.security.mode == "plain" && !c.security.allow_plain)
    top.fail("security.mode", "plain TCP is refused in production; use \"curve\" with client keys, or set security.allow_plain to true");
  if (j.contains("upstream")) {
    Reader u(path, j["upstream"], "upstream");
    u.only({"ratings_url", "cases_url", "token", "ca_file", "timeout_ms", "retry_min_ms", "retry_max_ms", "poll_seconds"});
    UpstreamConfig& up = c.upstream;
    for (auto [key, url] : {std::pair{"ratings_url", &up.ratings_url}, std::pair{"cases_url", &up.cases_url}}) {
      *url = u.get<std::string>(key, "");
      if (url->empty()) continue;
      bool loopback = url->rfind("http://127.0.0.1", 0) == 0 || url->rfind("http://localhost", 0) == 0;
      // TLS always, except to this machine (a local relay, the tests).
      if (url->rfind("https://", 0) != 0 && !loopback) u.fail(key, "must be an https:// address (plain http only to 127.0.0.1), not '" + *url + "'");
    }
    up.token = u.get<std::string>("token", "");
    if ((!up.ratings_url.empty() || !up.cases_url.empty()) && up.token.empty()) u.fail("token", "is missing (the platforms refuse anonymous calls)");
    up.ca_file = resolve(path, u.get<std::string>("ca_file", ""));
    if (!up.ca_file.empty() && !std::ifstream(up.ca_file)) u.fail("ca_file", "cannot read '" + up.ca_file + "'");
    up.timeout_ms = u.get<int>("timeout_ms", up.timeout_ms);
    if (up.timeout_ms < 100 || up.timeout_ms > 120000) u.fail("timeout_ms", "must be between 100 and 120000");
    up.retry_min_ms = u.get<int>("retry_min_ms", up.retry_min_ms);
    up.retry_max_ms = u.get<int>("retry_max_ms", up.retry_max_ms);
    if (up.retry_min_ms < 10 || up.retry_max_ms < up.retry_min_ms) u.fail("retry_min_ms", "must be at least 10 and not above retry_max_ms");
    up.poll_seconds = u.get<int>("poll_seconds", up.poll_seconds);
    if (up.poll_seconds < 1 || up.poll_seconds > 86400) u.fail("poll_seconds", "must be between 1 and 86400");
  }
  if (j.contains("county")) {
    Reader k(path, j["county"], "county");
    k.only({"feed", "level", "parent", "timeout_ms", "retry_ms", "heartbeat_ms"});
    CountyLink& link = c.county;
    link.feed = k.text("feed");
    if (link.feed.rfind("tcp://", 0) != 0 && link.feed.rfind("ipc://", 0) != 0) k.fail("feed", "must be a tcp:// or ipc:// address, not '" + link.feed + "'");
    link.level = k.get<std::string>("level", link.level);
    if (link.level != "county" && link.level != "township" && link.level != "village") k.fail("level", "must be county, township or village");
    link.parent = k.get<std::string>("parent", "");
    if (link.level != "county" && link.parent.empty()) k.fail("parent", "a " + link.level + " hall needs the id of the hall above it");
    link.timeout_ms = k.get<int>("timeout_ms", link.timeout_ms);
    if (link.timeout_ms < 100 || link.timeout_ms > 120000) k.fail("timeout_ms", "must be between 100 and 120000");
    link.retry_ms = k.get<int>("retry_ms", link.retry_ms);
    if (link.retry_ms < 10 || link.retry_ms > 600000) k.fail("retry_ms", "must be between 10 and 600000");
    link.heartbeat_ms = k.get<int>("heartbeat_ms", link.heartbeat_ms);
    if (link.heartbeat_ms < 100 || link.heartbeat_ms > 600000) k.fail("heartbeat_ms", "must be between 100 and 600000");
  }
  c.http_listen = top.get<std::string>("http", "");
  if (!c.http_listen.empty()) {
    auto colon = c.http_listen.rfind(':');
    int port = colon == std::string::npos ? 0 : std::atoi(c.http_listen.c_str() + colon + 1);
    if (colon == std::string::npos || colon == 0 || port <= 0 || port > 65535)
      top.fail("http", "must be HOST:PORT, e.g. \"127.0.0.1:9464\", not '" + c.http_listen + "'");
  }
  if (j.contains("web")) {
    Reader w(path, j["web"], "web");
    w.only({"public_url", "remote", "note"});
    c.public_url = w.get<std::string>("public_url", "");
    if (!c.public_url.empty() && c.public_url.rfind("http://", 0) != 0 && c.public_url.rfind("https://", 0) != 0)
      w.fail("public_url", "must start with http:// or https://, not '" + c.public_url + "'");
    if (!c.public_url.empty() && c.public_url.back() == '/') w.fail("public_url", "must not end with '/' (the gateway adds /t/…)");
    if (w.has("remote")) {  // tickets taken from a phone: a share of each category's day, the rest kept for those who come
      Reader r(path, j["web"]["remote"], "web.remote");
      r.only({"share", "stop_before_close_min", "note"});
      c.hall.remote_share = r.must<double>("share");
      if (!(c.hall.remote_share > 0 && c.hall.remote_share <= 0.5))
        r.fail("share", "must be more than 0 and at most 0.5 (half of each category's day stays for people without phones)");
      c.hall.remote_stop_min = r.get<int>("stop_before_close_min", c.hall.remote_stop_min);
      if (c.hall.remote_stop_min < 0 || c.hall.remote_stop_min > 240) r.fail("stop_before_close_min", "must be 0..240 minutes");
      if (c.public_url.empty()) r.fail("share", "needs web.public_url (a remote ticket is followed on its link)");
    }
  }
  std::string policies = resolve(path, top.get<std::string>("policies", ""));
  if (!policies.empty()) c.policies = load_policies(policies);
  std::string calendar = resolve(path, top.get<std::string>("calendar", ""));
  if (!calendar.empty()) c.calendar = load_calendar(calendar);
  return c;
}

WindowProgramConfig load_window_program_config(const std::string& path, bool with_outbox) {
  json j = read_json_file(path);
  Reader r(path, j, "");
  if (with_outbox) r.only({"commands", "updates", "window", "size", "fullscreen", "renderer", "key_file", "server_key_file", "outbox"});
  else r.only({"commands", "updates", "window", "size", "fullscreen", "renderer", "key_file", "server_key_file"});
  WindowProgramConfig c;
  for (auto [key, out] : {std::pair{"commands", &c.commands}, std::pair{"updates", &c.updates}}) {
    *out = r.get<std::string>(key, "");
    if (!out->empty() && out->rfind("tcp://", 0) != 0 && out->rfind("ipc://", 0) != 0)
      r.fail(key, "must be a tcp:// or ipc:// address, not '" + *out + "'");
  }
  c.window = r.get<int>("window", 0);
  if (r.has("window") && c.window <= 0) r.fail("window", "must be a window number (1 or more)");
  if (r.has("size")) {
    std::string size = r.must<std::string>("size");
    if (std::sscanf(size.c_str(), "%dx%d", &c.width, &c.height) != 2 || c.width < 320 || c.height < 240 || c.width > 7680 || c.height > 7680)
      r.fail("size", "must be WIDTHxHEIGHT, e.g. \"1280x800\"");
  }
  c.fullscreen = r.get<bool>("fullscreen", false);
  c.renderer = r.get<std::string>("renderer", "auto");
  if (c.renderer != "auto" && c.renderer != "software" && c.renderer != "gl") r.fail("renderer", "must be auto, software or gl, not '" + c.renderer + "'");
  c.key_file = resolve(path, r.get<std::string>("key_file", ""));
  c.server_key_file = resolve(path, r.get<std::string>("server_key_file", ""));
  if (c.key_file.empty() != c.server_key_file.empty()) r.fail(c.key_file.empty() ? "key_file" : "server_key_file", "is needed with the other for CURVE");
  if (!c.key_file.empty()) load_client_keys(c.key_file, c.server_key_file);  // unreadable keys are named now
  c.outbox = resolve(path, r.get<std::string>("outbox", ""));
  return c;
}

std::string assets_dir() {
  if (const char* env = std::getenv("HALL_ASSETS"); env && *env) return env;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto installed = exe.parent_path().parent_path() / "share" / "hall";
    if (std::filesystem::exists(installed / "catalogue.json", ec)) return installed.string();
  }
  return HALL_ASSETS_DIR;
}

}  // namespace hall
