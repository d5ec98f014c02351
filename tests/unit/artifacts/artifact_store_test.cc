#include "artifacts/artifact_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace maas::artifacts {
namespace {
namespace fs = std::filesystem;

ino_t inode_of(const fs::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

class ArtifactStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) /
            ("artifacts_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(root_);
    auto s = ArtifactStore::open(root_, 1 << 20);
    ASSERT_TRUE(s.ok()) << s.status().to_string();
    store_ = std::move(*s);
  }
  std::string put(const std::string& content) {
    auto up = store_->begin_upload();
    EXPECT_TRUE(up.ok());
    EXPECT_TRUE((*up)->write(content.data(), content.size()).ok());
    auto pin = store_->commit(**up);
    EXPECT_TRUE(pin.ok()) << pin.status().to_string();
    return pin->digest();
  }
  size_t temp_files() {
    size_t n = 0;
    for ([[maybe_unused]] auto& e : fs::directory_iterator(root_ / "tmp")) ++n;
    return n;
  }

  fs::path root_;
  std::unique_ptr<ArtifactStore> store_;
};

TEST_F(ArtifactStoreTest, StoresByContentAndDeduplicates) {
  std::string d1 = put("hello");
  EXPECT_EQ(d1, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  EXPECT_EQ(put("hello"), d1);
  EXPECT_EQ(store_->stats()->blobs, 1u);
  EXPECT_EQ(temp_files(), 0u);
  auto path = store_->open_verified(d1);
  ASSERT_TRUE(path.ok());
  std::ifstream in(*path);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "hello");
}

TEST_F(ArtifactStoreTest, AbandonedUploadsLeaveNothing) {
  {
    auto up = store_->begin_upload();
    ASSERT_TRUE((*up)->write("partial", 7).ok());
    EXPECT_EQ(temp_files(), 1u);
  }
  EXPECT_EQ(temp_files(), 0u);
  EXPECT_EQ(store_->stats()->blobs, 0u);
}

TEST_F(ArtifactStoreTest, EnforcesTheSizeLimit) {
  auto up = store_->begin_upload();
  std::string chunk(700 * 1024, 'x');
  ASSERT_TRUE((*up)->write(chunk.data(), chunk.size()).ok());
  EXPECT_EQ((*up)->write(chunk.data(), chunk.size()).code(), StatusCode::kPayloadTooLarge);
}

TEST_F(ArtifactStoreTest, OpenRemovesTempFilesLeftByACrash) {
  std::ofstream(root_ / "tmp" / "upload-leftover") << "junk";
  auto reopened = ArtifactStore::open(root_, 1 << 20);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(temp_files(), 0u);
}

TEST_F(ArtifactStoreTest, GarbageCollectionKeepsReferencedAndPinnedBlobs) {
  std::string keep = put("keep");
  std::string drop = put("drop");
  std::string pinned = put("pinned");
  Pin guard = store_->pin(pinned);
  auto report = store_->collect_garbage([&]() -> Result<std::set<std::string>> { return std::set<std::string>{keep}; });
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->removed_blobs, 1u);
  EXPECT_TRUE(store_->contains(keep));
  EXPECT_FALSE(store_->contains(drop));
  EXPECT_TRUE(store_->contains(pinned));
}

TEST_F(ArtifactStoreTest, VerificationCatchesCorruptBlobs) {
  std::string d = put("precious bytes");
  fs::path blob = store_->blob_path(d);
  fs::permissions(blob, fs::perms::owner_write, fs::perm_options::add);
  std::ofstream(blob, std::ios::binary | std::ios::trunc) << "tampered";
  auto opened = store_->open_verified(d);
  EXPECT_EQ(opened.status().code(), StatusCode::kInternal);
  EXPECT_NE(opened.status().message().find("corrupt"), std::string::npos);
  EXPECT_EQ(store_->verify_all()->corrupt, std::vector<std::string>{d});
  EXPECT_EQ(store_->open_verified("../../etc/passwd").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace maas::artifacts

namespace maas::artifacts {
namespace {

class AdoptedFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) /
            ("adopt_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(root_);
    auto s = ArtifactStore::open(root_, 16);
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
  }
  fs::path root_;
  std::unique_ptr<ArtifactStore> store_;
};

TEST_F(AdoptedFileTest, StoresAFileAnotherWriterReplacedByName) {
  auto up = store_->begin_upload();
  ASSERT_TRUE(up.ok());
  // The writer replaces the file at the path (as DuckDB's COPY does), not the descriptor the upload holds.
  fs::path path = (*up)->temp_path();
  fs::remove(path);
  std::ofstream(path) << "hello";
  auto digest = (*up)->adopt_written_file();
  ASSERT_TRUE(digest.ok()) << digest.status().to_string();
  EXPECT_EQ(*digest, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  EXPECT_EQ((*up)->bytes_written(), 5u);
  auto pin = store_->commit(**up);
  ASSERT_TRUE(pin.ok());
  EXPECT_TRUE(store_->contains(*digest));
  EXPECT_TRUE(store_->open_verified(*digest).ok());
}

TEST_F(AdoptedFileTest, RefusesAFileOverTheLimit) {
  auto up = store_->begin_upload();
  ASSERT_TRUE(up.ok());
  std::ofstream((*up)->temp_path()) << "more than sixteen bytes";
  EXPECT_EQ((*up)->adopt_written_file().status().code(), StatusCode::kPayloadTooLarge);
}

TEST_F(ArtifactStoreTest, AFileMovedIntoAnUploadIsRenamedNotCopied) {
  fs::path file = root_ / "job-output.parquet";
  std::ofstream(file) << "rows of a job";
  const ino_t inode = inode_of(file);
  ASSERT_NE(inode, 0u);
  auto up = store_->begin_upload();
  ASSERT_TRUE(up.ok());
  auto moved = move_into_upload(file, (*up)->temp_path());
  ASSERT_TRUE(moved.ok()) << moved.status().to_string();
  EXPECT_TRUE(*moved);
  EXPECT_FALSE(fs::exists(file));
  ASSERT_TRUE((*up)->adopt_written_file().ok());
  auto pin = store_->commit(**up);
  ASSERT_TRUE(pin.ok()) << pin.status().to_string();
  EXPECT_EQ(inode_of(store_->blob_path(pin->digest())), inode);  // the job's file itself, under its digest
  EXPECT_EQ((*up)->bytes_written(), 13u);
  EXPECT_EQ(temp_files(), 0u);
}

TEST_F(ArtifactStoreTest, AFileOnAnotherFilesystemIsCopiedIntoAnUpload) {
  struct stat shm {
  }, here{};
  if (::stat("/dev/shm", &shm) != 0 || ::stat(root_.c_str(), &here) != 0 || shm.st_dev == here.st_dev) {
    GTEST_SKIP() << "no second filesystem at /dev/shm";
  }
  fs::path file = fs::path("/dev/shm") / ("maas-artifacts-test-" + std::to_string(::getpid()));
  std::ofstream(file) << "rows of a job";
  auto up = store_->begin_upload();
  ASSERT_TRUE(up.ok());
  auto moved = move_into_upload(file, (*up)->temp_path());
  ASSERT_TRUE(moved.ok()) << moved.status().to_string();
  EXPECT_FALSE(*moved);
  EXPECT_FALSE(fs::exists(file));
  ASSERT_TRUE((*up)->adopt_written_file().ok());
  auto pin = store_->commit(**up);
  ASSERT_TRUE(pin.ok()) << pin.status().to_string();
  std::ifstream in(store_->blob_path(pin->digest()));
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_EQ(content.str(), "rows of a job");
}

}  // namespace
}  // namespace maas::artifacts
