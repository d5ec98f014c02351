// One flat JSON object written straight into a string, for the lines logged on the request path (the access log,
// the log center's request records): building a DOM per request cost more than the rest of the line's work.
// Strings are escaped as JSON requires; bytes that are not valid UTF-8 become U+FFFD, so a line is always valid
// JSON whatever a client sent (nlohmann's error_handler_t::replace, which these lines used before).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace maas {

class JsonLine {
 public:
  JsonLine() { out_.push_back('{'); }

  JsonLine& field(std::string_view key, std::string_view value);
  JsonLine& field(std::string_view key, const char* value) { return field(key, std::string_view(value)); }
  JsonLine& field(std::string_view key, const std::string& value) { return field(key, std::string_view(value)); }
  JsonLine& field(std::string_view key, int64_t value);
  JsonLine& field(std::string_view key, uint64_t value);
  JsonLine& field(std::string_view key, int value) { return field(key, static_cast<int64_t>(value)); }
  // The shortest text that reads back as the same double; null for NaN and infinities (JSON has neither).
  JsonLine& field(std::string_view key, double value);

  // The object, closed. The writer is spent afterwards.
  std::string take();

 private:
  void key(std::string_view key);
  std::string out_;
};

// Appends `text` to `out` as a quoted JSON string, invalid UTF-8 replaced by U+FFFD.
void append_json_quoted(std::string& out, std::string_view text);

}  // namespace maas
