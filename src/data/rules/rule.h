// An extraction rule's specification: its kind (regex, grok, jsonpath, sql), what it matches or selects, and its
// typed columns. Read strictly from the JSON that `/api/v1/rules` takes and that discovery emits (its `rule` field
// is valid input), and checked whole — patterns compiled by RE2, paths parsed, formats checked — so a bad rule is
// one clear INVALID_ARGUMENT before any data is read.
//
// JSON: {"type": "regex" | "grok" | "jsonpath" | "sql",
//        "pattern": "...",                 regex (RE2, named groups → columns) and grok
//        "patterns": {"NAME": "..."},      grok: the rule's own patterns, beside the library's
//        "sql": "SELECT ... FROM source",  sql: one SELECT over the view `source`
//        "field": "line",                  regex, grok, jsonpath over rows: the text column to read (default "line";
//                                          "*": each whole row as a JSON object)
//        "columns": [{"name", "type"?, "format"?, "path"?, "nullable"?, "semantic"?}]}
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "data/rules/cast.h"

namespace maas::data::rules {

enum class RuleKind { kRegex, kGrok, kJsonPath, kSql };

std::string rule_kind_name(RuleKind kind);

struct RuleColumn {
  std::string name;
  CastType type = CastType::kString;
  bool typed = false;     // the rule gave `type` (else a grok field's own type, or string)
  std::string format;     // timestamp: strftime-style (cast.h); empty: ISO 8601
  std::string path;       // jsonpath: where the value is
  bool nullable = false;  // "-" reads as NULL (the empty field of access logs)
  std::string semantic;   // kept as given (discovery's hint: ip, uuid, ...)
};

struct RuleSpec {
  RuleKind kind = RuleKind::kRegex;
  std::string pattern;
  std::map<std::string, std::string> patterns;
  std::string sql;
  std::string field = "line";
  std::vector<RuleColumn> columns;
};

// The bounds a rule is checked against (settings rules.max_pattern_bytes, rules.regex_max_mem_bytes).
struct RuleLimits {
  size_t max_pattern_bytes = 64 * 1024;
  int64_t regex_max_mem_bytes = 8 << 20;
};

// Reads and checks a rule; INVALID_ARGUMENT names the field at fault.
Result<RuleSpec> rule_from_json(const nlohmann::json& json, const RuleLimits& limits);
nlohmann::json rule_to_json(const RuleSpec& rule);

}  // namespace maas::data::rules
