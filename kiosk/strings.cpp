#include "kiosk/strings.h"

#include "shared/config.h"

namespace hall::kiosk {

Strings Strings::load(const std::string& dir, const std::string& lang) {
  std::string path = dir + "/" + lang + ".json";
  json j = read_json_file(path);
  if (!j.is_object()) throw ConfigError(path + ": must be an object of key → text");
  Strings s;
  s.lang_ = lang;
  for (auto& [k, v] : j.items()) {
    if (!v.is_string()) throw ConfigError(path + ": " + k + ": must be a text");
    s.table_[k] = v;
  }
  return s;
}

std::string Strings::operator()(const std::string& key) const {
  auto it = table_.find(key);
  return it == table_.end() ? key : it->second;
}

std::string Strings::operator()(const std::string& key, const std::map<std::string, std::string>& vars) const {
  std::string out = (*this)(key);
  for (const auto& [name, value] : vars) {
    std::string slot = "{" + name + "}";
    for (size_t at = out.find(slot); at != std::string::npos; at = out.find(slot, at + value.size()))
      out.replace(at, slot.size(), value);
  }
  return out;
}

}  // namespace hall::kiosk
