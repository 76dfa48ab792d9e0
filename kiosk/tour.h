#pragma once

#include <string>

#include "kiosk/kiosk.h"

namespace hall::kiosk {

// Saves every page as dir/kiosk-<page><suffix>.png (at half size when half
// is set); 0 when every step worked.
int run_tour(Kiosk& k, const std::string& dir, const std::string& suffix, bool half = false);

}  // namespace hall::kiosk
