// hall-kiosk's one config file (JSON); see deploy/kiosk.json for every key.
#pragma once

#include "kiosk/kiosk.h"

namespace hall::kiosk {

// Reads and validates; throws ConfigError("file: key: problem").
Options load_kiosk_config(const std::string& path);

}  // namespace hall::kiosk
