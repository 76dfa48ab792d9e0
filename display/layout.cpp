#include "display/layout.h"
#include "display/page.h"

#include <algorithm>
#include <cstdio>

namespace hall::display {


namespace {
bool valid_hhmm(const std::string& s) {
  unsigned h = 0, m = 0;
  char tail = 0;
  return s.size() == 5 && std::sscanf(s.c_str(), "%2u:%2u%c", &h, &m, &tail) == 2 && h < 24 && m < 60;
}
}  // namespace

Layout load_layout(const std::string& path) {
  json j = read_json_file(path);
  Layout l;
  l.file = path;
  auto fail = [&](const std::string& key, const std::string& what) { throw ConfigError(path + ": " + key + ": " + what); };
  auto get_int = [&](const json& o, const char* key, int fallback, int lo, int hi, const std::string& where) {
    if (!o.contains(key)) return fallback;
    if (!o[key].is_number_integer()) fail(where + key, "must be a whole number, got " + o[key].dump());
    int v = o[key];
    if (v < lo || v > hi) fail(where + key, "must be " + std::to_string(lo) + ".." + std::to_string(hi) + ", got " + std::to_string(v));
    return v;
  };
  if (!j.is_object()) fail("(top)", "must be an object");
  // A server's two addresses (hall_server, county_server): the same checks for both.
  auto read_server = [&](const char* name, const char* what, const char* example, BusEndpoints& into) {
    if (!j.contains(name)) return;
    const json& b = j[name];
    if (!b.is_object()) fail(name, std::string("must be an object with ") + what);
    for (const char* key : {"commands", "updates"}) {
      if (!b.contains(key)) continue;
      if (!b[key].is_string() || b[key].get<std::string>().rfind("tcp://", 0) != 0)
        fail(std::string(name) + "." + key, std::string("must be a tcp:// address such as ") + example);
      (std::string(key) == "commands" ? into.commands : into.updates) = b[key];
    }
  };
  read_server("hall_server", "'commands' and 'updates'", "tcp://10.0.0.2:5555", l.bus);
  read_server("county_server", "'commands' (its feed address) and 'updates'", "tcp://10.1.0.2:5570", l.county_bus);
  if (j.contains("scope")) {
    const json& sc = j["scope"];
    if (!sc.is_object() || sc.size() != 1 || !(sc.contains("township") || sc.contains("hall")) || !sc.begin()->is_string() ||
        sc.begin()->get<std::string>().empty())
      fail("scope", "must be {\"township\": \"<township hall id>\"} or {\"hall\": \"<hall id>\"}");
    (sc.contains("township") ? l.scope_township : l.scope_hall) = sc.begin()->get<std::string>();
  }
  if (j.contains("period")) {
    const std::string p = j["period"].is_string() ? j["period"].get<std::string>() : "";
    if (p != "today" && p != "week" && p != "month" && p != "year") fail("period", "must be \"today\", \"week\", \"month\" or \"year\"");
    l.period = p;
  }
  if (j.contains("screen")) {
    const json& s = j["screen"];
    if (!s.is_object()) fail("screen", "must be an object");
    l.width = get_int(s, "width", l.width, 640, 7680, "screen.");
    l.height = get_int(s, "height", l.height, 480, 7680, "screen.");
    if (s.contains("fullscreen")) {
      if (!s["fullscreen"].is_boolean()) fail("screen.fullscreen", "must be true or false");
      l.fullscreen = s["fullscreen"];
    }
    if (s.contains("renderer")) {
      std::string r = s["renderer"].is_string() ? s["renderer"].get<std::string>() : "";
      if (r != "auto" && r != "software" && r != "gl") fail("screen.renderer", "must be \"auto\", \"software\" or \"gl\"");
      l.renderer = r;
    }
    if (s.contains("orientation")) {
      std::string o = s["orientation"].is_string() ? s["orientation"].get<std::string>() : "";
      if (o != "landscape" && o != "portrait") fail("screen.orientation", "must be \"landscape\" or \"portrait\"");
      if ((o == "portrait") != (l.height > l.width)) std::swap(l.width, l.height);
    }
  }
  l.window = get_int(j, "window", 0, 0, 9999, "");
  l.last_calls = get_int(j, "last_calls", l.last_calls, 0, 20, "");
  if (j.contains("voice")) {
    if (!j["voice"].is_boolean()) fail("voice", "must be true or false");
    l.voice = j["voice"];
  }
  if (j.contains("help_on_board")) {
    if (!j["help_on_board"].is_boolean()) fail("help_on_board", "must be true or false");
    l.help_on_board = j["help_on_board"];
  }
  if (j.contains("voice_name")) {
    if (!j["voice_name"].is_string()) fail("voice_name", "must be an espeak-ng voice such as \"cmn\" or \"yue\"");
    l.voice_name = j["voice_name"];
  }
  if (!j.contains("pages") || !j["pages"].is_array() || j["pages"].empty()) fail("pages", "must list at least one page");
  for (size_t i = 0; i < j["pages"].size(); ++i) {
    const json& p = j["pages"][i];
    std::string where = "pages[" + std::to_string(i) + "].";
    PageSlot slot;
    if (p.is_string()) {
      slot.page = p;
    } else if (p.is_object() && p.contains("page") && p["page"].is_string()) {
      slot.page = p["page"];
      slot.seconds = get_int(p, "seconds", 30, 3, 3600, where);
      slot.from = p.value("from", "");
      slot.to = p.value("to", "");
      if (!slot.from.empty() && !valid_hhmm(slot.from)) fail(where + "from", "must be HH:MM");
      if (!slot.to.empty() && !valid_hhmm(slot.to)) fail(where + "to", "must be HH:MM");
    } else {
      fail(where + "page", "is missing");
    }
    if (!make_page(slot.page)) fail(where + "page", "unknown page '" + slot.page + "' (" + page_names() + ")");
    if (slot.page == "window" && l.window == 0) fail("window", "a layout with the window page must say which window (\"window\": 5)");
    l.pages.push_back(slot);
  }
  const auto county_pages = std::count_if(l.pages.begin(), l.pages.end(), [](const PageSlot& s) { return s.page.rfind("county_", 0) == 0; });
  if (county_pages && county_pages != long(l.pages.size()))
    fail("pages", "county pages (county_*) and a hall's pages come from different servers: put them in two layouts");
  l.county = county_pages > 0;
  if (!l.county && (j.contains("scope") || j.contains("county_server")))
    fail(j.contains("scope") ? "scope" : "county_server", "is for county pages (county_overview, county_rankings, county_warnings)");
  return l;
}

}  // namespace hall::display
