#include "shared/county_state.h"

#include <stdexcept>

namespace hall {

const char* card_color_name(CardColor c) {
  switch (c) {
    case CardColor::Red: return "红牌";
    case CardColor::Orange: return "橙牌";
    case CardColor::Yellow: return "黄牌";
    case CardColor::Blue: return "蓝牌";
  }
  return "";
}

void to_json(json& j, const WarningRule& r) {
  j = json::object();
  for (const auto& [color, value] : r.at) j[json(color).get<std::string>()] = value;
}

void from_json(const json& j, WarningRule& r) {
  if (!j.is_object()) throw std::invalid_argument("a warning rule is an object of colour → threshold, e.g. {\"red\": 3, \"orange\": 1}");
  r.at.clear();
  for (const auto& [name, value] : j.items()) {
    static const std::map<std::string, CardColor> colors{
        {"red", CardColor::Red}, {"orange", CardColor::Orange}, {"yellow", CardColor::Yellow}, {"blue", CardColor::Blue}};
    auto c = colors.find(name);
    if (c == colors.end()) throw std::invalid_argument("'" + name + "' is not a card colour (red, orange, yellow, blue)");
    if (!value.is_number()) throw std::invalid_argument("the threshold for '" + name + "' must be a number");
    r.at[c->second] = value.get<double>();
  }
}

namespace {
std::pair<std::string, std::string> split_key(const std::string& key) {
  auto slash = key.find('/');
  if (slash == std::string::npos) return {key, ""};
  return {key.substr(0, slash), key.substr(slash + 1)};
}

template <class T>
T read(const json& value, const std::string& key) {
  if (!value.is_object()) throw std::invalid_argument(key + ": an entity is an object");
  try {
    return value.get<T>();
  } catch (const json::exception& e) {
    throw std::invalid_argument(key + ": " + e.what());
  }
}
}  // namespace

void CountyState::apply(const std::string& key, const json& value) {
  auto [kind, id] = split_key(key);
  if (!json_numbers_fit(value)) throw std::invalid_argument("entity '" + key + "': a number out of range");
  const bool erase = value.is_null();
  if (kind == "county" && id.empty()) {
    county = erase ? CountyInfo{} : read<CountyInfo>(value, key);
  } else if (kind == "hall" && !id.empty()) {
    if (erase) halls.erase(id);
    else halls[id] = read<CountyHall>(value, key);
  } else if (kind == "ranking" && !id.empty()) {
    if (erase) rankings.erase(id);
    else rankings[id] = read<Ranking>(value, key);
  } else if (kind == "warnings" && id.empty()) {
    warnings = erase ? Warnings{} : read<Warnings>(value, key);
  } else if (kind == "trend" && !id.empty()) {
    if (erase) trends.erase(id);
    else trends[id] = read<Trend>(value, key);
  } else {
    throw std::invalid_argument("unknown county entity '" + key + "'");
  }
}

json CountyState::get(const std::string& key) const {
  const auto parts = split_key(key);
  const std::string &kind = parts.first, &id = parts.second;  // (a lambda may not capture a structured binding in C++20 clang-14)
  auto find = [&](const auto& map) -> json {
    auto it = map.find(id);
    return it == map.end() ? json() : json(it->second);
  };
  if (kind == "county" && id.empty()) return county;
  if (kind == "hall") return find(halls);
  if (kind == "ranking") return find(rankings);
  if (kind == "warnings" && id.empty()) return warnings;
  if (kind == "trend") return find(trends);
  return json();
}

std::vector<std::pair<std::string, json>> CountyState::entities() const {
  std::vector<std::pair<std::string, json>> out;
  out.emplace_back("county", county);
  for (const auto& [id, h] : halls) out.emplace_back("hall/" + id, h);
  for (const auto& [id, r] : rankings) out.emplace_back("ranking/" + id, r);
  out.emplace_back("warnings", warnings);
  for (const auto& [id, t] : trends) out.emplace_back("trend/" + id, t);
  return out;
}

namespace {
template <class Map>
void changed_in(const char* prefix, const Map& now, const Map& before, std::vector<std::pair<std::string, json>>& out) {
  for (const auto& [id, v] : now) {
    auto it = before.find(id);
    if (it == before.end() || !(it->second == v)) out.emplace_back(prefix + id, v);
  }
  for (const auto& [id, v] : before)
    if (!now.count(id)) out.emplace_back(prefix + id, json());
}
}  // namespace

std::vector<std::pair<std::string, json>> CountyState::changes_from(const CountyState& before) const {
  std::vector<std::pair<std::string, json>> out;
  if (!(county == before.county)) out.emplace_back("county", county);
  changed_in("hall/", halls, before.halls, out);
  changed_in("ranking/", rankings, before.rankings, out);
  if (!(warnings == before.warnings)) out.emplace_back("warnings", warnings);
  changed_in("trend/", trends, before.trends, out);
  return out;
}

void CountyState::clear() { *this = CountyState{}; }

}  // namespace hall
