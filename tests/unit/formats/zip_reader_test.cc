#include "formats/zip_reader.h"

#include <gtest/gtest.h>

#include "test_bytes.h"

namespace maas::formats {
namespace {

using testing::Bytes;
using testing::failed_with;
using testing::make_zip;
using testing::write_temp;
using testing::ZipFile;

FileReader open_bytes(std::string_view name, const std::string& bytes) {
  auto reader = FileReader::open(write_temp(name, bytes));
  EXPECT_TRUE(reader.ok());
  return std::move(reader).value();
}

std::vector<ZipEntry> entries_of(FileReader& file) {
  std::vector<ZipEntry> out;
  auto directory = read_zip_directory(file);
  EXPECT_TRUE(directory.ok()) << directory.status().to_string();
  if (!directory.ok()) return out;
  Status status = for_each_zip_entry(file, *directory, [&](const ZipEntry& e) -> Status {
    out.push_back(e);
    return {};
  });
  EXPECT_TRUE(status.ok()) << status.to_string();
  return out;
}

TEST(ZipReader, ListsAndReadsStoredEntries) {
  for (bool zip64 : {false, true}) {
    auto file = open_bytes("plain.zip", make_zip({{"a/one.txt", "hello"}, {"a/two.txt", "world!"}}, zip64));
    auto directory = read_zip_directory(file);
    ASSERT_TRUE(directory.ok());
    EXPECT_EQ(directory->zip64, zip64);
    auto entries = entries_of(file);
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[1].name, "a/two.txt");
    EXPECT_EQ(entries[1].uncompressed_size, 6u);
    EXPECT_EQ(*read_zip_entry(file, entries[0], 100), "hello");
    EXPECT_EQ(*read_zip_entry(file, entries[1], 3), "wor");
  }
}

TEST(ZipReader, FindsTheEndRecordBeforeAComment) {
  std::string zip = make_zip({{"x", "data"}});
  // Set the comment length of the end record and append the comment.
  zip[zip.size() - 2] = 5;
  zip += "notes";
  auto file = open_bytes("comment.zip", zip);
  EXPECT_EQ(entries_of(file).size(), 1u);
}

TEST(ZipReader, RejectsAFileWithoutEndRecord) {
  std::string zip = make_zip({{"x", "data"}});
  auto file = open_bytes("truncated.zip", zip.substr(0, zip.size() - 10));
  EXPECT_TRUE(failed_with(read_zip_directory(file), "no end-of-central-directory record"));
  auto text = open_bytes("text.zip", "PK\x03\x04 and then nothing like a zip");
  EXPECT_TRUE(failed_with(read_zip_directory(text), "no end-of-central-directory record"));
}

TEST(ZipReader, RejectsADirectoryOrEntryOutsideTheFile) {
  std::string zip = make_zip({{"x", "data"}});
  // Point the central directory past its end record.
  std::string bad_directory = zip;
  bad_directory[bad_directory.size() - 6] = 0x7f;
  auto file = open_bytes("baddir.zip", bad_directory);
  EXPECT_TRUE(failed_with(read_zip_directory(file), "does not end before its end record"));

  // Give the entry a compressed size that runs into the central directory.
  std::string bad_entry = zip;
  size_t directory_at = bad_entry.find("PK\x01\x02");
  bad_entry[directory_at + 20] = 0x70;
  auto entry_file = open_bytes("badentry.zip", bad_entry);
  auto directory = read_zip_directory(entry_file);
  ASSERT_TRUE(directory.ok());
  EXPECT_TRUE(failed_with(for_each_zip_entry(entry_file, *directory, [](const ZipEntry&) { return Status{}; }),
                          "entry 'x' (112 bytes, local header at byte 0) does not lie before the central directory"));
}

TEST(ZipReader, RejectsACorruptDirectoryEntry) {
  std::string zip = make_zip({{"x", "data"}});
  size_t directory_at = zip.find("PK\x01\x02");
  zip[directory_at] = 'Q';
  auto file = open_bytes("sig.zip", zip);
  auto directory = read_zip_directory(file);
  ASSERT_TRUE(directory.ok());
  EXPECT_TRUE(
      failed_with(for_each_zip_entry(file, *directory, [](const ZipEntry&) { return Status{}; }),
                  "central directory entry #0 at byte " + std::to_string(directory_at) + " has a bad signature"));
}

}  // namespace
}  // namespace maas::formats
