#include "common/json_parse.h"

#include <gtest/gtest.h>

#include <string>

namespace maas {
namespace {

std::string nested(size_t depth, const std::string& leaf = "1") {
  return std::string(depth, '[') + leaf + std::string(depth, ']');
}

TEST(JsonDepth, AcceptsNestingUpToTheLimit) {
  EXPECT_TRUE(check_json_depth(nested(kMaxJsonDepth)).ok());
  EXPECT_TRUE(check_json_depth("{\"a\": {\"b\": [1, 2, {\"c\": []}]}}", 5).ok());
}

TEST(JsonDepth, RefusesOneLevelPastTheLimit) {
  Status s = check_json_depth(nested(kMaxJsonDepth + 1));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "JSON nested deeper than 1024 levels");
  EXPECT_FALSE(check_json_depth("{\"a\": {\"b\": [1, 2, {\"c\": []}]}}", 4).ok());
}

TEST(JsonDepth, IgnoresBracketsInsideStrings) {
  std::string brackets(5000, '[');
  EXPECT_TRUE(check_json_depth("{\"k\": \"" + brackets + "\"}", 2).ok());
  // An escaped quote does not end the string, an escaped backslash before the quote does.
  EXPECT_TRUE(check_json_depth("[\"\\\"[[[\"]", 1).ok());
  EXPECT_FALSE(check_json_depth("[\"\\\\\", [[1]]]", 2).ok());
}

TEST(JsonDepth, FindsBracketsAtEveryOffsetOfTheWordScan) {
  // The scan skips 8 bytes at a time: a bracket must count wherever it falls in a word, next to the bytes that
  // share its bit pattern (Y _ y DEL).
  for (size_t pad = 0; pad < 16; ++pad) {
    std::string text;
    for (int level = 0; level < 4; ++level) text += std::string(pad, level % 2 ? 'Y' : '7') + "[";
    text += std::string(pad, '_') + "1" + std::string(4, ']');
    EXPECT_TRUE(check_json_depth(text, 4).ok()) << pad;
    EXPECT_FALSE(check_json_depth(text, 3).ok()) << pad;
  }
}

TEST(JsonDepth, SkipsLongStringsWithEscapes) {
  // Quotes escaped inside, an even run of backslashes before the closing quote, brackets throughout.
  std::string inside = "[[[[ \\\" ]]]] {{{{ \\\" yy__ [[[[[[[[[[[[[[[[[[ \\\\";
  EXPECT_TRUE(check_json_depth("[\"" + inside + "\", [1]]", 2).ok());
  EXPECT_FALSE(check_json_depth("[\"" + inside + "\", [[1]]]", 2).ok());
}

TEST(JsonDepth, SiblingsDoNotAddUp) {
  std::string wide = "[";
  for (int i = 0; i < 5000; ++i) wide += (i ? ",[1]" : "[1]");
  EXPECT_TRUE(check_json_depth(wide + "]", 2).ok());
}

TEST(ParseJson, ParsesWhatIsValidAndShallow) {
  auto parsed = parse_json("{\"a\": [1, 2]}");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ((*parsed)["a"][1], 2);
}

TEST(ParseJson, NamesWhatIsWrong) {
  auto bad = parse_json("{\"a\": ", "the push body");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "the push body is not valid JSON");
  // Far deeper than a thread's stack could take if anything walked it recursively: refused before parsing.
  auto deep = parse_json("{\"a\": " + nested(200'000) + "}");
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(deep.status().message(), "the body: JSON nested deeper than 1024 levels");
}

TEST(ParseJson, FallsBackWhereNoValueIsMeant) {
  EXPECT_EQ(parse_json_or("{\"a\": 1}", nullptr)["a"], 1);
  EXPECT_TRUE(parse_json_or("not json", nullptr).is_null());
  EXPECT_EQ(parse_json_or(nested(5000), nlohmann::json::object()), nlohmann::json::object());
}

}  // namespace
}  // namespace maas
