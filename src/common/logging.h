// Logging set-up: the application log and the access log, as JSON lines (one object per line, for log
// shippers) or as text for a person at a terminal. Both go to stderr.
#pragma once

#include <string>

namespace maas {

// `level`: trace, debug, info, warn, error. `format`: json or text. `access_log`: one JSON line per request.
// Call once at start, before any thread.
void setup_logging(const std::string& level, const std::string& format, bool access_log = true);

}  // namespace maas
