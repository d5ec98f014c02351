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
