#include "llm/text_stream.h"

#include <gtest/gtest.h>

namespace maas::llm {
namespace {

std::string push(TextStream& s, std::string_view bytes, bool* stopped = nullptr) {
  bool ignored = false;
  return s.push(bytes, stopped ? stopped : &ignored);
}

TEST(TextStream, PassesPlainTextThrough) {
  TextStream s;
  EXPECT_EQ(push(s, "Hello"), "Hello");
  EXPECT_EQ(push(s, " world"), " world");
  EXPECT_EQ(s.finish(), "");
}

TEST(TextStream, HoldsAnUnfinishedCharacterUntilItCompletes) {
  TextStream s;
  // "é" is C3 A9: a token may end after the first byte.
  EXPECT_EQ(push(s, "caf\xC3"), "caf");
  EXPECT_EQ(push(s, "\xA9!"), "\xC3\xA9!");
}

TEST(TextStream, ReplacesBytesThatCanNeverBeText) {
  TextStream s;
  EXPECT_EQ(push(s, "a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(push(s, "\xC3(x"), "\xEF\xBF\xBD(x");  // a lead byte followed by no continuation
  EXPECT_EQ(push(s, "\xE2\x82"), "");
  EXPECT_EQ(s.finish(), "\xEF\xBF\xBD");  // the stream ended inside a character
}

TEST(TextStream, StopsBeforeAStopStringSplitAcrossTokens) {
  TextStream s({"END"});
  bool stopped = false;
  EXPECT_EQ(push(s, "one E", &stopped), "one ");
  EXPECT_FALSE(stopped);
  EXPECT_EQ(push(s, "N", &stopped), "");
  EXPECT_EQ(push(s, "D and more", &stopped), "");
  EXPECT_TRUE(stopped);
}

TEST(TextStream, ReleasesHeldTextThatTurnsOutNotToBeAStop) {
  TextStream s({"END"});
  EXPECT_EQ(push(s, "wE"), "w");
  EXPECT_EQ(push(s, "x"), "Ex");
  EXPECT_EQ(push(s, "EN"), "");
  EXPECT_EQ(s.finish(), "EN");
}

TEST(TextStream, TheEarliestOfSeveralStopsWins) {
  TextStream s({"bb", "a"});
  bool stopped = false;
  EXPECT_EQ(push(s, "xbbya", &stopped), "x");
  EXPECT_TRUE(stopped);
}

}  // namespace
}  // namespace maas::llm
