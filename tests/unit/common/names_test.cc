#include "common/names.h"

#include <gtest/gtest.h>

namespace maas {
namespace {

TEST(Names, AcceptsTheDocumentedAlphabet) {
  EXPECT_TRUE(validate_name("iris", "model").ok());
  EXPECT_TRUE(validate_name("0-a.b_c", "model").ok());
  EXPECT_TRUE(validate_name(std::string(63, 'a'), "model").ok());
}

TEST(Names, RejectsAnythingThatCouldFormAPath) {
  for (const char* bad : {"", "../x", "a/b", ".hidden", "-x", "_x", "Upper", "a b", "a\\b", "a%2f"}) {
    auto s = validate_name(bad, "model");
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("model name"), std::string::npos) << s.message();
  }
  EXPECT_FALSE(validate_name(std::string(64, 'a'), "model").ok());
}

TEST(Names, AliasesCannotLookLikeVersions) {
  EXPECT_TRUE(validate_alias("champion").ok());
  EXPECT_FALSE(validate_alias("12").ok());
  EXPECT_FALSE(validate_alias("007").ok());
  EXPECT_FALSE(validate_alias("latest").ok());
}

TEST(Names, ParsesOnlyPositiveVersionNumbers) {
  long long v = 0;
  EXPECT_TRUE(parse_version_number("42", &v));
  EXPECT_EQ(v, 42);
  EXPECT_FALSE(parse_version_number("0", &v));
  EXPECT_FALSE(parse_version_number("-1", &v));
  EXPECT_FALSE(parse_version_number("1x", &v));
  EXPECT_FALSE(parse_version_number("", &v));
  EXPECT_FALSE(parse_version_number("99999999999999999999", &v));
}

}  // namespace
}  // namespace maas
