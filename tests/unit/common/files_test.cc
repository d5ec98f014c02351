#include "common/files.h"

#include <gtest/gtest.h>

#include <fstream>

namespace maas {
namespace {

TEST(Files, AtomicWriteReplacesContentAndLeavesNoTempFile) {
  auto dir = std::filesystem::path(::testing::TempDir()) / "files_test";
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(ensure_directory(dir).ok());
  auto path = dir / "state.json";
  ASSERT_TRUE(write_file_atomic(path, "old").ok());
  ASSERT_TRUE(write_file_atomic(path, "new content").ok());
  EXPECT_EQ(*read_file(path, 1024), "new content");
  int entries = 0;
  for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(dir)) ++entries;
  EXPECT_EQ(entries, 1);
}

TEST(Files, ReadRefusesFilesOverTheLimit) {
  auto path = std::filesystem::path(::testing::TempDir()) / "files_test_big";
  ASSERT_TRUE(write_file_atomic(path, std::string(100, 'a')).ok());
  EXPECT_EQ(read_file(path, 99).status().code(), StatusCode::kPayloadTooLarge);
}

TEST(ScopedDirectory, IsMadeAndRemovedWithWhatIsInIt) {
  std::filesystem::path path = std::filesystem::temp_directory_path() / "maas-scoped-dir-test" / "inner";
  std::filesystem::remove_all(path.parent_path());
  {
    auto dir = ScopedDirectory::create(path);
    ASSERT_TRUE(dir.ok()) << dir.status().to_string();
    EXPECT_TRUE(std::filesystem::is_directory(path));
    std::ofstream(path / "file") << "x";
    ScopedDirectory moved = std::move(dir).value();
    EXPECT_EQ(moved.path(), path);
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  std::filesystem::remove_all(path.parent_path());
}

}  // namespace
}  // namespace maas
