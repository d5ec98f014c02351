// Mapping of Status codes to exit codes, and the error lines printed on stderr.
#include "cli/exit_codes.h"

#include <iostream>

namespace maas::cli {

const char* const kExitCodeHelp =
    "Exit codes:\n"
    "  0  success\n"
    "  1  unexpected error (a bug, a local I/O failure, a declined confirmation)\n"
    "  2  usage error (bad flags or arguments)\n"
    "  3  not found (HTTP 404)\n"
    "  4  conflict (HTTP 409)\n"
    "  5  invalid input rejected by the server (HTTP 400, 413, 415)\n"
    "  6  server unavailable: cannot connect, timeout, HTTP 5xx or 429\n"
    "  7  authentication or permission (HTTP 401, 403)\n";

ExitCode exit_code_for(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return ExitCode::kOk;
    case StatusCode::kNotFound:
      return ExitCode::kNotFound;
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return ExitCode::kConflict;
    case StatusCode::kInvalidArgument:
    case StatusCode::kPayloadTooLarge:
    case StatusCode::kUnsupportedMediaType:
      return ExitCode::kInvalidInput;
    case StatusCode::kUnauthenticated:
    case StatusCode::kPermissionDenied:
      return ExitCode::kAuth;
    // A rate limit is the server asking to come back later, like 503.
    case StatusCode::kResourceExhausted:
    case StatusCode::kInternal:
    case StatusCode::kUnavailable:
    case StatusCode::kDeadlineExceeded:
      return ExitCode::kUnavailable;
    // The client called a route with the wrong method: a client/server mismatch, not the user's input.
    case StatusCode::kMethodNotAllowed:
      return ExitCode::kUnexpected;
  }
  return ExitCode::kUnexpected;
}

std::string format_error_line(const Status& status) {
  std::string line = "error: " + status.message();
  line += " (";
  line += status_code_name(status.code());
  line += ")";
  return line;
}

ExitCode report_failure(const Status& status) {
  std::cerr << format_error_line(status) << '\n';
  return exit_code_for(status.code());
}

ExitCode report_usage_error(std::string_view message) {
  std::cerr << "error: " << message << "\nRun with --help for more information.\n";
  return ExitCode::kUsage;
}

ExitCode report_local_error(std::string_view message) {
  std::cerr << "error: " << message << '\n';
  return ExitCode::kUnexpected;
}

}  // namespace maas::cli
