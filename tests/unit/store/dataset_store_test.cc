#include "store/sqlite/sqlite_dataset_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/sqlite/sqlite_metadata_store.h"

namespace maas::store {
namespace {

class DatasetStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("datasets_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    reopen();
  }
  void reopen() {
    store_.reset();
    auto s = sqlite::SqliteDatasetStore::open(dir_ / "metadata.db");
    ASSERT_TRUE(s.ok()) << s.status().to_string();
    store_ = std::move(*s);
  }
  DatasetVersionRecord add_version(const std::string& dataset, const std::string& digest,
                                   const std::string& rejects = "") {
    NewDatasetVersion v;
    v.digest = digest;
    v.size_bytes = 100;
    v.row_count = 3;
    v.schema = nlohmann::json::array({{{"name", "a"}, {"type", "BIGINT"}}});
    v.profile = {{"columns", nlohmann::json::array()}};
    v.rejects_digest = rejects;
    v.rejected_rows = rejects.empty() ? 0 : 2;
    v.created_by = "tester";
    auto r = store_->create_dataset_version(dataset, v);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? *r : DatasetVersionRecord{};
  }

  std::filesystem::path dir_;
  std::unique_ptr<sqlite::SqliteDatasetStore> store_;
};

TEST_F(DatasetStoreTest, CreatesAndRejectsDuplicateDatasets) {
  ASSERT_TRUE(store_->create_dataset({"logs", "web logs", {{"team", "a"}}}).ok());
  EXPECT_EQ(store_->create_dataset({"logs", "", {}}).status().code(), StatusCode::kAlreadyExists);
  auto got = store_->get_dataset("logs");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->description, "web logs");
  EXPECT_EQ(got->tags.at("team"), "a");
  EXPECT_EQ(store_->get_dataset("nope").status().code(), StatusCode::kNotFound);
  auto updated = store_->update_dataset("logs", {std::string("new"), std::nullopt});
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->description, "new");
  EXPECT_EQ(updated->tags.at("team"), "a");
}

TEST_F(DatasetStoreTest, VersionNumbersIncreaseAndAreNeverReused) {
  ASSERT_TRUE(store_->create_dataset({"d", "", {}}).ok());
  EXPECT_EQ(add_version("d", "a1").version, 1);
  EXPECT_EQ(add_version("d", "a2").version, 2);
  ASSERT_TRUE(store_->delete_dataset_version("d", 2).ok());
  EXPECT_EQ(add_version("d", "a3").version, 3);
  reopen();
  EXPECT_EQ(add_version("d", "a4").version, 4);
  EXPECT_EQ(store_->get_dataset("d")->version_count, 3);
  EXPECT_EQ(store_->get_dataset("d")->latest_version, 4);
  EXPECT_EQ(store_->get_dataset_version("d", 2).status().code(), StatusCode::kNotFound);
}

TEST_F(DatasetStoreTest, KeepsSchemaProfileRejectsAndLineage) {
  ASSERT_TRUE(store_->create_dataset({"d", "", {}}).ok());
  NewDatasetVersion v;
  v.digest = "snap";
  v.size_bytes = 1234;
  v.row_count = 99;
  v.schema = nlohmann::json::array({{{"name", "x"}, {"type", "DOUBLE"}}});
  v.profile = {{"columns", {{{"name", "x"}, {"mean", 1.5}}}}};
  v.rejects_digest = "rej";
  v.rejects_size_bytes = 10;
  v.rejected_rows = 7;
  v.lineage.source = "file:x.csv";
  v.lineage.rule = "clean@2";
  v.lineage.parents = {{"raw", 3}, {"other", 1}};
  v.lineage.job_id = "job-1";
  v.lineage.details = {{"format", "csv"}};
  v.tags = {{"k", "v"}};
  v.created_by = "me";
  ASSERT_TRUE(store_->create_dataset_version("d", v).ok());
  reopen();
  auto got = store_->get_dataset_version("d", 1);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->digest, "snap");
  EXPECT_EQ(got->size_bytes, 1234u);
  EXPECT_EQ(got->row_count, 99);
  EXPECT_EQ(got->schema, v.schema);
  EXPECT_EQ(got->profile, v.profile);
  EXPECT_EQ(got->rejects_digest, "rej");
  EXPECT_EQ(got->rejected_rows, 7);
  EXPECT_EQ(got->lineage.source, "file:x.csv");
  EXPECT_EQ(got->lineage.rule, "clean@2");
  ASSERT_EQ(got->lineage.parents.size(), 2u);
  EXPECT_EQ(got->lineage.parents[0].dataset, "raw");
  EXPECT_EQ(got->lineage.parents[0].version, 3);
  EXPECT_EQ(got->lineage.job_id, "job-1");
  EXPECT_EQ(got->lineage.details["format"], "csv");
  EXPECT_EQ(got->state, kDatasetReady);
  EXPECT_EQ(got->tags.at("k"), "v");
}

TEST_F(DatasetStoreTest, LatestSkipsRetiredVersions) {
  ASSERT_TRUE(store_->create_dataset({"d", "", {}}).ok());
  EXPECT_EQ(store_->latest_dataset_version("d").status().code(), StatusCode::kNotFound);
  add_version("d", "a1");
  add_version("d", "a2");
  EXPECT_EQ(*store_->latest_dataset_version("d"), 2);
  DatasetVersionPatch retire;
  retire.state = std::string(kDatasetRetired);
  ASSERT_TRUE(store_->update_dataset_version("d", 2, retire).ok());
  EXPECT_EQ(*store_->latest_dataset_version("d"), 1);
  DatasetVersionQuery ready;
  ready.state = std::string(kDatasetReady);
  EXPECT_EQ(store_->list_dataset_versions("d", ready)->size(), 1u);
  EXPECT_EQ(store_->list_dataset_versions("d", {})->size(), 2u);
}

TEST_F(DatasetStoreTest, AliasesProtectTheirVersion) {
  ASSERT_TRUE(store_->create_dataset({"d", "", {}}).ok());
  add_version("d", "a1");
  add_version("d", "a2");
  ASSERT_TRUE(store_->set_dataset_alias("d", "train", 1).ok());
  EXPECT_EQ(*store_->get_dataset_alias("d", "train"), 1);
  Status st = store_->delete_dataset_version("d", 1);
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(st.message().find("'train'"), std::string::npos);
  ASSERT_TRUE(store_->set_dataset_alias("d", "train", 2).ok());  // moves
  EXPECT_TRUE(store_->delete_dataset_version("d", 1).ok());
  EXPECT_EQ(store_->set_dataset_alias("d", "x", 9).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->dataset_aliases("d")->size(), 1u);
  EXPECT_TRUE(store_->delete_dataset_alias("d", "train").ok());
  EXPECT_EQ(store_->delete_dataset_alias("d", "train").code(), StatusCode::kNotFound);
}

TEST_F(DatasetStoreTest, DeletingADatasetRemovesVersionsAndAliases) {
  ASSERT_TRUE(store_->create_dataset({"d", "", {}}).ok());
  add_version("d", "a1");
  ASSERT_TRUE(store_->set_dataset_alias("d", "prod", 1).ok());
  ASSERT_TRUE(store_->delete_dataset("d").ok());
  EXPECT_EQ(store_->get_dataset("d").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->dataset_digests()->empty());
  ASSERT_TRUE(store_->create_dataset({"d", "", {}}).ok());
  EXPECT_EQ(add_version("d", "b").version, 1);
}

TEST_F(DatasetStoreTest, ListsByPrefixInPages) {
  for (const char* name : {"a-1", "a-2", "a-3", "b-1"}) ASSERT_TRUE(store_->create_dataset({name, "", {}}).ok());
  DatasetQuery q;
  q.prefix = "a-";
  q.limit = 2;
  auto first = store_->list_datasets(q);
  ASSERT_EQ(first->size(), 2u);
  q.after_name = first->back().name;
  auto second = store_->list_datasets(q);
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ(second->front().name, "a-3");
}

TEST_F(DatasetStoreTest, GarbageCollectionSeesDatasetBlobsThroughTheModelStore) {
  ASSERT_TRUE(store_->create_dataset({"d", "", {}}).ok());
  add_version("d", "snapshot-digest", "rejects-digest");
  EXPECT_EQ(*store_->dataset_digests(), (std::set<std::string>{"rejects-digest", "snapshot-digest"}));
  // The model registry's collector asks the metadata store, which shares the file.
  auto models = sqlite::SqliteMetadataStore::open(dir_ / "metadata.db");
  ASSERT_TRUE(models.ok());
  auto referenced = (*models)->referenced_digests();
  ASSERT_TRUE(referenced.ok()) << referenced.status().to_string();
  EXPECT_EQ(referenced->count("snapshot-digest"), 1u);
  EXPECT_EQ(referenced->count("rejects-digest"), 1u);
}

}  // namespace
}  // namespace maas::store
