// JSON number tokens to and from tensor elements, through std::from_chars/std::to_chars (exact, locale-free).
#include "protocol/json_number.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <system_error>
#include <type_traits>

#include "protocol/fp16.h"

namespace maas::protocol {
namespace {

enum class TokenKind { kInvalid, kInteger, kReal };

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// JSON's number grammar, which is stricter than from_chars (no "01", "1.", ".5", "inf", "nan").
TokenKind classify(std::string_view token) {
  size_t i = 0;
  const size_t n = token.size();
  if (i < n && token[i] == '-') ++i;
  if (i >= n) return TokenKind::kInvalid;
  if (token[i] == '0') {
    ++i;
  } else if (is_digit(token[i])) {
    while (i < n && is_digit(token[i])) ++i;
  } else {
    return TokenKind::kInvalid;
  }
  bool integer = true;
  if (i < n && token[i] == '.') {
    const size_t start = ++i;
    while (i < n && is_digit(token[i])) ++i;
    if (i == start) return TokenKind::kInvalid;
    integer = false;
  }
  if (i < n && (token[i] == 'e' || token[i] == 'E')) {
    ++i;
    if (i < n && (token[i] == '+' || token[i] == '-')) ++i;
    const size_t start = i;
    while (i < n && is_digit(token[i])) ++i;
    if (i == start) return TokenKind::kInvalid;
    integer = false;
  }
  if (i != n) return TokenKind::kInvalid;
  return integer ? TokenKind::kInteger : TokenKind::kReal;
}

// Whether a well-formed number token has magnitude >= 1, which tells an overflow from an underflow when
// from_chars reports the value out of range.
bool magnitude_at_least_one(std::string_view token) {
  size_t i = token.empty() || token[0] != '-' ? 0 : 1;
  long long decimal_exponent = 0;  // power of ten of the first significant digit, before the explicit exponent
  bool found = false;
  long long integer_digits = 0;
  while (i < token.size() && is_digit(token[i])) {
    if (token[i] != '0' || found) {
      found = true;
      ++integer_digits;
    }
    ++i;
  }
  if (found) {
    decimal_exponent = integer_digits - 1;
  } else if (i < token.size() && token[i] == '.') {
    ++i;
    long long position = 0;
    while (i < token.size() && is_digit(token[i])) {
      --position;
      if (token[i] != '0') {
        found = true;
        break;
      }
      ++i;
    }
    decimal_exponent = position;
  }
  if (!found) return false;  // zero
  while (i < token.size() && token[i] != 'e' && token[i] != 'E') ++i;
  long long exponent = 0;
  if (i < token.size()) {
    ++i;
    bool negative = false;
    if (i < token.size() && (token[i] == '+' || token[i] == '-')) negative = token[i++] == '-';
    for (; i < token.size(); ++i) {
      if (exponent < 1'000'000'000) exponent = exponent * 10 + (token[i] - '0');  // saturates: only the sign matters
    }
    if (negative) exponent = -exponent;
  }
  return decimal_exponent + exponent >= 0;
}

template <typename T>
NumberError parse_integer(std::string_view token, T& out) {
  switch (classify(token)) {
    case TokenKind::kInvalid:
      return NumberError::kMalformed;
    case TokenKind::kReal:
      return NumberError::kNotInteger;
    case TokenKind::kInteger:
      break;
  }
  if constexpr (std::is_unsigned_v<T>) {
    if (token[0] == '-') {
      if (token == "-0") {
        out = 0;
        return NumberError::kNone;
      }
      return NumberError::kOutOfRange;
    }
  }
  auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), out);
  if (error == std::errc::result_out_of_range) return NumberError::kOutOfRange;
  if (error != std::errc() || end != token.data() + token.size()) return NumberError::kMalformed;
  return NumberError::kNone;
}

template <typename T>
NumberError parse_floating(std::string_view token, T& out) {
  if (classify(token) == TokenKind::kInvalid) return NumberError::kMalformed;
  auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), out);
  if (error == std::errc::result_out_of_range) {
    if (magnitude_at_least_one(token)) return NumberError::kOutOfRange;
    out = token[0] == '-' ? -T{0} : T{0};
    return NumberError::kNone;
  }
  if (error != std::errc() || end != token.data() + token.size()) return NumberError::kMalformed;
  return NumberError::kNone;
}

template <typename T>
void append_with_to_chars(std::string& out, T value) {
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  (void)error;  // 32 characters hold any int64, uint64, float or double
  out.append(buffer, end);
}

}  // namespace

NumberError parse_json_number(std::string_view token, int8_t& out) { return parse_integer(token, out); }
NumberError parse_json_number(std::string_view token, int16_t& out) { return parse_integer(token, out); }
NumberError parse_json_number(std::string_view token, int32_t& out) { return parse_integer(token, out); }
NumberError parse_json_number(std::string_view token, int64_t& out) { return parse_integer(token, out); }
NumberError parse_json_number(std::string_view token, uint8_t& out) { return parse_integer(token, out); }
NumberError parse_json_number(std::string_view token, uint16_t& out) { return parse_integer(token, out); }
NumberError parse_json_number(std::string_view token, uint32_t& out) { return parse_integer(token, out); }
NumberError parse_json_number(std::string_view token, uint64_t& out) { return parse_integer(token, out); }
NumberError parse_json_number(std::string_view token, float& out) { return parse_floating(token, out); }
NumberError parse_json_number(std::string_view token, double& out) { return parse_floating(token, out); }

NumberError parse_json_fp16(std::string_view token, uint16_t& out) {
  double value = 0;
  NumberError error = parse_floating(token, value);
  if (error != NumberError::kNone) return error;
  out = fp16_from_double(value);
  return fp16_is_finite(out) ? NumberError::kNone : NumberError::kOutOfRange;
}

void append_json_number(std::string& out, int64_t value) { append_with_to_chars(out, value); }
void append_json_number(std::string& out, uint64_t value) { append_with_to_chars(out, value); }

bool append_json_number(std::string& out, float value) {
  if (!std::isfinite(value)) return false;
  append_with_to_chars(out, value);
  return true;
}

bool append_json_number(std::string& out, double value) {
  if (!std::isfinite(value)) return false;
  append_with_to_chars(out, value);
  return true;
}

bool append_json_fp16(std::string& out, uint16_t half) {
  if (!fp16_is_finite(half)) return false;
  // to_chars has no half overload before C++23. Among 1 to 5 significant digits (5 always suffice for 11 bits)
  // keep the shortest text that parses back to the same half; like to_chars for float, prefer the plain integer
  // on a tie ("60000", not "6e+04"; "65504", not "6.55e+04").
  const float value = fp16_to_float(half);
  char best[32];
  size_t best_length = sizeof(best);
  char buffer[32];
  for (int digits = 1; digits <= 5; ++digits) {
    auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::general, digits);
    (void)error;
    const auto length = static_cast<size_t>(end - buffer);
    uint16_t parsed = 0;
    if (length < best_length && parse_json_fp16(std::string_view(buffer, length), parsed) == NumberError::kNone &&
        parsed == half) {
      std::memcpy(best, buffer, length);
      best_length = length;
    }
  }
  if (value == std::trunc(value)) {
    auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), static_cast<int64_t>(value));
    (void)error;
    const auto length = static_cast<size_t>(end - buffer);
    if (length <= best_length && !(value == 0 && std::signbit(value))) {
      std::memcpy(best, buffer, length);
      best_length = length;
    }
  }
  if (best_length == sizeof(best)) {
    append_with_to_chars(out, value);  // not reached (5 digits always round-trip); the exact float is still right
    return true;
  }
  out.append(best, best_length);
  return true;
}

}  // namespace maas::protocol
