#include "api/json_schema_check.h"

#include <gtest/gtest.h>

namespace maas::api {
namespace {
using Json = nlohmann::ordered_json;

Result<std::string> check(const char* schema) { return check_json_schema(Json::parse(schema)); }

TEST(JsonSchemaCheck, KeepsKeyOrderAndBoundsStringsWithoutABound) {
  auto out =
      check(R"({"type": "object", "properties": {"z": {"type": "string"}, "a": {"type": "string", "maxLength": 3},
                      "m": {"type": "string", "enum": ["x"]}, "d": {"type": "string", "format": "date"}}})");
  ASSERT_TRUE(out.ok()) << out.status().message();
  Json back = Json::parse(*out);
  std::vector<std::string> keys;
  for (const auto& [k, v] : back["properties"].items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"z", "a", "m", "d"}));
  EXPECT_EQ(back["properties"]["z"]["maxLength"], kDefaultMaxLength);
  EXPECT_EQ(back["properties"]["a"]["maxLength"], 3);
  EXPECT_FALSE(back["properties"]["m"].contains("maxLength"));  // an enum is bounded
  EXPECT_FALSE(back["properties"]["d"].contains("maxLength"));  // so is a format
}

TEST(JsonSchemaCheck, AcceptsTheKeywordsRealSchemasUse) {
  auto out = check(
      R"({"$defs": {"pt": {"type": "object", "properties": {"x": {"type": "integer", "minimum": -5, "maximum": 5}},
                        "required": ["x"], "additionalProperties": false}},
                      "type": "object",
                      "properties": {"pts": {"type": "array", "items": {"$ref": "#/$defs/pt"}, "minItems": 1, "maxItems": 3},
                                     "id": {"type": "string", "pattern": "^[a-z]{2,4}$"},
                                     "kind": {"const": "shape"},
                                     "name": {"type": "string", "minLength": 1, "maxLength": 8},
                                     "v": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
                                     "w": {"oneOf": [{"type": "boolean"}, {"enum": [1, 2]}]}},
                      "required": ["pts", "id"]})");
  EXPECT_TRUE(out.ok()) << out.status().message();
}

TEST(JsonSchemaCheck, RefusesWhatTheConverterWouldNotEnforceNamingIt) {
  struct Case {
    const char* schema;
    const char* phrase;
  };
  for (const Case& c : std::initializer_list<Case>{
           {R"({"type": "integer", "multipleOf": 3})", "'multipleOf' is not supported"},
           {R"({"not": {"type": "string"}})", "'not' is not supported"},
           {R"({"type": "number", "minimum": 0})", "'minimum' is enforced on \"type\": \"integer\" only"},
           {R"({"type": "integer", "minimum": 0.5})", "'minimum' must be an integer"},
           {R"({"type": "string", "pattern": "^a+$", "maxLength": 3})", "'maxLength' with 'pattern'"},
           {R"({"type": "string", "format": "email"})", "'format' must be one of"},
           {R"({"$ref": "https://example.com/s.json"})", "'$ref' must point into"},
           {R"({"$ref": "#/$defs/missing"})", "names no schema"},
           {R"({"anyOf": [{"type": "string"}], "properties": {}})", "'properties' beside 'anyOf'"},
           {R"({"type": "array", "items": {"type": "integer"}, "maxItems": 100000})", "'maxItems' must be an integer"},
           {R"({"type": "string", "minLength": 5, "maxLength": 2})", "'minLength' is more than 'maxLength'"},
           {R"({"type": "object", "properties": {}, "required": ["x"]})", "'x' is not in 'properties'"},
           {R"({"type": "decimal"})", "'type' must be a JSON Schema type"},
           {R"({"type": "object", "properties": {"a": true}})", "a schema must be an object"},
       }) {
    auto out = check(c.schema);
    ASSERT_FALSE(out.ok()) << c.schema;
    EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(out.status().message().find(c.phrase), std::string::npos) << c.schema << ": " << out.status().message();
  }
}

// {"type": "array", "items": {... `depth` levels ...}}
Json nested_arrays(size_t depth, const Json& type = "array") {
  Json schema = {{"type", "integer"}};
  for (size_t i = 0; i < depth; ++i) schema = {{"type", type}, {"items", std::move(schema)}};
  return schema;
}

TEST(JsonSchemaCheck, BoundsTheNestingOfSubschemas) {
  EXPECT_TRUE(check_json_schema(nested_arrays(kMaxSchemaDepth - 1)).ok());
  for (size_t depth : {kMaxSchemaDepth, size_t{10'000}}) {
    auto out = check_json_schema(nested_arrays(depth));
    ASSERT_FALSE(out.ok()) << depth;
    EXPECT_NE(out.status().message().find("nested deeper than 64 levels"), std::string::npos) << out.status().message();
  }
}

TEST(JsonSchemaCheck, BoundsTheWorkOfTypeLists) {
  auto out = check_json_schema(nested_arrays(20, Json::array({"array", "array"})));
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("more than 10000 subschemas"), std::string::npos) << out.status().message();
  EXPECT_TRUE(check_json_schema(nested_arrays(8, Json::array({"array", "null"}))).ok());
}

TEST(JsonSchemaCheck, BoundsTheRepetitionsLengthsAndItemCountsExpandInto) {
  // 400 strings at the default maxLength: 204,800 repetitions, over the budget.
  Json many = {{"type", "object"}, {"properties", Json::object()}};
  for (int i = 0; i < 400; ++i) many["properties"]["p" + std::to_string(i)] = {{"type", "string"}};
  auto out = check_json_schema(many);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("repetitions"), std::string::npos) << out.status().message();
}

}  // namespace
}  // namespace maas::api
