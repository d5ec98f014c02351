// Turns a JSON Schema (OpenAI's response_format json_schema) into a GBNF grammar for llama.cpp's grammar sampler,
// so that the output is JSON of that shape. A subset, checked at the edge: type (object, array, string, number,
// integer, boolean, null, or a list of them), properties, items, enum, const, anyOf / oneOf; every listed property
// is written (a valid instance whether or not it is required), in the schema's key order as parsed (alphabetical),
// and no others. Any other keyword that constrains values ($ref, pattern, minimum, ...) is INVALID_ARGUMENT
// naming it, never silently ignored. Pure function.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace maas::api {

Result<std::string> json_schema_grammar(const nlohmann::json& schema);

}  // namespace maas::api
