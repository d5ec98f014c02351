// UTF-8 validation for text that came from outside (a client, a data file) and goes where only valid UTF-8 may go
// (JSON, a DuckDB VARCHAR). Pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace maas {

// The length of the valid UTF-8 sequence at text[i], or 0 when the bytes there are not one (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF). Bytes below 0x80 are not sequences here: callers handle ASCII.
size_t utf8_sequence(std::string_view text, size_t i);
// `text` with each byte that does not belong to a valid sequence replaced by U+FFFD.
std::string to_valid_utf8(std::string_view text);

}  // namespace maas
