// Logging set-up: the application log and the access log, as JSON lines (one object per line, for log
// shippers) or as text for a person at a terminal. Both go to stderr.
#pragma once

#include <string>

namespace spdlog {
class logger;
}

namespace maas {

// `level`: trace, debug, info, warn, error. `format`: json or text. `access_log`: one JSON line per request.
// Call once at start, before any thread.
void setup_logging(const std::string& level, const std::string& format, bool access_log = true);

// The access logger (its lines are whole JSON objects, written in blocks at most a second late); null before
// setup_logging or with the access log off, so callers skip building the line.
spdlog::logger* access_logger();
// Writes out what the loggers hold (at shutdown).
void flush_logs();

}  // namespace maas
