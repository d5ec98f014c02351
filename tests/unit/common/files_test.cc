#include "common/files.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
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

mode_t mode_of(const std::filesystem::path& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST(Files, NewDirectoriesAndFilesAreTheOwnersOnly) {
  auto dir = std::filesystem::path(::testing::TempDir()) / "files_test_private";
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(ensure_directory(dir / "a" / "b").ok());
  EXPECT_EQ(mode_of(dir), 0700u);
  EXPECT_EQ(mode_of(dir / "a" / "b"), 0700u);
  ASSERT_TRUE(ensure_directory(dir / "a" / "b").ok());  // already there: fine
  ASSERT_TRUE(write_file_atomic(dir / "a" / "state.json", "{}").ok());
  EXPECT_EQ(mode_of(dir / "a" / "state.json"), 0600u);
  ASSERT_TRUE(write_file_atomic(dir / "x", "x").ok());
  EXPECT_FALSE(ensure_directory(dir / "x").ok());  // a file in the way
}

TEST(Files, RestrictToOwnerTightensATreeAndLeavesLinksAlone) {
  auto dir = std::filesystem::path(::testing::TempDir()) / "files_test_restrict";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "logs" / "segments");
  ASSERT_TRUE(write_file_atomic(dir / "metadata.db", "db").ok());
  ASSERT_TRUE(write_file_atomic(dir / "logs" / "segments" / "1.zst", "z").ok());
  ASSERT_TRUE(write_file_atomic(dir / "blob", "b").ok());
  std::filesystem::permissions(dir, std::filesystem::perms(0755));
  std::filesystem::permissions(dir / "logs", std::filesystem::perms(0775));
  std::filesystem::permissions(dir / "logs" / "segments", std::filesystem::perms(0700));
  std::filesystem::permissions(dir / "metadata.db", std::filesystem::perms(0644));
  std::filesystem::permissions(dir / "logs" / "segments" / "1.zst", std::filesystem::perms(0666));
  std::filesystem::permissions(dir / "blob", std::filesystem::perms(0444));
  auto outside = std::filesystem::path(::testing::TempDir()) / "files_test_outside";
  ASSERT_TRUE(write_file_atomic(outside, "o").ok());
  std::filesystem::permissions(outside, std::filesystem::perms(0644));
  std::filesystem::create_symlink(outside, dir / "link");

  auto changed = restrict_to_owner(dir);
  ASSERT_TRUE(changed.ok()) << changed.status().to_string();
  EXPECT_EQ(*changed, 5u);  // the root, logs, metadata.db, 1.zst, blob; logs/segments and the link were fine
  EXPECT_EQ(mode_of(dir), 0700u);
  EXPECT_EQ(mode_of(dir / "logs"), 0700u);
  EXPECT_EQ(mode_of(dir / "metadata.db"), 0600u);
  EXPECT_EQ(mode_of(dir / "logs" / "segments" / "1.zst"), 0600u);
  EXPECT_EQ(mode_of(dir / "blob"), 0400u);  // read-only stays read-only
  EXPECT_EQ(mode_of(outside), 0644u);       // not followed through the link
  EXPECT_EQ(*restrict_to_owner(dir), 0u);
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
