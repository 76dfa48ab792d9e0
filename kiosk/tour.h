#pragma once

#include <string>

#include "kiosk/kiosk.h"

namespace hall::kiosk {

// Saves every page as dir/kiosk-<page><suffix>.png; 0 when every step worked.
int run_tour(Kiosk& k, const std::string& dir, const std::string& suffix);

}  // namespace hall::kiosk
