// The exit-code contract of `maas` and the one place that turns a failure into a message on stderr and a code.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace maas::cli {

// Scripts switch on these; never renumber them. Documented in src/cli/README.md and in `maas --help`.
enum class ExitCode : int {
  kOk = 0,
  kUnexpected = 1,    // a bug, a local I/O failure, a declined confirmation
  kUsage = 2,         // bad flags or arguments, detected before or without asking the server
  kNotFound = 3,      // 404
  kConflict = 4,      // 409 (already exists, or a state that forbids the operation)
  kInvalidInput = 5,  // the server rejected the input: 400, 413, 415
  kUnavailable = 6,   // cannot connect, timeout, 5xx, 429
  kAuth = 7,          // 401, 403
};

// The text of the `--help` footer and of the README table.
extern const char* const kExitCodeHelp;

// The exit code for a Status that came from the server or from talking to it.
ExitCode exit_code_for(StatusCode code);

// "error: <message> (<CODE>)", the line printed for a Status.
std::string format_error_line(const Status& status);

// Each prints one "error: ..." line on stderr and returns the exit code to end with.
ExitCode report_failure(const Status& status);
ExitCode report_usage_error(std::string_view message);
ExitCode report_local_error(std::string_view message);

inline int to_int(ExitCode code) { return static_cast<int>(code); }

}  // namespace maas::cli
