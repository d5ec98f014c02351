#include "data/discovery/tokenizer.h"

#include <gtest/gtest.h>

namespace maas::data::discovery {
namespace {

std::vector<std::string> skeletons(std::string_view message) {
  Tokenizer tokenizer;
  TokenizedLine line;
  tokenizer.tokenize(message, line);
  std::vector<std::string> out;
  for (size_t i = 0; i < line.tokens.size(); ++i) {
    std::string s;
    Tokenizer::append_skeleton(line, i, s);
    for (char& c : s)
      if (c == kSlotMark) c = '#';
    out.push_back(s);
  }
  return out;
}

TEST(Tokenizer, MasksNumbersInsideWords) {
  EXPECT_EQ(skeletons("Received block blk_-1608999687919862906 of size 91178 from /10.250.10.6"),
            (std::vector<std::string>{"Received", "block", "blk_#", "of", "size", "#", "from", "/#"}));
}

}  // namespace
}  // namespace maas::data::discovery
