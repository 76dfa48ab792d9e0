#include "kiosk/options.h"

#include <cstdio>

#include "shared/config.h"
#include "shared/curve.h"

namespace hall::kiosk {

namespace {
std::string resolve_beside(const std::string& config, const std::string& path) {  // relative paths are the config file's
  if (path.empty() || path[0] == '/') return path;
  auto slash = config.rfind('/');
  return slash == std::string::npos ? path : config.substr(0, slash + 1) + path;
}
}  // namespace

Options load_kiosk_config(const std::string& path) {
  json j = read_json_file(path);
  ConfigReader r(path, j, "");
  r.only({"commands", "updates", "printer", "state_dir", "maintenance_pin", "idle_seconds", "size",
          "orientation", "fullscreen", "locked", "strings_dir", "key_file", "server_key_file", "renderer", "place", "speech",
          "handwriting_model"});
  Options o;
  o.commands = r.get<std::string>("commands", o.commands);
  o.updates = r.get<std::string>("updates", o.updates);
  for (const char* key : {"commands", "updates"}) {
    std::string ep = r.get<std::string>(key, "tcp://x");
    if (ep.rfind("tcp://", 0) != 0 && ep.rfind("ipc://", 0) != 0) r.fail(key, "must be a tcp:// or ipc:// address, not '" + ep + "'");
  }
  o.printer = r.get<std::string>("printer", "");
  o.state_dir = r.get<std::string>("state_dir", o.state_dir);
  if (o.state_dir.empty()) r.fail("state_dir", "must not be empty");
  o.strings_dir = r.get<std::string>("strings_dir", o.strings_dir);
  o.maintenance_pin = r.get<std::string>("maintenance_pin", o.maintenance_pin);
  if (o.maintenance_pin.size() < 4 || o.maintenance_pin.size() > 8 || o.maintenance_pin.find_first_not_of("0123456789") != std::string::npos)
    r.fail("maintenance_pin", "must be 4 to 8 digits (a string, e.g. \"2580\")");
  o.idle_seconds = r.get<int>("idle_seconds", o.idle_seconds);
  if (o.idle_seconds < 10 || o.idle_seconds > 3600) r.fail("idle_seconds", "must be between 10 and 3600");
  if (r.has("size")) {
    std::string size = r.must<std::string>("size");
    if (std::sscanf(size.c_str(), "%dx%d", &o.width, &o.height) != 2 || o.width < 640 || o.height < 640 || o.width > 7680 || o.height > 7680)
      r.fail("size", "must be WIDTHxHEIGHT between 640 and 7680, e.g. \"1080x1920\"");
  }
  std::string orientation = r.get<std::string>("orientation", "");
  if (orientation == "landscape") o.width = 1920, o.height = 1080;
  else if (orientation == "portrait") o.width = 1080, o.height = 1920;
  else if (!orientation.empty()) r.fail("orientation", "must be \"portrait\" or \"landscape\"");
  // CURVE on a secured bus: this kiosk's key pair and the server's public key (hallctl keygen).
  o.key_file = resolve_beside(path, r.get<std::string>("key_file", ""));
  o.server_key_file = resolve_beside(path, r.get<std::string>("server_key_file", ""));
  if (o.key_file.empty() != o.server_key_file.empty()) r.fail(o.key_file.empty() ? "key_file" : "server_key_file", "is needed with the other for CURVE");
  if (!o.key_file.empty()) o.curve = load_client_keys(o.key_file, o.server_key_file);  // read once; unreadable or malformed keys: named now
  o.renderer = r.get<std::string>("renderer", o.renderer);
  if (o.renderer != "auto" && o.renderer != "software" && o.renderer != "gl") r.fail("renderer", "must be auto, software or gl, not '" + o.renderer + "'");
  // The writing pad's model; a missing file is no error here: the pad says so and the kiosk types by pinyin.
  o.handwriting_model = resolve_beside(path, r.get<std::string>("handwriting_model", o.handwriting_model));
  if (o.handwriting_model.empty()) r.fail("handwriting_model", "must name a Zinnia model file");
  o.place = r.get<std::string>("place", "");
  if (o.place.size() > 80) r.fail("place", "must be at most 80 bytes (where the kiosk stands, e.g. \"东门自助区 1 号机\")");
  if (r.has("speech")) {  // 语音引导: {"enabled", "normal_mode", "volume" 0..100, "rate" 80..450 words a minute}
    const json sp = j["speech"];
    if (!sp.is_object()) r.fail("speech", "must be an object such as {\"enabled\": true, \"volume\": 80, \"rate\": 150}");
    for (const auto& [k, v] : sp.items())
      if (k != "enabled" && k != "normal_mode" && k != "volume" && k != "rate" && k != "note") r.fail("speech." + k, "is not a key of speech (enabled, normal_mode, volume, rate)");
    auto flag = [&](const char* k, bool& out) {
      if (!sp.contains(k)) return;
      if (!sp[k].is_boolean()) r.fail(std::string("speech.") + k, "must be true or false");
      out = sp[k];
    };
    auto number = [&](const char* k, int& out, int lo, int hi) {
      if (!sp.contains(k)) return;
      if (!sp[k].is_number_integer() || sp[k].get<int64_t>() < lo || sp[k].get<int64_t>() > hi)
        r.fail(std::string("speech.") + k, "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
      out = sp[k];
    };
    flag("enabled", o.speech.enabled);
    flag("normal_mode", o.speech.normal_mode);
    number("volume", o.speech.volume, 0, 100);
    number("rate", o.speech.rate, 80, 450);
  }
  o.fullscreen = r.get<bool>("fullscreen", o.fullscreen);
  o.locked = r.get<bool>("locked", o.locked);
  return o;
}

}  // namespace hall::kiosk
