// The list of pages a display can show: one place to read them all.
#include "display/page.h"

namespace hall::display {

std::unique_ptr<Page> make_hall_board();
std::unique_ptr<Page> make_window_screen();
std::unique_ptr<Page> make_ratings_board();
std::unique_ptr<Page> make_approval_board();
std::unique_ptr<Page> make_leader_dashboard();

std::unique_ptr<Page> make_page(const std::string& name) {
  if (name == "hall_board") return make_hall_board();
  if (name == "window") return make_window_screen();
  if (name == "ratings") return make_ratings_board();
  if (name == "approval") return make_approval_board();
  if (name == "leader") return make_leader_dashboard();
  return nullptr;
}

}  // namespace hall::display
