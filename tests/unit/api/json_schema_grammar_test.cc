#include "api/json_schema_grammar.h"

#include <gtest/gtest.h>

namespace maas::api {
namespace {
using nlohmann::json;

TEST(JsonSchemaGrammar, WritesEveryPropertyInKeyOrderWithItsValueRule) {
  auto grammar = json_schema_grammar(json::parse(R"({"type": "object", "required": ["b"],
      "properties": {"b": {"enum": ["yes", "no"]}, "a": {"type": "boolean"}, "c": {"type": "array", "items": {"type": "integer"}}}})"));
  ASSERT_TRUE(grammar.ok()) << grammar.status().message();
  EXPECT_EQ(grammar->rfind("root ::= ", 0), 0u);
  EXPECT_NE(grammar->find(R"("\"a\"" space ":" space)"), std::string::npos) << *grammar;
  EXPECT_NE(grammar->find(R"(("\"yes\"" | "\"no\"") space)"), std::string::npos) << *grammar;
  EXPECT_NE(grammar->find(R"("[" space (integer ("," space integer)*)? "]" space)"), std::string::npos) << *grammar;
  EXPECT_LT(grammar->find(R"("\"a\"")"), grammar->find(R"("\"b\"")"));
  EXPECT_LT(grammar->find(R"("\"b\"")"), grammar->find(R"("\"c\"")"));
}

TEST(JsonSchemaGrammar, EscapesKeysAndConstantsForGbnf) {
  auto grammar = json_schema_grammar(json::parse(R"({"type": "object", "properties": {"say \"hi\"": {"const": "a\\b"}}})"));
  ASSERT_TRUE(grammar.ok()) << grammar.status().message();
  // The JSON text "say \"hi\"" as a GBNF literal: quotes and backslashes escaped once more.
  EXPECT_NE(grammar->find(R"("\"say \\\"hi\\\"\"")"), std::string::npos) << *grammar;
  EXPECT_NE(grammar->find(R"("\"a\\\\b\"")"), std::string::npos) << *grammar;
}

TEST(JsonSchemaGrammar, RefusesWhatItCannotEnforceNamingTheKeyword) {
  for (const char* schema : {R"({"type": "string", "pattern": "^a$"})", R"({"$ref": "#/defs/x"})",
                             R"({"type": "object", "properties": {"n": {"type": "integer", "minimum": 3}}})"}) {
    auto grammar = json_schema_grammar(json::parse(schema));
    ASSERT_FALSE(grammar.ok()) << schema;
    EXPECT_EQ(grammar.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(grammar.status().message().find("not supported"), std::string::npos) << grammar.status().message();
  }
  auto missing = json_schema_grammar(json::parse(R"({"type": "object", "properties": {}, "required": ["x"]})"));
  EXPECT_FALSE(missing.ok());
  EXPECT_FALSE(json_schema_grammar(json::parse(R"({"type": "decimal"})")).ok());
}

// {"type": "array", "items": {... `depth` levels ...}}
json nested_arrays(size_t depth, const json& type = "array") {
  json schema = {{"type", "integer"}};
  for (size_t i = 0; i < depth; ++i) schema = {{"type", type}, {"items", std::move(schema)}};
  return schema;
}

TEST(JsonSchemaGrammar, BoundsTheNestingOfSubschemas) {
  EXPECT_TRUE(json_schema_grammar(nested_arrays(kMaxSchemaDepth - 1)).ok());
  for (size_t depth : {kMaxSchemaDepth, size_t{10'000}}) {
    auto grammar = json_schema_grammar(nested_arrays(depth));
    ASSERT_FALSE(grammar.ok()) << depth;
    EXPECT_EQ(grammar.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(grammar.status().message().find("nested deeper than 64 levels"), std::string::npos)
        << grammar.status().message();
  }
}

TEST(JsonSchemaGrammar, BoundsTheWorkOfTypeLists) {
  // Two types a level, twenty levels: a million rules if each type walked its subtree unbounded.
  auto grammar = json_schema_grammar(nested_arrays(20, json::array({"array", "array"})));
  ASSERT_FALSE(grammar.ok());
  EXPECT_NE(grammar.status().message().find("more than 10000 subschemas"), std::string::npos)
      << grammar.status().message();
  EXPECT_TRUE(json_schema_grammar(nested_arrays(8, json::array({"array", "null"}))).ok());
}

TEST(JsonSchemaGrammar, BoundsTheGrammarSize) {
  std::string long_value(kMaxGrammarBytes / 2 + 1, 'x');
  auto grammar = json_schema_grammar(json{{"enum", {long_value, long_value + "y"}}});
  ASSERT_FALSE(grammar.ok());
  EXPECT_NE(grammar.status().message().find("over 1 MiB"), std::string::npos) << grammar.status().message();
}

}  // namespace
}  // namespace maas::api
