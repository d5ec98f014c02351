#include "data/rules/rule.h"

#include <set>

#include "data/rules/line_extractor.h"

namespace maas::data::rules {
namespace {

using nlohmann::json;

Result<std::string> string_field(const json& object, const char* field, const std::string& where) {
  const auto& value = object.at(field);
  if (!value.is_string()) return invalid_argument(where + "'" + field + "' must be a string");
  return value.get<std::string>();
}

Status check_fields(const json& object, std::initializer_list<const char*> allowed, const std::string& where) {
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (const char* a : allowed) known = known || key == a;
    if (!known) return invalid_argument(where + "unknown field '" + key + "'");
  }
  return {};
}

Result<RuleColumn> column_from_json(const json& j, size_t index, RuleKind kind) {
  const std::string where = "columns[" + std::to_string(index) + "]: ";
  if (!j.is_object()) return invalid_argument(where + "must be an object");
  MAAS_RETURN_IF_ERROR(check_fields(j, {"name", "type", "format", "path", "nullable", "semantic"}, where));
  RuleColumn c;
  if (!j.contains("name")) return invalid_argument(where + "'name' is required");
  MAAS_ASSIGN_OR_RETURN(c.name, string_field(j, "name", where));
  if (c.name.empty() || c.name.size() > 128) return invalid_argument(where + "'name' must be 1-128 characters");
  if (j.contains("type")) {
    MAAS_ASSIGN_OR_RETURN(std::string type, string_field(j, "type", where));
    auto parsed = cast_type_from_name(type);
    if (!parsed.ok()) return invalid_argument(where + parsed.status().message());
    c.type = *parsed;
    c.typed = true;
  }
  if (j.contains("format")) {
    MAAS_ASSIGN_OR_RETURN(c.format, string_field(j, "format", where));
    if (c.type != CastType::kTimestamp) return invalid_argument(where + "'format' applies to timestamp columns only");
    if (auto s = check_timestamp_format(c.format); !s.ok()) return invalid_argument(where + s.message());
  }
  if (j.contains("path")) {
    if (kind != RuleKind::kJsonPath) return invalid_argument(where + "'path' applies to jsonpath rules only");
    MAAS_ASSIGN_OR_RETURN(c.path, string_field(j, "path", where));
  } else if (kind == RuleKind::kJsonPath) {
    return invalid_argument(where + "a jsonpath rule's column needs 'path' (e.g. \"$.user.id\")");
  }
  if (j.contains("nullable")) {
    if (!j["nullable"].is_boolean()) return invalid_argument(where + "'nullable' must be true or false");
    c.nullable = j["nullable"].get<bool>();
  }
  if (j.contains("semantic")) {
    MAAS_ASSIGN_OR_RETURN(c.semantic, string_field(j, "semantic", where));
  }
  return c;
}

Result<RuleKind> kind_from_name(const std::string& name) {
  if (name == "regex") return RuleKind::kRegex;
  if (name == "grok") return RuleKind::kGrok;
  if (name == "jsonpath") return RuleKind::kJsonPath;
  if (name == "sql") return RuleKind::kSql;
  return invalid_argument("rule 'type' must be regex, grok, jsonpath or sql, got '" + name + "'");
}

}  // namespace

std::string rule_kind_name(RuleKind kind) {
  switch (kind) {
    case RuleKind::kRegex:
      return "regex";
    case RuleKind::kGrok:
      return "grok";
    case RuleKind::kJsonPath:
      return "jsonpath";
    case RuleKind::kSql:
      return "sql";
  }
  return "regex";
}

Result<RuleSpec> rule_from_json(const json& j, const RuleLimits& limits) {
  if (!j.is_object()) return invalid_argument("a rule is a JSON object");
  MAAS_RETURN_IF_ERROR(check_fields(j, {"type", "pattern", "patterns", "sql", "field", "columns"}, "rule: "));
  RuleSpec rule;
  if (!j.contains("type")) return invalid_argument("rule: 'type' is required (regex, grok, jsonpath or sql)");
  MAAS_ASSIGN_OR_RETURN(std::string type, string_field(j, "type", "rule: "));
  MAAS_ASSIGN_OR_RETURN(rule.kind, kind_from_name(type));
  const bool patterned = rule.kind == RuleKind::kRegex || rule.kind == RuleKind::kGrok;
  if (patterned) {
    if (!j.contains("pattern")) return invalid_argument("rule: a " + type + " rule needs 'pattern'");
    MAAS_ASSIGN_OR_RETURN(rule.pattern, string_field(j, "pattern", "rule: "));
    if (rule.pattern.size() > limits.max_pattern_bytes) {
      return invalid_argument("rule: 'pattern' is over rules.max_pattern_bytes (" +
                              std::to_string(limits.max_pattern_bytes) + " bytes)");
    }
  } else if (j.contains("pattern")) {
    return invalid_argument("rule: 'pattern' applies to regex and grok rules only");
  }
  if (j.contains("patterns")) {
    if (rule.kind != RuleKind::kGrok) return invalid_argument("rule: 'patterns' applies to grok rules only");
    if (!j["patterns"].is_object()) return invalid_argument("rule: 'patterns' must be an object of NAME: pattern");
    for (const auto& [name, body] : j["patterns"].items()) {
      if (!body.is_string()) return invalid_argument("rule: patterns['" + name + "'] must be a string");
      rule.patterns[name] = body.get<std::string>();
    }
  }
  if (rule.kind == RuleKind::kSql) {
    if (!j.contains("sql")) return invalid_argument("rule: a sql rule needs 'sql' (one SELECT over the view source)");
    MAAS_ASSIGN_OR_RETURN(rule.sql, string_field(j, "sql", "rule: "));
    if (rule.sql.empty() || rule.sql.size() > limits.max_pattern_bytes) {
      return invalid_argument("rule: 'sql' must be 1 to rules.max_pattern_bytes (" +
                              std::to_string(limits.max_pattern_bytes) + ") bytes");
    }
  } else if (j.contains("sql")) {
    return invalid_argument("rule: 'sql' applies to sql rules only");
  }
  if (j.contains("field")) {
    if (rule.kind == RuleKind::kSql) return invalid_argument("rule: 'field' does not apply to sql rules");
    MAAS_ASSIGN_OR_RETURN(rule.field, string_field(j, "field", "rule: "));
    if (rule.field.empty()) return invalid_argument("rule: 'field' must not be empty");
  }
  if (j.contains("columns")) {
    if (!j["columns"].is_array()) return invalid_argument("rule: 'columns' must be an array");
    std::set<std::string> names;
    for (size_t i = 0; i < j["columns"].size(); ++i) {
      MAAS_ASSIGN_OR_RETURN(RuleColumn c, column_from_json(j["columns"][i], i, rule.kind));
      if (!names.insert(c.name).second) return invalid_argument("rule: column '" + c.name + "' is named twice");
      rule.columns.push_back(std::move(c));
    }
  }
  if (rule.kind == RuleKind::kJsonPath && rule.columns.empty()) {
    return invalid_argument("rule: a jsonpath rule needs 'columns', each with a 'name' and a 'path'");
  }
  // Compiling is the check: a pattern RE2 refuses, an unknown grok name, a bad path.
  if (rule.kind != RuleKind::kSql) {
    MAAS_RETURN_IF_ERROR(LineExtractor::make(rule, limits).status());
  }
  return rule;
}

json rule_to_json(const RuleSpec& rule) {
  json j = {{"type", rule_kind_name(rule.kind)}};
  if (rule.kind == RuleKind::kRegex || rule.kind == RuleKind::kGrok) j["pattern"] = rule.pattern;
  if (!rule.patterns.empty()) j["patterns"] = rule.patterns;
  if (rule.kind == RuleKind::kSql) {
    j["sql"] = rule.sql;
  } else {
    j["field"] = rule.field;
  }
  json columns = json::array();
  for (const auto& c : rule.columns) {
    json col = {{"name", c.name}};
    if (c.typed) col["type"] = cast_type_name(c.type);
    if (!c.format.empty()) col["format"] = c.format;
    if (!c.path.empty()) col["path"] = c.path;
    if (c.nullable) col["nullable"] = true;
    if (!c.semantic.empty()) col["semantic"] = c.semantic;
    columns.push_back(std::move(col));
  }
  j["columns"] = std::move(columns);
  return j;
}

}  // namespace maas::data::rules
