// Wall-clock helpers: milliseconds since the epoch and RFC 3339 text, as stored and shown by the API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace maas {

int64_t now_unix_ms();
// "2026-11-25T01:02:03.456Z"
std::string format_rfc3339_ms(int64_t unix_ms);
// "2024-05-01T12:00:00Z", with an optional fraction and a Z or ±HH:MM offset, into Unix nanoseconds.
std::optional<int64_t> parse_rfc3339_ns(const std::string& text);

}  // namespace maas
