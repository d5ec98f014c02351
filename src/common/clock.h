// Wall-clock helpers: milliseconds since the epoch and RFC 3339 text, as stored and shown by the API.
#pragma once

#include <optional>
#include <string_view>

#include <cstdint>
#include <string>

namespace maas {

int64_t now_unix_ms();
// "2026-11-25T01:02:03.456Z"
std::string format_rfc3339_ms(int64_t unix_ms);
// Parses RFC 3339 ("2026-11-25T01:02:03Z", fractional seconds and a numeric offset allowed) to unix ms.
std::optional<int64_t> parse_rfc3339_ms(std::string_view text);

}  // namespace maas
