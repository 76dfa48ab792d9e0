#include "shared/state.h"

#include <algorithm>
#include <stdexcept>
#include <tuple>

namespace hall {

namespace {

template <class Map>
void put_or_erase(Map& map, const typename Map::key_type& id, const json& value) {
  if (value.is_null()) {
    map.erase(id);
    return;
  }
  if (!value.is_object()) throw std::invalid_argument("entity value must be an object or null");
  map[id] = value.get<typename Map::mapped_type>();
}

template <class Map>
json get_from(const Map& map, const typename Map::key_type& id) {
  auto it = map.find(id);
  return it == map.end() ? json() : json(it->second);
}

template <class Map, class KeyOf>
void list(std::vector<std::pair<std::string, json>>& out, const char* kind, const Map& map, KeyOf key_of) {
  for (const auto& [id, v] : map) out.emplace_back(std::string(kind) + "/" + key_of(id), json(v));
}

int window_number(const std::string& id) {
  size_t used = 0;
  int n = 0;
  try {
    n = std::stoi(id, &used);
  } catch (...) {
    used = 0;
  }
  if (used != id.size() || n <= 0) throw std::invalid_argument("bad window number '" + id + "'");
  return n;
}

}  // namespace

int queue_class(const Ticket& t) { return t.lane != Lane::Normal ? 0 : t.transfers > 0 ? 1 : 2; }

bool called_before(const Ticket& a, const Ticket& b) {
  return std::tuple(queue_class(a), a.issued_ms, a.key) < std::tuple(queue_class(b), b.issued_ms, b.key);
}

bool callable_at(const Ticket& t, const Window& w) {
  if (t.state != TicketState::Waiting) return false;
  if (t.target_window) return t.target_window == w.number;
  return std::find(w.categories.begin(), w.categories.end(), t.category) != w.categories.end();
}

std::string ticket_key(const std::string& day, const std::string& number) { return day + "/" + number; }
std::string window_key(int number) { return "window/" + std::to_string(number); }

void HallState::apply(const std::string& key, const json& value) {
  auto slash = key.find('/');
  std::string kind = key.substr(0, slash);
  std::string id = slash == std::string::npos ? "" : key.substr(slash + 1);
  if (!json_numbers_fit(value)) throw std::invalid_argument("entity '" + key + "': a number out of range");
  try {
    if (kind == "hall") hall = value.is_null() ? HallInfo{} : value.get<HallInfo>();
    else if (kind == "calendar") calendar = value.is_null() ? WorkCalendar{} : WorkCalendar::from_json(value);
    else if (kind == "calls") calls = value.is_null() ? std::vector<CallRecord>{} : value.at("recent").get<std::vector<CallRecord>>();
    else if (kind == "category") put_or_erase(categories, id, value);
    else if (kind == "window") put_or_erase(windows, window_number(id), value);
    else if (kind == "staff") put_or_erase(staff, id, value);
    else if (kind == "item") put_or_erase(items, id, value);
    else if (kind == "ticket") put_or_erase(tickets, id, value);
    else if (kind == "counter") put_or_erase(counters, id, value);
    else if (kind == "rating") put_or_erase(ratings, id, value);
    else if (kind == "followup") put_or_erase(followups, id, value);
    else if (kind == "case") put_or_erase(cases, id, value);
    else if (kind == "announcement") put_or_erase(announcements, id, value);
    else if (kind == "daystat") put_or_erase(daystats, id, value);
    else if (kind == "policy") put_or_erase(policies, id, value);
    else if (kind == "complaint") put_or_erase(complaints, id, value);
    else if (kind == "contact") put_or_erase(contacts, id, value);
    else if (kind == "device") put_or_erase(devices, id, value);
    else if (kind == "booking") put_or_erase(bookings, id, value);
    else if (kind == "help") put_or_erase(helps, id, value);
    else throw std::invalid_argument("unknown entity kind '" + kind + "'");
  } catch (const json::exception& e) {
    throw std::invalid_argument("entity '" + key + "': " + e.what());
  }
}

json HallState::get(const std::string& key) const {
  auto slash = key.find('/');
  std::string kind = key.substr(0, slash);
  std::string id = slash == std::string::npos ? "" : key.substr(slash + 1);
  if (kind == "hall") return hall;
  if (kind == "calendar") return calendar.to_json();
  if (kind == "calls") return json{{"recent", calls}};
  if (kind == "category") return get_from(categories, id);
  if (kind == "window") return get_from(windows, window_number(id));
  if (kind == "staff") return get_from(staff, id);
  if (kind == "item") return get_from(items, id);
  if (kind == "ticket") return get_from(tickets, id);
  if (kind == "counter") return get_from(counters, id);
  if (kind == "rating") return get_from(ratings, id);
  if (kind == "followup") return get_from(followups, id);
  if (kind == "case") return get_from(cases, id);
  if (kind == "announcement") return get_from(announcements, id);
  if (kind == "daystat") return get_from(daystats, id);
  if (kind == "policy") return get_from(policies, id);
  if (kind == "complaint") return get_from(complaints, id);
  if (kind == "contact") return get_from(contacts, id);
  if (kind == "device") return get_from(devices, id);
  if (kind == "booking") return get_from(bookings, id);
  if (kind == "help") return get_from(helps, id);
  throw std::invalid_argument("unknown entity kind '" + kind + "'");
}

std::vector<std::pair<std::string, json>> HallState::entities() const {
  std::vector<std::pair<std::string, json>> out;
  auto same = [](const std::string& s) { return s; };
  out.emplace_back("hall", json(hall));
  out.emplace_back("calendar", calendar.to_json());
  out.emplace_back("calls", json{{"recent", calls}});
  list(out, "category", categories, same);
  list(out, "window", windows, [](int n) { return std::to_string(n); });
  list(out, "staff", staff, same);
  list(out, "item", items, same);
  list(out, "ticket", tickets, same);
  list(out, "counter", counters, same);
  list(out, "rating", ratings, same);
  list(out, "followup", followups, same);
  list(out, "case", cases, same);
  list(out, "announcement", announcements, same);
  list(out, "daystat", daystats, same);
  list(out, "policy", policies, same);
  list(out, "complaint", complaints, same);
  list(out, "device", devices, same);
  list(out, "booking", bookings, same);
  list(out, "help", helps, same);
  return out;
}

void HallState::clear() { *this = HallState{}; }

}  // namespace hall
