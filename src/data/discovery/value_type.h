// What kind of value a log token is (int, float, IP, timestamp with its format, ...), recognised by hand-written
// scanners (no regex); the miner masks such tokens as parameters and the rules type their columns with it.
// Thread-safety: stateless functions over immutable tables.
#pragma once

#include <cstdint>
#include <string_view>

namespace maas::data::discovery {

enum class ValueType : uint8_t {
  kWord = 0,    // text with no recognised shape (a constant, or a word-like parameter such as a user name)
  kInt,         // -?[0-9]{1,18}
  kFloat,       // -?[0-9]+.[0-9]+ with an optional exponent
  kHex,         // 0x... or a hex string of 4+ characters holding a digit
  kId,          // an opaque identifier: a digit string too long for int64, letters and digits interleaved
  kIp,          // IPv4 or IPv6
  kUuid,        // 8-4-4-4-12 hex
  kTimestamp,   // a date, a time or both, in one of the formats of date_format_string()
  kPath,        // /a/b, ./a, ~/a, C:\a
  kUrl,         // scheme://...
  kEmail,       // a@b.c
  kMac,         // aa:bb:cc:dd:ee:ff
  kQuantity,    // a number glued to a unit: 512MB, 10ms, "1.16 KB"
  kNull,        // "-" in quotes ("-"): the conventional empty field of access logs
  kCount,
};

using TypeMask = uint16_t;
constexpr TypeMask type_bit(ValueType t) { return static_cast<TypeMask>(1u << static_cast<unsigned>(t)); }
static_assert(static_cast<unsigned>(ValueType::kCount) <= 16, "TypeMask holds one bit per type");

std::string_view value_type_name(ValueType t);

// Timestamp formats are small integers: 0 is "none", kMixedFormat says a column saw several.
using DateFormat = uint16_t;
constexpr DateFormat kNoFormat = 0;
constexpr DateFormat kMixedFormat = 0xFFFF;
// strftime-style text of a format ("%Y-%m-%dT%H:%M:%S.%f%z"); "" for kNoFormat and kMixedFormat.
std::string_view date_format_string(DateFormat format);
// The format whose text date_format_string() gives, or kNoFormat.
DateFormat date_format_id(std::string_view text);
// All formats, 1..date_format_count(): a column of values tries them in turn.
DateFormat date_format_count();
// The format whose shape `value` has, or kNoFormat.
DateFormat match_date_format(std::string_view value);
// Whether `value` has the shape of `format` with field values in range (month 1-12, hour 0-23, ...).
bool parses_as_date(std::string_view value, DateFormat format);

// Classifies a whole token (its wrapping punctuation already removed). `format` receives the timestamp format.
ValueType classify_value(std::string_view core, DateFormat* format);

// A number followed by a unit ("KB", "ms", "sec"), the unit alone: whether `word` is such a unit.
bool is_unit(std::string_view word);

// Splits punctuation that wraps a token ("(", "[", quotes before; ")", ",", ":", "." after) from its core.
struct Wrapped {
  std::string_view prefix, core, suffix;
};
Wrapped unwrap(std::string_view token);

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_alpha(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
inline bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }
inline bool is_hex_digit(char c) { return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }
// RE2's \s: space, tab, CR, form feed (not vertical tab): what separates tokens is what a rule's \s+ matches.
inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\n'; }

// The length of the well-formed UTF-8 sequence at s[i] (RFC 3629: no overlongs, no surrogates), 0 if none.
size_t utf8_sequence_length(std::string_view s, size_t i);
bool is_utf8(std::string_view s);

}  // namespace maas::data::discovery
