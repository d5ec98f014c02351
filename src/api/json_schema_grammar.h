// Turns a JSON Schema (OpenAI's response_format json_schema) into a GBNF grammar for llama.cpp's grammar sampler,
// so that the output is JSON of that shape. A subset, checked at the edge: type (object, array, string, number,
// integer, boolean, null, or a list of them), properties, items, enum, const, anyOf / oneOf; every listed property
// is written (a valid instance whether or not it is required), in the schema's key order as parsed (alphabetical),
// and no others. Any other keyword that constrains values ($ref, pattern, minimum, ...) is INVALID_ARGUMENT
// naming it, never silently ignored. The work is bounded (a client sends the schema): nesting, subschemas visited
// and the grammar's size each have a limit below, past which the schema is INVALID_ARGUMENT. Pure function.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace maas::api {

// Subschemas nested in each other (properties, items, anyOf/oneOf): OpenAI allows 10.
inline constexpr size_t kMaxSchemaDepth = 64;
// Subschemas turned into rules, a type list counting once per type: OpenAI allows 5,000 properties.
inline constexpr size_t kMaxSchemaNodes = 10'000;
// The grammar handed to the sampler.
inline constexpr size_t kMaxGrammarBytes = size_t{1} << 20;

Result<std::string> json_schema_grammar(const nlohmann::json& schema);

}  // namespace maas::api
