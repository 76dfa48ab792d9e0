// The pages a display can show, in one table: the layout check, the usage
// text, the benches and the docs gallery all read it.
#include "display/page.h"

namespace hall::display {

std::unique_ptr<Page> make_hall_board();
std::unique_ptr<Page> make_window_screen();
std::unique_ptr<Page> make_ratings_board();
std::unique_ptr<Page> make_approval_board();
std::unique_ptr<Page> make_leader_dashboard();
std::unique_ptr<Page> make_county_overview();
std::unique_ptr<Page> make_county_rankings();
std::unique_ptr<Page> make_county_warnings();

const std::vector<PageEntry>& page_registry() {
  static const std::vector<PageEntry> pages{
      {"hall_board", "大厅综合屏: calls, queues, windows, announcement", &make_hall_board},
      {"window", "窗口屏: one window's ticket, staff and rating (needs a window)", &make_window_screen},
      {"ratings", "好差评公示: departments and every window, follow-ups", &make_ratings_board},
      {"approval", "审批时限: 压缩率 and 提前办结率 by department and item", &make_approval_board},
      {"leader", "领导驾驶舱: KPIs, hourly arrivals, trends, ranking, alerts", &make_leader_dashboard},
      {"county_overview", "县域总览: every hall by township, status, waiting, tickets, 好评率, trends (county_server)", &make_county_overview},
      {"county_rankings", "县域排名: townships, halls, departments, items for the layout's period (county_server)", &make_county_rankings},
      {"county_warnings", "四色预警: warning cards with their reasons (county_server)", &make_county_warnings},
  };
  return pages;
}

std::unique_ptr<Page> make_page(const std::string& name) {
  for (const auto& p : page_registry())
    if (name == p.name) return p.make();
  return nullptr;
}

std::string page_names() {
  std::string out;
  for (const auto& p : page_registry()) out += (out.empty() ? "" : ", ") + std::string(p.name);
  return out;
}

}  // namespace hall::display
