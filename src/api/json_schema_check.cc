#include "api/json_schema_check.h"

#include <algorithm>
#include <set>
#include <string_view>

namespace maas::api {
namespace {
using Json = nlohmann::ordered_json;

// Keywords that only describe: the converter ignores them and nothing needs enforcing.
const std::set<std::string> kDescriptive = {"title",    "description", "$schema",    "$id",      "$comment", "default",
                                            "examples", "strict",      "deprecated", "readOnly", "writeOnly"};
// Keywords llama.cpp's json_schema_to_grammar enforces (minimum and the length bounds with conditions, below).
const std::set<std::string> kEnforced = {"type",
                                         "properties",
                                         "required",
                                         "additionalProperties",
                                         "items",
                                         "prefixItems",
                                         "minItems",
                                         "maxItems",
                                         "minLength",
                                         "maxLength",
                                         "minimum",
                                         "maximum",
                                         "exclusiveMinimum",
                                         "exclusiveMaximum",
                                         "pattern",
                                         "format",
                                         "enum",
                                         "const",
                                         "anyOf",
                                         "oneOf",
                                         "$ref",
                                         "$defs",
                                         "definitions"};
const std::set<std::string> kTypes = {"object", "array", "string", "number", "integer", "boolean", "null"};
const std::set<std::string> kFormats = {"date",  "time",  "date-time", "uuid", "uuid1",
                                        "uuid2", "uuid3", "uuid4",     "uuid5"};

std::string child_path(const std::string& path, const std::string& step) {
  constexpr size_t kMaxStep = 64;
  return path + "/" + (step.size() > kMaxStep ? step.substr(0, kMaxStep) + "..." : step);
}

Status bad(const std::string& path, const std::string& what) {
  return invalid_argument("json_schema: " + what + " (at " + path + ")");
}

class Checker {
 public:
  explicit Checker(const Json& root) : root_(root) {}

  // `weight`: how many times the converter visits this subschema (a type list visits a copy of its schema per type,
  // subschemas included).
  Status walk(Json& schema, const std::string& path, size_t depth, uint64_t weight = 1) {
    if (depth > kMaxSchemaDepth) {
      return invalid_argument("json_schema: subschemas nested deeper than " + std::to_string(kMaxSchemaDepth) +
                              " levels (at " + path + ")");
    }
    MAAS_RETURN_IF_ERROR(count_node(weight));
    if (!schema.is_object()) return bad(path, "a schema must be an object");
    for (const auto& [keyword, unused] : schema.items()) {
      if (!kEnforced.contains(keyword) && !kDescriptive.contains(keyword)) {
        return bad(path, "'" + keyword + "' is not supported");
      }
    }
    MAAS_RETURN_IF_ERROR(check_alone(schema, path));
    std::set<std::string> types;
    MAAS_RETURN_IF_ERROR(read_types(schema, path, weight, &types));
    if (schema.contains("type") && schema["type"].is_array()) weight *= schema["type"].size();
    MAAS_RETURN_IF_ERROR(check_ref(schema, path));
    MAAS_RETURN_IF_ERROR(check_values(schema, path));
    MAAS_RETURN_IF_ERROR(check_integer_bounds(schema, types, path));
    MAAS_RETURN_IF_ERROR(check_string(schema, types, path));
    for (const char* key : {"anyOf", "oneOf", "prefixItems"}) {
      if (!schema.contains(key)) continue;
      Json& list = schema[key];
      if (!list.is_array() || list.empty()) return bad(path, std::string("'") + key + "' must be a non-empty array");
      for (size_t i = 0; i < list.size(); ++i) {
        MAAS_RETURN_IF_ERROR(walk(list[i], child_path(path, key + ("/" + std::to_string(i))), depth + 1, weight));
      }
    }
    MAAS_RETURN_IF_ERROR(check_object(schema, path, depth, weight));
    MAAS_RETURN_IF_ERROR(check_array(schema, path, depth, weight));
    for (const char* key : {"$defs", "definitions"}) {
      if (!schema.contains(key)) continue;
      if (depth != 1) return bad(path, std::string("'") + key + "' belongs at the root");
      if (!schema[key].is_object()) return bad(path, std::string("'") + key + "' must be an object of schemas");
      for (auto& [name, sub] : schema[key].items()) {
        MAAS_RETURN_IF_ERROR(walk(sub, child_path(path, key + ("/" + name)), depth + 1));
      }
    }
    return {};
  }

 private:
  // The converter reads a schema with $ref, anyOf/oneOf, const or enum as that alone, whatever else it says: any
  // other keyword it would enforce is refused rather than dropped ("type" beside const/enum is redundant).
  static Status check_alone(const Json& schema, const std::string& path) {
    for (const char* alone : {"$ref", "anyOf", "oneOf", "const", "enum"}) {
      if (!schema.contains(alone)) continue;
      bool typed = std::string_view(alone) == "const" || std::string_view(alone) == "enum";
      for (const auto& [keyword, unused] : schema.items()) {
        if (keyword == alone || !kEnforced.contains(keyword) || keyword == "$defs" || keyword == "definitions" ||
            (typed && keyword == "type")) {
          continue;
        }
        return bad(path, "'" + keyword + "' beside '" + alone + "' is not enforced; move it into the alternatives");
      }
    }
    return {};
  }

  Status read_types(const Json& schema, const std::string& path, uint64_t weight, std::set<std::string>* types) {
    if (!schema.contains("type")) return {};
    const Json& type = schema["type"];
    Json list = type.is_array() ? type : Json::array({type});
    if (list.empty()) return bad(path, "'type' is an empty list");
    for (size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string() || !kTypes.contains(list[i].get<std::string>())) {
        return bad(path, "'type' must be a JSON Schema type or a list of them");
      }
      // Each type is converted as a copy of the schema: counted, or a list could multiply the work per level.
      if (i > 0) MAAS_RETURN_IF_ERROR(count_node(weight));
      types->insert(list[i].get<std::string>());
    }
    return {};
  }

  // "#/$defs/name" or "#/definitions/name" of the root: the converter fetches nothing.
  Status check_ref(const Json& schema, const std::string& path) {
    if (!schema.contains("$ref")) return {};
    const Json& ref = schema["$ref"];
    for (const char* prefix : {"#/$defs/", "#/definitions/"}) {
      std::string p = prefix;
      if (!ref.is_string() || !ref.get<std::string>().starts_with(p)) continue;
      std::string name = ref.get<std::string>().substr(p.size());
      std::string section = p.substr(2, p.size() - 3);
      if (root_.contains(section) && root_[section].is_object() && root_[section].contains(name)) return {};
      return bad(path, "'$ref' " + ref.get<std::string>() + " names no schema of the root's '" + section + "'");
    }
    return bad(path, "'$ref' must point into the root's '$defs' or 'definitions' (\"#/$defs/name\")");
  }

  static Status check_values(const Json& schema, const std::string& path) {
    if (schema.contains("enum") && (!schema["enum"].is_array() || schema["enum"].empty())) {
      return bad(path, "'enum' must be a non-empty array");
    }
    if (schema.contains("required")) {
      const Json& required = schema["required"];
      if (!required.is_array()) return bad(path, "'required' must be an array of property names");
      for (const auto& name : required) {
        if (!name.is_string()) return bad(path, "'required' must be an array of property names");
        if (schema.contains("properties") && schema["properties"].is_object() &&
            !schema["properties"].contains(name.get<std::string>())) {
          return bad(path, "required property '" + name.get<std::string>() + "' is not in 'properties'");
        }
      }
    }
    return {};
  }

  static Status check_integer_bounds(const Json& schema, const std::set<std::string>& types, const std::string& path) {
    for (const char* key : {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}) {
      if (!schema.contains(key)) continue;
      if (types != std::set<std::string>{"integer"}) {
        return bad(path, std::string("'") + key + "' is enforced on \"type\": \"integer\" only");
      }
      // Bounded, so that the converter's exclusive bounds (x + 1, x - 1) cannot overflow.
      constexpr uint64_t kBound = uint64_t{1} << 62;
      const Json& v = schema[key];
      bool fits = v.is_number_unsigned() ? v.get<uint64_t>() <= kBound
                                         : v.is_number_integer() && v.get<int64_t>() >= -static_cast<int64_t>(kBound);
      if (!fits) {
        return bad(path, std::string("'") + key + "' must be an integer within +/-2^62");
      }
    }
    return {};
  }

  // Length bounds on strings; a string with none of its own gets the default maxLength.
  Status check_string(Json& schema, const std::set<std::string>& types, const std::string& path) {
    bool string = types.contains("string");
    bool shaped = schema.contains("pattern") || schema.contains("format");
    if (schema.contains("pattern")) {
      const Json& p = schema["pattern"];
      if (!string && !types.empty()) return bad(path, "'pattern' applies to strings");
      if (!p.is_string() || p.get<std::string>().size() > kMaxPatternLength) {
        return bad(path, "'pattern' must be a string of at most " + std::to_string(kMaxPatternLength) + " characters");
      }
    }
    if (schema.contains("format") &&
        (!schema["format"].is_string() || !kFormats.contains(schema["format"].get<std::string>()))) {
      return bad(path, "'format' must be one of date, time, date-time, uuid (the formats the grammar enforces)");
    }
    for (const char* key : {"minLength", "maxLength"}) {
      if (!schema.contains(key)) continue;
      if (!string) return bad(path, std::string("'") + key + "' needs \"type\": \"string\"");
      if (shaped)
        return bad(path,
                   std::string("'") + key + "' with 'pattern' or 'format' is not enforced; bound the pattern itself");
      MAAS_RETURN_IF_ERROR(check_repeat(schema, key, path));
    }
    if (string && !shaped && !schema.contains("maxLength") && !schema.contains("enum") && !schema.contains("const")) {
      schema["maxLength"] = std::max<int64_t>(kDefaultMaxLength, schema.value("minLength", int64_t{0}));
      MAAS_RETURN_IF_ERROR(spend(schema["maxLength"].get<int64_t>()));
    }
    return {};
  }

  Status check_object(Json& schema, const std::string& path, size_t depth, uint64_t weight) {
    if (schema.contains("properties")) {
      if (!schema["properties"].is_object()) return bad(path, "'properties' must be an object of schemas");
      for (auto& [name, sub] : schema["properties"].items()) {
        MAAS_RETURN_IF_ERROR(walk(sub, child_path(path, "properties/" + name), depth + 1, weight));
      }
    }
    if (schema.contains("additionalProperties")) {
      Json& extra = schema["additionalProperties"];
      if (!extra.is_boolean())
        MAAS_RETURN_IF_ERROR(walk(extra, child_path(path, "additionalProperties"), depth + 1, weight));
    }
    return {};
  }

  Status check_array(Json& schema, const std::string& path, size_t depth, uint64_t weight) {
    if (schema.contains("items")) {
      Json& items = schema["items"];
      if (items.is_array()) {
        for (size_t i = 0; i < items.size(); ++i) {
          MAAS_RETURN_IF_ERROR(walk(items[i], child_path(path, "items/" + std::to_string(i)), depth + 1, weight));
        }
      } else {
        MAAS_RETURN_IF_ERROR(walk(items, child_path(path, "items"), depth + 1, weight));
      }
    }
    for (const char* key : {"minItems", "maxItems"}) {
      if (!schema.contains(key)) continue;
      if (!schema.contains("items") || schema["items"].is_array()) {
        return bad(path, std::string("'") + key + "' needs 'items' (one schema for every item)");
      }
      MAAS_RETURN_IF_ERROR(check_repeat(schema, key, path));
    }
    return {};
  }

  Status check_repeat(const Json& schema, const char* key, const std::string& path) {
    const Json& v = schema[key];
    if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > kMaxRepeat) {
      return bad(path, std::string("'") + key + "' must be an integer from 0 to " + std::to_string(kMaxRepeat));
    }
    std::string other = std::string(key).starts_with("min") ? "max" + std::string(key).substr(3) : "";
    if (!other.empty() && schema.contains(other) && schema[other].is_number_integer() &&
        schema[other].get<int64_t>() < v.get<int64_t>()) {
      return bad(path, std::string("'") + key + "' is more than '" + other + "'");
    }
    return spend(v.get<int64_t>());
  }

  Status spend(int64_t repetitions) {
    repetitions_ += repetitions;
    if (repetitions_ > kMaxRepetitions) {
      return invalid_argument("json_schema: its length and item bounds add up to more than " +
                              std::to_string(kMaxRepetitions) + " repetitions (strings without maxLength count " +
                              std::to_string(kDefaultMaxLength) + "); lower them");
    }
    return {};
  }

  Status count_node(uint64_t weight) {
    nodes_ += weight;
    if (nodes_ > kMaxSchemaNodes) {
      return invalid_argument("json_schema: more than " + std::to_string(kMaxSchemaNodes) +
                              " subschemas (a type list counts once per type); simplify the schema");
    }
    return {};
  }

  const Json& root_;
  uint64_t nodes_ = 0;
  int64_t repetitions_ = 0;
};

// Whether `value` nests deeper than `limit` (JSON levels), looking no deeper than that: the copy the check makes
// recurses once per level.
bool nests_deeper(const Json& value, size_t limit) {
  if (!value.is_structured()) return false;
  if (limit == 0) return true;
  for (const auto& child : value) {
    if (nests_deeper(child, limit - 1)) return true;
  }
  return false;
}

}  // namespace

Result<std::string> check_json_schema(const Json& schema) {
  // Each subschema level is at most 4 JSON levels ("properties", a name, the schema; or "anyOf", a list, ...).
  constexpr size_t kMaxJsonDepth = 4 * kMaxSchemaDepth;
  if (nests_deeper(schema, kMaxJsonDepth)) {
    return invalid_argument("json_schema: subschemas nested deeper than " + std::to_string(kMaxSchemaDepth) +
                            " levels (its JSON is nested deeper than " + std::to_string(kMaxJsonDepth) + ")");
  }
  Json out = schema;
  Checker checker(schema);
  MAAS_RETURN_IF_ERROR(checker.walk(out, "#", 1));
  return out.dump();
}

}  // namespace maas::api
