// Parsing JSON that comes from outside maasd (request bodies, pushed log lines, files on disk) with its nesting
// bounded first: copying, dumping or walking a nlohmann::json recurses once per level, so an unbounded depth is a
// stack overflow waiting for the first recursive step. Pure functions, safe from any thread.
#pragma once

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace maas {

// The deepest nesting of arrays and objects maasd reads: simdjson's default, far beyond any real document.
inline constexpr size_t kMaxJsonDepth = 1024;

// OK when no array or object in `text` sits deeper than `max_depth` levels. Otherwise INVALID_ARGUMENT
// "JSON nested deeper than <max_depth> levels". One pass, no allocation; brackets inside strings do not count, and
// it says nothing about whether the text is valid JSON.
Status check_json_depth(std::string_view text, size_t max_depth = kMaxJsonDepth);

// check_json_depth, then nlohmann's parser. INVALID_ARGUMENT naming `what` ("the body is not valid JSON",
// "the body: JSON nested deeper than 1024 levels"). Never throws.
Result<nlohmann::json> parse_json(std::string_view text, std::string_view what = "the body");

// parse_json, or `fallback` when the text is not JSON or nests too deep: for text where that means "no value" (a log
// line under a `| json` stage, a hand-edited column).
nlohmann::json parse_json_or(std::string_view text, nlohmann::json fallback);

}  // namespace maas
