#include "formats/file_reader.h"

#include <gtest/gtest.h>

#include "test_bytes.h"

namespace maas::formats {
namespace {

using testing::Bytes;
using testing::failed_with;
using testing::write_temp;

TEST(FileReader, ReadsLittleEndianValues) {
  auto path = write_temp("reader_values", Bytes().u8(7).u16(0x1234).u32(0xdeadbeef).u64(1ull << 40).f32(1.5f).str());
  auto reader = FileReader::open(path);
  ASSERT_TRUE(reader.ok()) << reader.status().to_string();
  EXPECT_EQ(*reader->read_le<uint8_t>(), 7);
  EXPECT_EQ(*reader->read_le<uint16_t>(), 0x1234);
  EXPECT_EQ(*reader->read_le<uint32_t>(), 0xdeadbeef);
  EXPECT_EQ(*reader->read_le<uint64_t>(), 1ull << 40);
  EXPECT_EQ(*reader->read_le<float>(), 1.5f);
  EXPECT_EQ(reader->remaining(), 0u);
}

TEST(FileReader, RefusesReadsPastTheEndAndSaysWhere) {
  auto reader = FileReader::open(write_temp("reader_short", "abc"));
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE(reader->skip(2).ok());
  EXPECT_TRUE(failed_with(reader->read_le<uint32_t>(), "4 bytes needed at byte 2, but the file has 3 bytes"));
  EXPECT_EQ(reader->position(), 2u);
  EXPECT_TRUE(failed_with(reader->read_string(100), "100 bytes needed"));
  EXPECT_TRUE(failed_with(reader->seek(4), "past the end"));
  EXPECT_TRUE(reader->seek(3).ok());
}

TEST(FileReader, ReadsAcrossBufferBoundariesAndSeeksBack) {
  std::string content;
  for (int i = 0; i < 200000; ++i) content += static_cast<char>(i % 251);
  auto reader = FileReader::open(write_temp("reader_big", content));
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE(reader->seek(65530).ok());
  auto middle = reader->read_string(20);
  ASSERT_TRUE(middle.ok());
  EXPECT_EQ(*middle, content.substr(65530, 20));
  ASSERT_TRUE(reader->seek(10).ok());
  EXPECT_EQ(*reader->read_string(5), content.substr(10, 5));
  ASSERT_TRUE(reader->seek(150000).ok());
  EXPECT_EQ(*reader->read_string(50000), content.substr(150000));
}

TEST(FileReader, OpenFailsForMissingFilesAndDirectories) {
  EXPECT_TRUE(failed_with(FileReader::open("/nonexistent/model.bin"), "cannot open", StatusCode::kNotFound));
  EXPECT_TRUE(failed_with(FileReader::open(::testing::TempDir()), "not a regular file"));
}

TEST(FileReader, ReadHeadReturnsAtMostTheFile) {
  auto path = write_temp("reader_head", "GGUF1234");
  EXPECT_EQ(*read_head(path, 4), "GGUF");
  EXPECT_EQ(*read_head(path, 64), "GGUF1234");
}

}  // namespace
}  // namespace maas::formats
