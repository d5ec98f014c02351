#include "common/json_parse.h"

#include <cstdint>
#include <cstring>
#include <string>

namespace maas {
namespace {

constexpr uint64_t kOnes = 0x0101010101010101ull;
constexpr uint64_t kHighs = 0x8080808080808080ull;

constexpr uint64_t has_zero_byte(uint64_t v) { return (v - kOnes) & ~v & kHighs; }

// Whether any of the 8 bytes may be a bracket or a quote. [ ] { } are the bytes whose bits match 0x59 under the
// mask 0xD9 (so are Y _ y and DEL, which the byte loop then passes over): two tests cover all five characters.
constexpr bool may_matter(uint64_t word) {
  return has_zero_byte(word ^ (kOnes * '"')) != 0 || has_zero_byte((word & (kOnes * 0xD9)) ^ (kOnes * 0x59)) != 0;
}

// Past the string that starts at `p` (just after its opening quote): after the first quote no backslash escapes.
const char* skip_string(const char* p, const char* end) {
  const char* start = p;
  while (p < end) {
    const auto* quote = static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(end - p)));
    if (quote == nullptr) return end;
    const char* backslashes = quote;
    while (backslashes > start && backslashes[-1] == '\\') --backslashes;
    if ((quote - backslashes) % 2 == 0) return quote + 1;
    p = quote + 1;
  }
  return end;
}

}  // namespace

Status check_json_depth(std::string_view text, size_t max_depth) {
  size_t depth = 0;
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    // Numbers, commas and spaces, the bulk of a tensor's data, go by 8 bytes at a time.
    uint64_t word;
    while (end - p >= 8 && (std::memcpy(&word, p, 8), !may_matter(word))) p += 8;
    if (p == end) break;
    switch (*p++) {
      case '[':
      case '{':
        if (++depth > max_depth) {
          return invalid_argument("JSON nested deeper than " + std::to_string(max_depth) + " levels");
        }
        break;
      case ']':
      case '}':
        // An unbalanced close is the parser's to report; the depth only has to stay an upper bound.
        if (depth > 0) --depth;
        break;
      case '"':
        p = skip_string(p, end);
        break;
      default:
        break;
    }
  }
  return {};
}

Result<nlohmann::json> parse_json(std::string_view text, std::string_view what) {
  if (Status depth = check_json_depth(text); !depth.ok()) {
    return invalid_argument(std::string(what) + ": " + depth.message());
  }
  nlohmann::json value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return invalid_argument(std::string(what) + " is not valid JSON");
  return value;
}

nlohmann::json parse_json_or(std::string_view text, nlohmann::json fallback) {
  auto parsed = parse_json(text);
  return parsed.ok() ? std::move(*parsed) : std::move(fallback);
}

}  // namespace maas
