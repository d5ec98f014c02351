#include "common/utf8.h"

#include <gtest/gtest.h>

namespace maas {
namespace {

TEST(Utf8, KeepsValidTextAndReplacesEachInvalidByte) {
  EXPECT_EQ(to_valid_utf8("plain, é, 日本, 👍"), "plain, é, 日本, 👍");
  EXPECT_EQ(to_valid_utf8("a\xff" "b"), "a\xef\xbf\xbd" "b");
  EXPECT_EQ(to_valid_utf8("\xc3"), "\xef\xbf\xbd");              // a sequence cut short
  EXPECT_EQ(to_valid_utf8("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd");  // an overlong '/'
  EXPECT_EQ(to_valid_utf8("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // a surrogate
  EXPECT_EQ(to_valid_utf8(std::string("a\0b", 3)), std::string("a\0b", 3));
}

}  // namespace
}  // namespace maas
