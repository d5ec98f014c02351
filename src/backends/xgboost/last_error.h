// libxgboost's last error as a person reads it: its "[time] file:line: " prefix and stack trace removed. Shared by
// the serving backend and the training center (src/training/xgboost), which both call libxgboost's C API.
//
// Thread-safety: XGBGetLastError is per thread in libxgboost.
#pragma once

#include <xgboost/c_api.h>

#include <string>

namespace maas::xgboost_api {

inline std::string last_error() {
  std::string text = XGBGetLastError();
  if (size_t trace = text.find("\nStack trace:"); trace != std::string::npos) text.resize(trace);
  if (!text.empty() && text.front() == '[') {
    // Skip the time stamp and the "file:line: " that follows it.
    size_t source = text.find("] ");
    size_t message = source == std::string::npos ? std::string::npos : text.find(": ", source + 2);
    if (message != std::string::npos) text.erase(0, message + 2);
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace maas::xgboost_api
