// The JSONPath subset extraction rules use over JSON lines: `$` then steps `.name`, `['name']` or `["name"]`, `[N]`
// (N ≥ 0) and `[*]` (every element of an array, or every value of an object). A path without `[*]` selects at most
// one value; a path with `[*]` selects a list (flattened across several wildcards).
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace maas::data::rules {

struct JsonPathStep {
  enum class Kind { kKey, kIndex, kWildcard } kind = Kind::kKey;
  std::string key;
  size_t index = 0;
};

struct JsonPath {
  std::string text;
  std::vector<JsonPathStep> steps;
  bool has_wildcard() const;
};

// INVALID_ARGUMENT saying where the path stops being the subset.
Result<JsonPath> parse_json_path(std::string_view text);

// The values `path` selects in `doc`, in document order; missing steps select nothing.
std::vector<const nlohmann::json*> select(const JsonPath& path, const nlohmann::json& doc);

}  // namespace maas::data::rules
