// Checks a JSON Schema (OpenAI's response_format json_schema) at the edge before the worker turns it into a grammar
// with llama.cpp's json_schema_to_grammar (backends/gguf/chat_tools.h): every keyword is one that converter
// enforces, or one that only describes; any other ('not', 'multipleOf', 'minimum' on a non-integer, ...) is
// INVALID_ARGUMENT naming it, never silently ignored. The converter's work is bounded first (a client sends the
// schema): nesting, subschemas and the repetitions that length and item bounds expand into each have a limit below.
// A string with no bound of its own (maxLength, pattern, format, enum, const) gets maxLength kDefaultMaxLength, so
// that output cannot run on forever inside one string. Pure function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"

namespace maas::api {

// Subschemas nested in each other (properties, items, anyOf/oneOf, $defs): OpenAI allows 10.
inline constexpr size_t kMaxSchemaDepth = 64;
// Subschemas visited, a type list counting once per type: OpenAI allows 5,000 properties.
inline constexpr size_t kMaxSchemaNodes = 10'000;
// maxLength given to a string that has no bound of its own.
inline constexpr int64_t kDefaultMaxLength = 512;
// One minLength/maxLength/minItems/maxItems: llama.cpp's grammar expands x{m,n} into n rules.
inline constexpr int64_t kMaxRepeat = 10'000;
// All of a schema's length and item bounds together (the default maxLength included).
inline constexpr int64_t kMaxRepetitions = 200'000;
// A pattern's length in characters.
inline constexpr size_t kMaxPatternLength = 1'000;

// The schema to convert, as JSON text in the schema's own key order (properties are written in that order), with
// default string bounds added.
Result<std::string> check_json_schema(const nlohmann::ordered_json& schema);

}  // namespace maas::api
