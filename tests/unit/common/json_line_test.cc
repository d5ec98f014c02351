#include "common/json_line.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

namespace maas {
namespace {

TEST(JsonLineTest, WritesFieldsInOrderAsValidJson) {
  std::string line = JsonLine()
                         .field("path", "/v2/models/xgb/infer")
                         .field("status", 200)
                         .field("bytes", uint64_t{18446744073709551615ull})
                         .field("neg", int64_t{-42})
                         .field("ms", 0.125)
                         .take();
  EXPECT_EQ(line, R"({"path":"/v2/models/xgb/infer","status":200,"bytes":18446744073709551615,"neg":-42,"ms":0.125})");
  auto parsed = nlohmann::json::parse(line);
  EXPECT_EQ(parsed["bytes"].get<uint64_t>(), 18446744073709551615ull);
}

TEST(JsonLineTest, EmptyObject) { EXPECT_EQ(JsonLine().take(), "{}"); }

TEST(JsonLineTest, EscapesWhatJsonRequires) {
  std::string nasty = "a\"b\\c\nd\te\x01" "f\x1f" "\xc3\xa9";  // é stays as it is
  std::string line = JsonLine().field("k", nasty).take();
  EXPECT_EQ(line, "{\"k\":\"a\\\"b\\\\c\\nd\\te\\u0001f\\u001f\xc3\xa9\"}");
  EXPECT_EQ(nlohmann::json::parse(line)["k"].get<std::string>(), nasty);
}

TEST(JsonLineTest, InvalidUtf8BecomesReplacementCharacters) {
  const std::string replacement = "\xef\xbf\xbd";
  struct Case {
    std::string in, out;
  } cases[] = {
      {"a\xff" "b", "a" + replacement + "b"},                        // never valid
      {"\xc0\xaf", replacement + replacement},                       // overlong '/'
      {"\xed\xa0\x80", replacement + replacement + replacement},     // a UTF-16 surrogate
      {"\xf4\x90\x80\x80", replacement + replacement + replacement + replacement},  // above U+10FFFF
      {"\xe2\x82", replacement + replacement},                       // cut short at the end
      {"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},                      // a valid 4-byte sequence
  };
  for (const auto& c : cases) {
    std::string line = JsonLine().field("k", c.in).take();
    EXPECT_EQ(line, "{\"k\":\"" + c.out + "\"}") << c.in;
    EXPECT_TRUE(nlohmann::json::accept(line)) << line;
  }
}

TEST(JsonLineTest, DoublesRoundTripAndNonFiniteIsNull) {
  for (double v : {0.1, 1.0 / 3.0, 1e-300, 12345.678, -0.0}) {
    std::string line = JsonLine().field("v", v).take();
    EXPECT_EQ(nlohmann::json::parse(line)["v"].get<double>(), v) << line;
  }
  EXPECT_EQ(JsonLine().field("v", std::nan("")).take(), R"({"v":null})");
  EXPECT_EQ(JsonLine().field("v", std::numeric_limits<double>::infinity()).take(), R"({"v":null})");
}

TEST(JsonLineTest, KeysAreEscapedToo) {
  EXPECT_EQ(JsonLine().field("a\"b", 1).take(), R"({"a\"b":1})");
}

}  // namespace
}  // namespace maas
