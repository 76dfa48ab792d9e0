// The in-process driver (shared/ui/driver.h) under the tests' namespace.
#pragma once

#include "shared/ui/driver.h"
#include "tests/support.h"

namespace hall::test {

using ui::drive;
using ui::key_event;
using ui::press;
using ui::tap;
using ui::tap_at;
using ui::type;

}  // namespace hall::test
