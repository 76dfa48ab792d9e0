// The county's figures from a known set of halls (shared/county_stats):
// periods, the volume rule of the rankings, 四色预警 cards from thresholds
// with their reasons, trends from the days a hall brought with it, and the
// county bus's entities read back through CountyState.
#include <doctest/doctest.h>

#include "shared/county_stats.h"

using namespace hall;

namespace {

constexpr int64_t kNoon = 1795665600000;  // 2026-11-26 12:00 in the hall (UTC+8), a Thursday

struct HallBuilder {
  HallState s;
  HallBuilder(const std::string& id, const std::string& day) {
    s.hall.id = id, s.hall.name = id, s.hall.day = day;
  }
  HallBuilder& ratings(const std::string& day, int good, int bad, const std::string& department = "市场监管局") {
    static int n = 0;
    for (int i = 0; i < good + bad; ++i) {
      Rating r;
      r.key = "T/" + day + "/" + std::to_string(++n);
      r.level = i < good ? 5 : 1;
      r.day = day;
      r.department = department;
      s.ratings[r.key] = r;
    }
    return *this;
  }
  HallBuilder& daystat(const std::string& day, int issued, int served, int good, int bad, int64_t mean_wait_ms = 0) {
    DayStat d;
    d.day = day, d.issued = issued, d.served = served, d.ratings = good + bad, d.good = good, d.bad = bad, d.mean_wait_ms = mean_wait_ms;
    d.good_total_by_department["市场监管局"] = {good, good + bad};
    s.daystats[day] = d;
    return *this;
  }
  HallBuilder& item(const std::string& code, int legal, int promised) {
    ServiceItem it;
    it.code = code, it.name = "事项" + code, it.department = "市场监管局", it.legal_days = legal, it.promised_days = promised;
    s.items[code] = it;
    return *this;
  }
  HallBuilder& finished_case(const std::string& number, const std::string& item, int promised, int actual, const std::string& day) {
    Case c;
    c.number = number, c.item = item, c.department = "市场监管局", c.state = CaseState::Finished;
    c.promised_days = promised, c.actual_days = actual, c.accepted_day = day, c.finished_day = day, c.due_day = day;
    s.cases[number] = c;
    return *this;
  }
  HallBuilder& overdue_case(const std::string& number, const std::string& department, const std::string& due_day) {
    Case c;
    c.number = number, c.item = "X", c.department = department, c.state = CaseState::Accepted;
    c.accepted_day = due_day, c.due_day = due_day, c.promised_days = 1;
    s.cases[number] = c;
    return *this;
  }
};

struct County {
  std::vector<HallState> states;
  std::vector<HallStats> stats;
  std::vector<CountyMember> members;
  void add(const HallState& s, const std::string& level, const std::string& parent, int64_t now) {
    states.push_back(s);
    members.push_back({s.hall.id, s.hall.name, level, parent, now, "", nullptr, nullptr});
  }
  // Pointers once every hall is in (the vectors no longer move).
  std::vector<CountyMember>& ready(int64_t now) {
    stats.clear();
    for (auto& s : states) stats.push_back(compute_stats(s, now));
    for (size_t i = 0; i < members.size(); ++i) members[i].state = &states[i], members[i].stats = &stats[i];
    return members;
  }
};

const RankEntry& find(const std::vector<RankEntry>& v, const std::string& id) {
  for (const auto& e : v)
    if (e.id == id) return e;
  FAIL("no entry " << id);
  return v.front();
}

}  // namespace

TEST_CASE("periods: the week starts on Monday, the month on the 1st, the year on 1 January") {
  // 2026-11-26 is a Thursday.
  CHECK(period_of("today", "2026-11-26").from == "2026-11-26");
  CHECK(period_of("week", "2026-11-26").from == "2026-11-23");
  CHECK(period_of("week", "2026-11-23").from == "2026-11-23");
  CHECK(period_of("week", "2026-11-29").from == "2026-11-23");  // Sunday still belongs to Monday's week
  CHECK(period_of("month", "2026-11-26").from == "2026-11-01");
  CHECK(period_of("year", "2026-11-26").from == "2026-01-01");
  CHECK(period_of("year", "2026-11-26").to == "2026-11-26");
}

TEST_CASE("the volume rule: three 好评 of three at a village cannot top 2,950 of 3,000 at the county hall") {
  CHECK(wilson_lower_bound(3, 3) < 0.5);
  CHECK(wilson_lower_bound(2950, 3000) > 0.97);
  CHECK(wilson_lower_bound(0, 0) == 0);
  const std::string today = "2026-11-26";
  County c;
  c.add(HallBuilder("county-hall", today).ratings(today, 2950, 50).s, "county", "", kNoon);
  c.add(HallBuilder("town-a", today).ratings(today, 95, 5).s, "township", "county-hall", kNoon);
  c.add(HallBuilder("village-a1", today).ratings(today, 3, 0).s, "village", "town-a", kNoon);
  c.add(HallBuilder("village-a2", today).ratings(today, 40, 0).s, "village", "town-a", kNoon);
  CountyInfo info;
  info.min_ratings = 30;
  Ranking r = rank_county(c.ready(kNoon), info, "today", today);
  REQUIRE(r.halls.size() == 4);
  // 40 of 40 (bound 0.91) is ranked, but below 2,950 of 3,000 (0.98): volume counts.
  CHECK(r.halls[0].id == "county-hall");
  CHECK(r.halls[1].id == "village-a2");
  CHECK(r.halls[2].id == "town-a");
  // Three ratings are under the minimum: listed last, not ranked, rate shown all the same.
  CHECK(r.halls[3].id == "village-a1");
  CHECK_FALSE(r.halls[3].ranked);
  CHECK(r.halls[3].rate == doctest::Approx(1.0));
  CHECK(r.halls[3].volume == 3);
  // The township is its hall and its villages together.
  const RankEntry& town = find(r.townships, "town-a");
  CHECK(town.volume == 143);
  CHECK(town.rate == doctest::Approx(138.0 / 143));
  CHECK(town.detail == "3 个大厅");
  // Levels add up every hall of the level.
  CHECK(find(r.levels, "village").volume == 43);
  CHECK(find(r.levels, "county").volume == 3000);
  // A department across every hall.
  CHECK(find(r.departments, "市场监管局").volume == 3143);
}

TEST_CASE("a period's ratings: live ratings this month, the closed days' tallies before it") {
  const std::string today = "2026-11-26";
  HallBuilder h("town-a", today);
  h.ratings("2026-11-02", 10, 0).ratings(today, 4, 1);
  h.daystat("2026-10-15", 100, 90, 50, 5).daystat("2026-11-02", 12, 12, 10, 0).daystat("2025-12-31", 1, 1, 7, 7);
  CHECK(ratings_in(h.s, period_of("today", today)).total == 5);
  CHECK(ratings_in(h.s, period_of("week", today)).total == 5);
  CHECK(ratings_in(h.s, period_of("month", today)).total == 15);           // the 2nd from live ratings, not twice
  const Score year = ratings_in(h.s, period_of("year", today));
  CHECK(year.total == 15 + 55);                                              // October from its daystat; 2025 left out
  CHECK(year.good == 14 + 50);
  CHECK(department_ratings_in(h.s, period_of("year", today))["市场监管局"].total == 70);
}

TEST_CASE("items rank by 压缩率 from the catalogue and by 提前办结率 over cases finished in the period, with the volume rule") {
  const std::string today = "2026-11-26";
  HallBuilder a("county-hall", today), b("town-a", today);
  a.item("I1", 20, 5).item("I2", 20, 15);
  b.item("I1", 20, 10);
  for (int i = 0; i < 12; ++i) a.finished_case("A" + std::to_string(i), "I2", 15, i < 9 ? 3 : 15, today);  // 9 of 12 early
  for (int i = 0; i < 2; ++i) b.finished_case("B" + std::to_string(i), "I1", 10, 1, today);                // 2 of 2 early
  b.finished_case("B9", "I1", 10, 1, "2026-10-01");                                                        // outside the month
  County c;
  c.add(a.s, "county", "", kNoon);
  c.add(b.s, "township", "county-hall", kNoon);
  CountyInfo info;
  info.min_cases = 10;
  Ranking r = rank_county(c.ready(kNoon), info, "month", today);
  REQUIRE(r.items_compression.size() == 2);
  CHECK(r.items_compression[0].id == "I1");  // (40 − 15) / 40 over both halls
  CHECK(r.items_compression[0].rate == doctest::Approx(25.0 / 40));
  CHECK(r.items_compression[0].detail == "2 个大厅");
  CHECK(r.items_compression[1].rate == doctest::Approx(0.25));
  REQUIRE(r.items_early.size() == 2);
  CHECK(r.items_early[0].id == "I2");  // 9 of 12 ranked; 2 of 2 is under ten cases
  CHECK(r.items_early[0].rate == doctest::Approx(0.75));
  CHECK(r.items_early[0].volume == 12);
  CHECK_FALSE(r.items_early[1].ranked);
  CHECK(r.items_early[1].volume == 2);
}

TEST_CASE("warning cards: colours from the county's thresholds, the most severe reason wins, each reason says its figure and line") {
  const std::string today = "2026-11-26";
  HallBuilder a("county-hall", today), b("town-a", today), v("village-a1", today);
  for (int i = 0; i < 4; ++i) a.overdue_case("O" + std::to_string(i), "不动产登记中心", "2026-11-20");
  a.overdue_case("P1", "税务局", "2026-11-24");
  a.ratings(today, 97, 3);                       // 97 % this month: no card for it
  b.ratings("2026-11-10", 46, 4, "社保局");      // 92 %: below the yellow line 95 %, above orange 90 %
  v.ratings(today, 1, 2);                        // 33 %, but three ratings: judged only from 20
  FollowUp f;
  f.key = "T/x", f.opened_day = "2026-11-10", f.due_day = "2026-11-17";
  b.s.followups[f.key] = f;                      // overdue follow-up: orange at 1
  County c;
  c.add(a.s, "county", "", kNoon);
  c.add(b.s, "township", "county-hall", kNoon);
  c.add(v.s, "village", "town-a", kNoon);
  WarningThresholds t;  // the defaults: overdue red 3 / orange 1, follow-ups red 3 / orange 1, 好评率 orange 0.90 / yellow 0.95, waits
  Warnings w = warn_county(c.ready(kNoon), t);
  REQUIRE(w.cards.size() == 4);
  CHECK(w.cards[0].color == CardColor::Red);
  CHECK(w.cards[0].hall_id == "county-hall");
  CHECK(w.cards[0].department == "不动产登记中心");
  REQUIRE(w.cards[0].reasons.size() == 1);
  CHECK(w.cards[0].reasons[0] == "超期办件 4 件（红牌线 3）");
  // Orange: the township hall's overdue follow-up, with its 92 % as a second (yellow) reason.
  CHECK(w.cards[1].color == CardColor::Orange);
  CHECK(w.cards[1].hall_id == "town-a");
  CHECK(w.cards[1].department == "");
  REQUIRE(w.cards[1].reasons.size() == 2);
  CHECK(w.cards[1].reasons[0] == "差评超期未整改 1 条（橙牌线 1）");
  CHECK(w.cards[1].reasons[1] == "本月好评率 92.0%，50 条评价（黄牌线 95.0%）");
  CHECK(w.cards[2].color == CardColor::Orange);
  CHECK(w.cards[2].department == "税务局");
  CHECK(w.cards[3].color == CardColor::Yellow);
  CHECK(w.cards[3].department == "社保局");
  for (const auto& card : w.cards) CHECK(card.hall_id != "village-a1");

  SUBCASE("thresholds come from the county config: a stricter floor turns the 92 % orange") {
    t.good_rate_below.at[CardColor::Orange] = 0.93;
    Warnings stricter = warn_county(c.members, t);
    CHECK(stricter.cards[1].reasons[1].find("橙牌线") != std::string::npos);
  }
  SUBCASE("a colour left out of a rule is never given for it") {
    t.overdue_cases.at.erase(CardColor::Red);
    Warnings milder = warn_county(c.members, t);
    for (const auto& card : milder.cards) CHECK(card.color != CardColor::Red);
  }
}

TEST_CASE("trends on a hall's first day at the county: its past days came with it") {
  const std::string today = "2026-11-26";
  HallBuilder h("town-a", today);
  h.daystat("2026-11-25", 80, 70, 30, 1, 600000).daystat("2026-11-20", 50, 50, 20, 0, 300000).daystat("2025-12-15", 10, 10, 1, 0);
  h.ratings(today, 2, 1);
  County c;
  c.add(h.s, "township", "county-hall", kNoon);
  auto& members = c.ready(kNoon);
  Trend t = trend_of("town-a", "town-a", {&members[0]}, today);
  REQUIRE(t.days.size() == 7);
  CHECK(t.days.front().label == "2026-11-20");
  CHECK(t.days.front().issued == 50);
  CHECK(t.days[5].label == "2026-11-25");
  CHECK(t.days[5].mean_wait_ms == 600000);
  CHECK(t.days.back().label == today);
  CHECK(t.days.back().ratings == 3);           // today from the live state
  REQUIRE(t.weeks.size() == 12);
  CHECK(t.weeks.back().label == "2026-11-23");  // this week, by its Monday
  CHECK(t.weeks.back().issued == 80);
  CHECK(t.weeks[10].issued == 50);              // the week of the 16th holds the 20th
  REQUIRE(t.months.size() == 12);
  CHECK(t.months.front().label == "2025-12");
  CHECK(t.months.front().issued == 10);
  CHECK(t.months.back().label == "2026-11");
  CHECK(t.months.back().issued == 130);
  CHECK(t.months.back().mean_wait_ms == (70 * 600000 + 50 * 300000) / 120);
}

TEST_CASE("the county's bus entities read back through CountyState as they were computed, and an unknown kind is refused") {
  const std::string today = "2026-11-26";
  County c;
  c.add(HallBuilder("county-hall", today).ratings(today, 9, 1).s, "county", "", kNoon);
  c.add(HallBuilder("town-a", today).s, "township", "county-hall", 0);
  CountyInfo info;
  info.id = "demo", info.name = "示范县";
  CountyState s = county_state(c.ready(kNoon), info, kNoon);
  CHECK(s.halls.at("county-hall").status == "online");
  CHECK(s.halls.at("town-a").status == "silent");  // never heard
  CHECK(s.halls.at("county-hall").ratings_today == 10);
  CHECK(s.rankings.size() == 4);
  CHECK(s.trends.count("county"));
  CHECK(s.trends.count("township/town-a"));
  CountyState back;
  for (const auto& [key, value] : s.entities()) back.apply(key, value);
  CHECK(json(back.county) == json(s.county));
  CHECK(json(back.halls.at("county-hall")) == json(s.halls.at("county-hall")));
  CHECK(json(back.rankings.at("year")) == json(s.rankings.at("year")));
  CHECK(json(back.trends.at("township/town-a")) == json(s.trends.at("township/town-a")));
  back.apply("hall/town-a", nullptr);
  CHECK_FALSE(back.halls.count("town-a"));
  CHECK_THROWS_AS(back.apply("queue/x", json::object()), std::invalid_argument);
  CHECK_THROWS_AS(back.apply("hall/x", json::array()), std::invalid_argument);
  CHECK_THROWS_AS(json({{"purple", 1}}).get<WarningRule>(), std::invalid_argument);
}
