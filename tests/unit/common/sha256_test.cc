#include "common/sha256.h"

#include <gtest/gtest.h>

#include <fstream>

namespace maas {
namespace {

TEST(Sha256, MatchesKnownVectors) {
  Sha256 empty;
  EXPECT_EQ(empty.hex_digest(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  Sha256 abc;
  abc.update("a");
  abc.update("bc");
  EXPECT_EQ(abc.hex_digest(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HmacSha256, MatchesRfc4231Vectors) {
  // Test case 1: a 20-byte key.
  HmacSha256 short_key(std::string(20, '\x0b'));
  EXPECT_EQ(short_key.hex_digest("Hi There"), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // Test case 2: a key shorter than the hash, reused for a second message.
  HmacSha256 jefe("Jefe");
  EXPECT_EQ(jefe.hex_digest("what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(jefe.hex_digest("what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 6: a 131-byte key, hashed first.
  HmacSha256 long_key(std::string(131, '\xaa'));
  EXPECT_EQ(long_key.hex_digest("Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Sha256, HashesAFileInChunks) {
  auto path = std::filesystem::path(::testing::TempDir()) / "sha256_file_test.bin";
  std::string content(3 * (1 << 20) + 17, 'x');
  std::ofstream(path, std::ios::binary) << content;
  Sha256 expected;
  expected.update(content);
  auto got = sha256_file(path);
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  EXPECT_EQ(*got, expected.hex_digest());
  EXPECT_EQ(sha256_file(path.string() + ".missing").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace maas
