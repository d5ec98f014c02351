#include "api/json_schema_grammar.h"

#include <set>

namespace maas::api {
namespace {
using nlohmann::json;

// Shared rules, written once at the end of the grammar.
constexpr const char* kCommonRules = R"(value ::= object | array | string | number | ("true" | "false" | "null") space
object ::= "{" space (member ("," space member)*)? "}" space
member ::= string ":" space value
array ::= "[" space (value ("," space value)*)? "]" space
string ::= "\"" ([^"\\\x7F\x00-\x1F] | "\\" ["\\/bfnrt])* "\"" space
number ::= "-"? [0-9]+ ("." [0-9]+)? ([eE] [-+]? [0-9]+)? space
integer ::= "-"? [0-9]+ space
space ::= " "?
)";

// Keywords that only describe (or that the grammar meets by construction) and may be present.
const std::set<std::string> kAccepted = {"type", "properties", "items", "enum", "const", "anyOf", "oneOf",
                                         "required", "additionalProperties", "title", "description", "$schema",
                                         "default", "examples", "strict"};

// A GBNF string literal matching exactly `text`.
std::string literal(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// A path for messages: each step cut to a readable length, so that a long property name is not copied at every level.
std::string child_path(const std::string& path, const std::string& step) {
  constexpr size_t kMaxStep = 64;
  return path + "/" + (step.size() > kMaxStep ? step.substr(0, kMaxStep) + "..." : step);
}

class Builder {
 public:
  // Returns the name of a rule matching `schema`, adding the rules it needs. `depth`: the subschemas around it.
  Result<std::string> rule_for(const json& schema, const std::string& path, size_t depth) {
    if (depth > kMaxSchemaDepth) {
      return invalid_argument("json_schema: subschemas nested deeper than " + std::to_string(kMaxSchemaDepth) +
                              " levels (at " + path + ")");
    }
    MAAS_RETURN_IF_ERROR(count_node());
    if (schema.is_boolean() && schema.get<bool>()) return std::string("value");
    if (!schema.is_object()) return invalid_argument("json_schema: the schema at " + path + " must be an object");
    for (const auto& [keyword, unused] : schema.items()) {
      if (!kAccepted.count(keyword)) {
        return invalid_argument("json_schema: '" + keyword + "' (at " + path + ") is not supported");
      }
    }
    if (schema.contains("const")) return add(literal(schema["const"].dump()) + " space");
    if (schema.contains("enum")) {
      const json& values = schema["enum"];
      if (!values.is_array() || values.empty()) return invalid_argument("json_schema: 'enum' at " + path + " must be a non-empty array");
      std::string body = "(";
      for (size_t i = 0; i < values.size(); ++i) body += (i ? " | " : "") + literal(values[i].dump());
      return add(body + ") space");
    }
    for (const char* key : {"anyOf", "oneOf"}) {
      if (!schema.contains(key)) continue;
      const json& options = schema[key];
      if (!options.is_array() || options.empty()) return invalid_argument(std::string("json_schema: '") + key + "' at " + path + " must be a non-empty array");
      std::string body;
      for (size_t i = 0; i < options.size(); ++i) {
        MAAS_ASSIGN_OR_RETURN(std::string r, rule_for(options[i], child_path(path, key + ("/" + std::to_string(i))), depth + 1));
        body += (i ? " | " : "") + r;
      }
      return add(body);
    }
    if (!schema.contains("type")) return std::string("value");
    const json& type = schema["type"];
    if (type.is_array()) {
      std::string body;
      for (size_t i = 0; i < type.size(); ++i) {
        // Each type is one more rule over the same keywords: counted, or a list could multiply the work per level.
        if (i > 0) MAAS_RETURN_IF_ERROR(count_node());
        MAAS_ASSIGN_OR_RETURN(std::string r, typed_rule(schema, type[i], path, depth));
        body += (i ? " | " : "") + r;
      }
      if (body.empty()) return invalid_argument("json_schema: 'type' at " + path + " is an empty list");
      return add(body);
    }
    return typed_rule(schema, type, path, depth);
  }

  std::string grammar(const std::string& root) const { return "root ::= " + root + "\n" + rules_ + kCommonRules; }

 private:
  // The rule for `schema` read as the one `type` (its own, or one entry of its list).
  Result<std::string> typed_rule(const json& schema, const json& type, const std::string& path, size_t depth) {
    if (!type.is_string()) return invalid_argument("json_schema: 'type' at " + path + " must be a string or a list of strings");
    std::string t = type.get<std::string>();
    if (t == "string" || t == "number" || t == "integer") return t;
    if (t == "boolean") return add(R"(("true" | "false") space)");
    if (t == "null") return add(R"("null" space)");
    if (t == "array") {
      if (!schema.contains("items")) return std::string("array");
      MAAS_ASSIGN_OR_RETURN(std::string item, rule_for(schema["items"], child_path(path, "items"), depth + 1));
      return add(R"("[" space ()" + item + R"( ("," space )" + item + R"()*)? "]" space)");
    }
    if (t == "object") return object_rule(schema, path, depth);
    return invalid_argument("json_schema: type '" + t + "' (at " + path + ") is not a JSON Schema type");
  }

  Result<std::string> object_rule(const json& schema, const std::string& path, size_t depth) {
    if (!schema.contains("properties")) return std::string("object");
    const json& properties = schema["properties"];
    if (!properties.is_object()) return invalid_argument("json_schema: 'properties' at " + path + " must be an object");
    if (schema.contains("required") && schema["required"].is_array()) {
      for (const auto& name : schema["required"]) {
        if (!name.is_string() || !properties.contains(name.get<std::string>())) {
          return invalid_argument("json_schema: a required property at " + path + " is not in 'properties'");
        }
      }
    }
    std::string body = R"("{" space)";
    bool first = true;
    for (const auto& [name, property] : properties.items()) {
      MAAS_ASSIGN_OR_RETURN(std::string r, rule_for(property, child_path(path, "properties/" + name), depth + 1));
      body += std::string(first ? "" : R"( "," space)") + " " + literal(json(name).dump()) + R"( space ":" space )" + r;
      first = false;
    }
    return add(body + R"( "}" space)");
  }

  Status count_node() {
    if (++nodes_ > kMaxSchemaNodes) {
      return invalid_argument("json_schema: more than " + std::to_string(kMaxSchemaNodes) +
                              " subschemas (a type list counts once per type); simplify the schema");
    }
    return {};
  }

  Result<std::string> add(const std::string& body) {
    std::string name = "r" + std::to_string(count_++);
    if (rules_.size() + name.size() + body.size() > kMaxGrammarBytes) {
      return invalid_argument("json_schema: its grammar would be over " + std::to_string(kMaxGrammarBytes >> 20) +
                              " MiB; simplify the schema");
    }
    rules_ += name + " ::= " + body + "\n";
    return name;
  }

  std::string rules_;
  int count_ = 0;
  size_t nodes_ = 0;
};

}  // namespace

Result<std::string> json_schema_grammar(const json& schema) {
  Builder builder;
  MAAS_ASSIGN_OR_RETURN(std::string root, builder.rule_for(schema, "#", 1));
  return builder.grammar(root);
}

}  // namespace maas::api
