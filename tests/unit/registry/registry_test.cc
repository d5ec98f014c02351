// The registry's rules on real stores in a temporary directory: version references, uploads that are refused
// leave nothing behind, deployed versions are kept, and garbage collection removes only what nothing references.
#include "registry/registry.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/sqlite/sqlite_metadata_store.h"

namespace maas::registry {
namespace {

// A one-tree XGBoost JSON model with `features` inputs, as XGBoost 1.7's save_model writes it (trimmed).
std::string xgboost_model(int features = 4) {
  nlohmann::json tree = {
      {"base_weights", {0.5, -0.1, 0.2}},
      {"left_children", {1, -1, -1}},
      {"right_children", {2, -1, -1}},
      {"split_conditions", {1.5, 0.1, 0.2}},
      {"split_indices", {0, 0, 0}},
      {"tree_param", {{"num_deleted", "0"}, {"num_feature", std::to_string(features)}, {"num_nodes", "3"}}}};
  nlohmann::json model = {
      {"learner",
       {{"attributes", nlohmann::json::object()},
        {"feature_names", nlohmann::json::array()},
        {"gradient_booster",
         {{"model",
           {{"gbtree_model_param", {{"num_parallel_tree", "1"}, {"num_trees", "1"}}},
            {"tree_info", {0}},
            {"trees", {tree}}}},
          {"name", "gbtree"}}},
        {"learner_model_param",
         {{"base_score", "5E-1"}, {"num_class", "0"}, {"num_feature", std::to_string(features)}, {"num_target", "1"}}},
        {"objective", {{"name", "binary:logistic"}, {"reg_loss_param", {{"scale_pos_weight", "1"}}}}}}},
      {"version", {1, 7, 4}}};
  return model.dump();
}

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("registry_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto metadata = store::sqlite::SqliteMetadataStore::open(dir_ / "metadata.db");
    ASSERT_TRUE(metadata.ok()) << metadata.status().to_string();
    metadata_ = std::move(*metadata);
    auto artifacts = artifacts::ArtifactStore::open(dir_ / "artifacts", 1 << 20);
    ASSERT_TRUE(artifacts.ok()) << artifacts.status().to_string();
    artifacts_ = std::move(*artifacts);
    registry_ = std::make_unique<Registry>(*metadata_, *artifacts_);
    ASSERT_TRUE(registry_->create_model({"iris", "flowers", {}}).ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Result<VersionView> upload(const std::string& bytes, const std::string& model = "iris") {
    MAAS_RETURN_IF_ERROR(registry_->check_can_upload(model));
    MAAS_ASSIGN_OR_RETURN(auto upload, registry_->begin_upload());
    MAAS_RETURN_IF_ERROR(upload->write(bytes.data(), bytes.size()));
    return registry_->finish_upload(model, *upload, std::nullopt, "tester");
  }
  size_t files_under(const std::filesystem::path& dir) {
    size_t n = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) n += e.is_regular_file() ? 1 : 0;
    return n;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::sqlite::SqliteMetadataStore> metadata_;
  std::unique_ptr<artifacts::ArtifactStore> artifacts_;
  std::unique_ptr<Registry> registry_;
};

TEST_F(RegistryTest, ResolvesNumbersAliasesAndLatest) {
  ASSERT_TRUE(upload(xgboost_model(4)).ok());
  auto second = upload(xgboost_model(5));
  ASSERT_TRUE(second.ok()) << second.status().to_string();
  EXPECT_EQ(second->version.version, 2);
  ASSERT_TRUE(registry_->set_alias("iris", "champion", 1).ok());
  EXPECT_EQ(*registry_->resolve("iris", "1"), 1);
  EXPECT_EQ(*registry_->resolve("iris", "champion"), 1);
  EXPECT_EQ(*registry_->resolve("iris", "latest"), 2);
  EXPECT_EQ(registry_->resolve("iris", "nobody").status().code(), StatusCode::kNotFound);
  // A number is taken as it is; whether the version exists is the lookup's answer.
  EXPECT_EQ(registry_->get_version("iris", "7").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(registry_->get_version("absent", "1").status().code(), StatusCode::kNotFound);
}

TEST_F(RegistryTest, DetectsTheFrameworkAndRecordsTheSignature) {
  auto v = upload(xgboost_model(4));
  ASSERT_TRUE(v.ok()) << v.status().to_string();
  EXPECT_EQ(v->version.framework, "xgboost");
  EXPECT_EQ(v->version.format, "xgboost-json");
  EXPECT_EQ(v->version.created_by, "tester");
}

TEST_F(RegistryTest, ARefusedUploadRecordsNothingAndLeavesNoFile) {
  auto bad = upload(R"({"name": "not a model"})");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(bad.status().message().empty());
  EXPECT_EQ(registry_->resolve("iris", "latest").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(files_under(dir_ / "artifacts"), 0u);
  // To a model that does not exist, nothing is accepted at all.
  EXPECT_EQ(upload(xgboost_model(), "absent").status().code(), StatusCode::kNotFound);
}

TEST_F(RegistryTest, RefusesAVersionWhoseInputsNoRequestCouldFill) {
  registry_->set_max_tensor_elements(3);
  auto refused = upload(xgboost_model(4));
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("input"), std::string::npos) << refused.status().message();
  registry_->set_max_tensor_elements(4);
  EXPECT_TRUE(upload(xgboost_model(4)).ok());
}

TEST_F(RegistryTest, KeepsDeployedVersions) {
  ASSERT_TRUE(upload(xgboost_model()).ok());
  bool deployed = true;
  registry_->set_deployment_check(
      [&deployed](const std::string& m, int64_t v) { return deployed && m == "iris" && v == 1; });
  EXPECT_EQ(registry_->delete_version("iris", "1").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(registry_->delete_model("iris").code(), StatusCode::kFailedPrecondition);
  deployed = false;
  EXPECT_TRUE(registry_->delete_version("iris", "1").ok());
  EXPECT_EQ(registry_->get_version("iris", "1").status().code(), StatusCode::kNotFound);
}

TEST_F(RegistryTest, DeletingAVersionRemovesItsBlobAndKeepsTheOthers) {
  ASSERT_TRUE(upload(xgboost_model(4)).ok());
  ASSERT_TRUE(upload(xgboost_model(5)).ok());
  EXPECT_EQ(artifacts_->stats()->blobs, 2u);
  ASSERT_TRUE(registry_->delete_version("iris", "1").ok());
  EXPECT_EQ(artifacts_->stats()->blobs, 1u);
  std::string digest;
  EXPECT_TRUE(registry_->artifact_path("iris", "2", &digest).ok());  // re-hashed: intact
}

TEST_F(RegistryTest, GarbageCollectionRemovesOrphansButNotPinnedBlobs) {
  ASSERT_TRUE(upload(xgboost_model(4)).ok());
  // Blobs stored with no version recorded: what a crash between the two leaves behind.
  auto store_blob = [this](const std::string& bytes) -> artifacts::Pin {
    auto upload = artifacts_->begin_upload();
    EXPECT_TRUE(upload.ok());
    EXPECT_TRUE((*upload)->write(bytes.data(), bytes.size()).ok());
    EXPECT_TRUE((*upload)->finish().ok());
    auto pin = artifacts_->commit(**upload);
    EXPECT_TRUE(pin.ok()) << pin.status().to_string();
    return std::move(*pin);
  };
  { artifacts::Pin released = store_blob("orphan"); }
  artifacts::Pin in_flight = store_blob("an upload not yet recorded");
  auto report = registry_->collect_garbage();
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  EXPECT_EQ(report->removed_blobs, 1u);
  EXPECT_EQ(report->removed_bytes, std::string("orphan").size());
  EXPECT_EQ(artifacts_->stats()->blobs, 2u);  // the version's and the pinned one
}

}  // namespace
}  // namespace maas::registry
