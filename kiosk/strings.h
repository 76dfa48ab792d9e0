// UI text comes from string tables in assets/strings/<lang>.json, one key
// per string; no UI text in code. A missing key shows as the key itself
// (visible in a screenshot, never a crash).
#pragma once

#include <map>
#include <string>

namespace hall::kiosk {

class Strings {
 public:
  static Strings load(const std::string& dir, const std::string& lang);  // throws ConfigError naming the file
  std::string operator()(const std::string& key) const;
  std::string operator()(const std::string& key, const std::map<std::string, std::string>& vars) const;  // "{n}" → vars["n"]
  const std::string& lang() const { return lang_; }

 private:
  std::string lang_;
  std::map<std::string, std::string> table_;
};

}  // namespace hall::kiosk
