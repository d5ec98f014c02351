#include "console/asset_bundle.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

namespace maas::console {
namespace {

namespace fs = std::filesystem;

class AssetBundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("maas-console-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_ / "assets");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const fs::path& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }
  fs::path dir_;
};

TEST_F(AssetBundleTest, ReadsEveryFileWithItsGzipTypeAndValidator) {
  write(dir_ / "index.html", "<!doctype html>");
  write(dir_ / "index.html.gz", "gz-of-index");
  write(dir_ / "assets" / "app-ABCD1234.js", "console.log(1)");
  auto bundle = AssetBundle::load(dir_);
  ASSERT_TRUE(bundle.ok()) << bundle.status().message();
  EXPECT_EQ(bundle->count(), 2u);  // the .gz is a form of index.html, not a file of its own
  const Asset* index = bundle->find("index.html");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->body, "<!doctype html>");
  EXPECT_EQ(index->gzip, "gz-of-index");
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_FALSE(index->immutable);
  EXPECT_EQ(index->etag.size(), 34u);  // 32 hex digits, quoted
  const Asset* js = bundle->find("assets/app-ABCD1234.js");
  ASSERT_NE(js, nullptr);
  EXPECT_TRUE(js->immutable);
  EXPECT_TRUE(js->gzip.empty());
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(js->etag, index->etag);
  EXPECT_EQ(bundle->find("assets/other.js"), nullptr);
}

TEST_F(AssetBundleTest, SkipsSymbolicLinksAndOrphanGzips) {
  write(dir_ / "index.html", "x");
  write(dir_.parent_path() / (dir_.filename().string() + "-outside"), "secret");
  fs::create_symlink(dir_.parent_path() / (dir_.filename().string() + "-outside"), dir_ / "assets" / "link.js");
  fs::create_directory_symlink("/etc", dir_ / "etc");
  write(dir_ / "assets" / "gone.js.gz", "orphan");
  auto bundle = AssetBundle::load(dir_);
  fs::remove(dir_.parent_path() / (dir_.filename().string() + "-outside"));
  ASSERT_TRUE(bundle.ok()) << bundle.status().message();
  EXPECT_EQ(bundle->find("assets/link.js"), nullptr);
  EXPECT_EQ(bundle->find("etc/passwd"), nullptr);
  EXPECT_EQ(bundle->find("assets/gone.js"), nullptr);
  EXPECT_EQ(bundle->count(), 1u);
}

TEST_F(AssetBundleTest, ADirectoryWithoutIndexIsNotABuild) {
  auto bundle = AssetBundle::load(dir_);
  ASSERT_FALSE(bundle.ok());
  EXPECT_EQ(bundle.status().code(), StatusCode::kNotFound);
  EXPECT_NE(bundle.status().message().find("index.html"), std::string::npos);
}

TEST(ContentType, FollowsTheExtension) {
  EXPECT_EQ(content_type_for("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("a.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("a.unknown"), "application/octet-stream");
  EXPECT_EQ(content_type_for("js"), "application/octet-stream");
}

}  // namespace
}  // namespace maas::console
