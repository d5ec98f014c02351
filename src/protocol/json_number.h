// Tensor elements as JSON number text: strict parsing of number tokens into each numeric datatype, and the
// shortest text that parses back to the same value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace maas::protocol {

enum class NumberError {
  kNone,
  kMalformed,   // not a JSON number ("01", "1.", "-", "NaN")
  kNotInteger,  // a fraction or exponent where an integer datatype needs an integer
  kOutOfRange,  // outside the datatype's range
};

// Each parses one JSON number token (no surrounding whitespace). Integers accept only integer literals, so 1.0
// and 1e3 are kNotInteger. Floats round to nearest even from the exact decimal; beyond the largest finite value
// is kOutOfRange, below the smallest subnormal rounds to (signed) zero.
NumberError parse_json_number(std::string_view token, int8_t& out);
NumberError parse_json_number(std::string_view token, int16_t& out);
NumberError parse_json_number(std::string_view token, int32_t& out);
NumberError parse_json_number(std::string_view token, int64_t& out);
NumberError parse_json_number(std::string_view token, uint8_t& out);
NumberError parse_json_number(std::string_view token, uint16_t& out);
NumberError parse_json_number(std::string_view token, uint32_t& out);
NumberError parse_json_number(std::string_view token, uint64_t& out);
NumberError parse_json_number(std::string_view token, float& out);
NumberError parse_json_number(std::string_view token, double& out);
// FP16: the decimal is parsed to the nearest double, then rounded to half (ties to even).
NumberError parse_json_fp16(std::string_view token, uint16_t& out);

// Each appends the shortest decimal that parse_json_number reads back to the same value. The floating-point
// ones return false, appending nothing, for NaN and infinities, which JSON cannot carry.
void append_json_number(std::string& out, int64_t value);
void append_json_number(std::string& out, uint64_t value);
bool append_json_number(std::string& out, float value);
bool append_json_number(std::string& out, double value);
bool append_json_fp16(std::string& out, uint16_t half);

}  // namespace maas::protocol
