// systemd's notify protocol (sd_notify(3)), written here in a few lines
// rather than linking libsystemd: READY=1 once serving, WATCHDOG=1 while
// the main loop turns. Does nothing when not started by systemd.
#pragma once

namespace hall {

void sd_notify_text(const char* state);   // e.g. "READY=1"
void sd_watchdog_tick();                  // WATCHDOG=1, at most once a second

}  // namespace hall
