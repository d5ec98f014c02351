#include "features/store/pipeline_store.h"

#include <gtest/gtest.h>

#include "../data/temp_dir.h"
#include "store/sqlite/sqlite_metadata_store.h"

namespace maas::features {
namespace {

using nlohmann::json;

NewPipelineVersion fitted(const std::string& digest, const std::string& job_id = "") {
  NewPipelineVersion v;
  v.spec = {{"transformers", json::array()}};
  v.state_digest = digest;
  v.state_size_bytes = 10;
  v.dataset = "raw";
  v.dataset_version = 3;
  v.input_schema = json::parse(R"([{"name": "x", "type": "number"}])");
  v.output_columns = json::parse(R"(["s__x"])");
  v.job_id = job_id;
  v.created_by = "alice";
  return v;
}

class PipelineStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = PipelineStore::open(dir_ / "metadata.db");
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
    ASSERT_TRUE(store_->create("p", {{"transformers", json::array()}}, "d", {{"team", "a"}}, "alice").ok());
  }
  data::testing::TempDir dir_;
  std::unique_ptr<PipelineStore> store_;
};

TEST_F(PipelineStoreTest, ANameIsTakenOnce) {
  EXPECT_EQ(store_->create("p", json::object(), "", {}, "bob").status().code(), StatusCode::kAlreadyExists);
  auto p = store_->get("p");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.value().latest_version, 0);
  EXPECT_EQ(p.value().tags.at("team"), "a");
}

TEST_F(PipelineStoreTest, VersionNumbersAreNeverReusedAndAJobRecordsOneVersion) {
  auto v1 = store_->add_version("p", fitted("sha256:a", "j-1"));
  ASSERT_TRUE(v1.ok()) << v1.status().message();
  EXPECT_EQ(v1.value().version, 1);
  auto again = store_->add_version("p", fitted("sha256:a", "j-1"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value().version, 1);  // the same job's success reported twice
  auto v2 = store_->add_version("p", fitted("sha256:b", "j-2"));
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2.value().version, 2);
  EXPECT_EQ(v2.value().dataset_version, 3);
  EXPECT_EQ(v2.value().output_columns, json::parse(R"(["s__x"])"));
  auto versions = store_->versions("p");
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(versions.value().size(), 2u);
}

TEST_F(PipelineStoreTest, ResolvesNumbersLatestAndAliases) {
  ASSERT_TRUE(store_->add_version("p", fitted("sha256:a")).ok());
  ASSERT_TRUE(store_->add_version("p", fitted("sha256:b")).ok());
  EXPECT_EQ(store_->resolve("p", "latest").value().version, 2);
  EXPECT_EQ(store_->resolve("p", "1").value().state_digest, "sha256:a");
  ASSERT_TRUE(store_->set_alias("p", "prod", 1).ok());
  EXPECT_EQ(store_->resolve("p", "prod").value().version, 1);
  EXPECT_EQ(store_->get("p").value().aliases.at("prod"), 1);
  EXPECT_EQ(store_->set_alias("p", "7", 1).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->set_alias("p", "x", 9).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->resolve("p", "staging").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->resolve("q", "latest").status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(store_->remove_alias("p", "prod").ok());
  EXPECT_EQ(store_->resolve("p", "prod").status().code(), StatusCode::kNotFound);
}

TEST_F(PipelineStoreTest, LatestOfAnUnfittedPipelineSaysSo) {
  auto r = store_->resolve("p", "latest");
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("no fitted version"), std::string::npos);
}

TEST_F(PipelineStoreTest, StateBlobsAreReferencedForGarbageCollection) {
  ASSERT_TRUE(store_->add_version("p", fitted("sha256:kept")).ok());
  auto metadata = store::sqlite::SqliteMetadataStore::open(dir_ / "metadata.db");
  ASSERT_TRUE(metadata.ok()) << metadata.status().message();
  auto digests = metadata.value()->referenced_digests();
  ASSERT_TRUE(digests.ok());
  EXPECT_TRUE(digests.value().contains("sha256:kept"));
  ASSERT_TRUE(store_->remove("p").ok());
  EXPECT_FALSE(metadata.value()->referenced_digests().value().contains("sha256:kept"));
}

TEST_F(PipelineStoreTest, VersionTagsAreSetOnAnExistingVersion) {
  ASSERT_TRUE(store_->add_version("p", fitted("sha256:a")).ok());
  ASSERT_TRUE(store_->set_version_tags("p", 1, {{"stage", "test"}}).ok());
  EXPECT_EQ(store_->get_version("p", 1).value().tags.at("stage"), "test");
  EXPECT_EQ(store_->set_version_tags("p", 2, {}).code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace maas::features
