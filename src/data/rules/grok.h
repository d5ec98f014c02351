// Grok patterns: `%{IP:client} %{NUMBER:bytes:int}` compiled into one RE2 pattern with a named group per field,
// from a library of common patterns (grok_library.cc) and the rule's own. `%{NAME}` matches without capturing;
// `%{NAME:field}` captures into column `field`; `%{NAME:field:type}` also gives the column's type. Text outside
// `%{...}` is RE2 syntax, kept as written. Only RE2 runs the result: no backtracking, linear time in the line.
//
// Thread-safety: pure functions over an immutable library.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace maas::data::rules {

struct GrokField {
  std::string name;
  std::string type;  // as written after the second colon; empty when none
};

struct GrokPattern {
  std::string regex;              // RE2 syntax
  std::vector<GrokField> fields;  // in the order of their groups
};

// The built-in library: name → RE2 text that may itself use %{...}.
const std::map<std::string, std::string, std::less<>>& grok_library();

// Expands `pattern` with `custom` patterns (they override the library's). INVALID_ARGUMENT for an unknown pattern
// name, a malformed %{...}, a field name that is not [A-Za-z_][A-Za-z0-9_]* or appears twice, references nested
// deeper than 32 (a cycle), or a result over `max_bytes`.
Result<GrokPattern> compile_grok(std::string_view pattern, const std::map<std::string, std::string>& custom,
                                 size_t max_bytes);

}  // namespace maas::data::rules
