#include "data/discovery/tokenizer.h"

#include <gtest/gtest.h>

namespace maas::data::discovery {
namespace {

// The skeletons of a message's tokens, slots written as '#'.
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

std::vector<uint64_t> keys(std::string_view message) {
  Tokenizer tokenizer;
  TokenizedLine line;
  tokenizer.tokenize(message, line);
  std::vector<uint64_t> out;
  for (const Token& t : line.tokens) out.push_back(t.key);
  return out;
}

using V = std::vector<std::string>;

TEST(Tokenizer, MasksNumbersInsideWords) {
  EXPECT_EQ(skeletons("Received block blk_-1608999687919862906 of size 91178 from /10.250.10.6"),
            (V{"Received", "block", "blk_#", "of", "size", "#", "from", "/#"}));
  EXPECT_EQ(skeletons("eth0 512MB 10.0.0.1:50010 core.2275"), (V{"eth#", "#", "#:#", "core.#"}));
}

// A version's number names a protocol (IPv4 and IPv6 are two templates' words); a device's number is a value.
TEST(Tokenizer, KeepsAVersionsNumberInTheName) {
  EXPECT_EQ(skeletons("MDNS: IPV4 Addr: IPv6: TLSv1 eth0 CPU3"),
            (V{"MDNS:", "IPV4", "Addr:", "IPv6:", "TLSv1", "eth#", "CPU#"}));
  EXPECT_NE(keys("IPV4 Addr")[0], keys("IPV6 Addr")[0]);
}

TEST(Tokenizer, LinesOfOneTemplateShareKeys) {
  EXPECT_EQ(keys("Received block blk_-16 of size 91178 from /10.250.10.6"),
            keys("Received block blk_42 of size 7 from /10.1.1.1"));
  EXPECT_NE(keys("Starting TrustedInstaller initialization."), keys("Ending TrustedInstaller initialization."));
}

TEST(Tokenizer, IdentifiersWithManyNumbersAreOneSlot) {
  // Map and reduce attempts are one parameter: the letter between the numbers does not make two templates.
  EXPECT_EQ(skeletons("attempt_1445144423722_0020_m_000002_0"), V{"attempt_#"});
  EXPECT_EQ(keys("attempt_1445144423722_0020_m_000002_0"), keys("attempt_1445144423722_0020_r_000002_0"));
  EXPECT_EQ(skeletons("req-38101a0b-2096-447d-96ea-a692162415ae"), V{"req-#"});
}

TEST(Tokenizer, SplitsKeyValuePairs) {
  EXPECT_EQ(skeletons("uid=0 euid=0 tty=NODEVssh ruser= rhost=10.0.0.1"),
            (V{"uid=", "#", "euid=", "#", "tty=", "NODEVssh", "ruser=", "", "rhost=", "#"}));
  Tokenizer tokenizer;
  TokenizedLine line;
  tokenizer.tokenize("user=bob", line);
  ASSERT_EQ(line.tokens.size(), 2u);
  EXPECT_EQ(line.tokens[1].sep, Separator::kNone);
  EXPECT_TRUE(line.tokens[1].value);
}

TEST(Tokenizer, QuotedSpansAreOneToken) {
  EXPECT_EQ(skeletons(R"x("GET /index.html HTTP/1.1" 200 "Mozilla/5.0 (X11; Linux)")x"),
            (V{"\"GET # HTTP/#.#\"", "#", "\"Mozilla/#.# (X#; Linux)\""}));
  // A message's own words are mined, other quoted values are one token.
  EXPECT_EQ(skeletons(R"(msg="request completed" error="connection refused")"),
            (V{"msg=", "\"request", "completed\"", "error=", "\"connection refused\""}));
}

TEST(Tokenizer, NumbersKeepTheirUnits) {
  EXPECT_EQ(skeletons("sent 1190 bytes (1.16 KB), lifetime <1 sec"), (V{"sent", "#", "bytes", "(#),", "lifetime", "<#"}));
}

TEST(Tokenizer, SplitsJsonAtItsPunctuation) {
  Tokenizer tokenizer;
  TokenizedLine line;
  tokenizer.tokenize(R"({"ts":"2024-01-01T00:00:00Z","msg":"user bob logged in","mfa":true})", line);
  ASSERT_TRUE(line.json);
  EXPECT_EQ(skeletons(R"({"ts":"2024-01-01T00:00:00Z","msg":"user bob logged in","mfa":true})"),
            (V{"ts", "#", "msg", "user", "bob", "logged", "in", "mfa", "true"}));
  EXPECT_EQ(Tokenizer::separator_text(line, 1), "\":\"");
  EXPECT_EQ(Tokenizer::trailer_text(line), "}");
  EXPECT_TRUE(line.tokens.back().value);
}

TEST(Tokenizer, SplitsADataRowAtItsDelimiter) {
  Tokenizer tokenizer;
  TokenizedLine line;
  tokenizer.tokenize("2026-12-07T13:55:58Z,sensor-0001,temperature,21.5,,plant-a", line);
  ASSERT_EQ(line.tokens.size(), 6u);
  EXPECT_EQ(skeletons("2026-12-07T13:55:58Z,sensor-0001,temperature,21.5,,plant-a"),
            (V{"#", "sensor-#", "temperature", "#", "", "plant-a"}));
  EXPECT_EQ(Tokenizer::separator_text(line, 0), "");
  EXPECT_EQ(Tokenizer::separator_text(line, 2), ",");
  EXPECT_EQ(skeletons("17|gw-1|uplink|rssi=-97|sf=7"), (V{"#", "gw-#", "uplink", "rssi=", "#", "sf=", "#"}));
  // A word first, a bracket, fewer than three delimiters or a space: not a row, one token as before.
  EXPECT_EQ(skeletons("removeNotification:0|com.tencent.mm|12|null|10018").size(), 1u);
  EXPECT_EQ(skeletons("[0,3380,com.tencent.mm]").size(), 1u);
  EXPECT_EQ(skeletons("12,34,56").size(), 1u);
  EXPECT_EQ(skeletons("1,2,3,4 done").size(), 2u);
}

TEST(Tokenizer, BoundsTokensPerLine) {
  std::string message;
  for (int i = 0; i < 1000; ++i) message += "word" + std::string(1, static_cast<char>('a' + i % 26)) + " ";
  Tokenizer tokenizer(64, 1 << 20);
  TokenizedLine line;
  tokenizer.tokenize(message, line);
  ASSERT_EQ(line.tokens.size(), 63u);
  EXPECT_TRUE(line.tokens.back().rest);
  EXPECT_EQ(line.tokens.back().end, line.message.size());
}

TEST(Tokenizer, BoundsBytesPerLine) {
  std::string message(200000, 'x');
  message = "head " + message + " tail";
  Tokenizer tokenizer(256, 1024);
  TokenizedLine line;
  tokenizer.tokenize(message, line);
  ASSERT_EQ(line.tokens.size(), 2u);
  EXPECT_TRUE(line.tokens[1].rest);
}

}  // namespace
}  // namespace maas::data::discovery
