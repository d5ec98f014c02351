#include "store/sqlite/sqlite_metadata_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <thread>
#include <vector>

namespace maas::store {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("store_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    reopen();
  }
  void reopen() {
    store_.reset();
    auto s = sqlite::SqliteMetadataStore::open(dir_ / "metadata.db");
    ASSERT_TRUE(s.ok()) << s.status().to_string();
    store_ = std::move(*s);
  }
  VersionRecord add_version(const std::string& model, const std::string& digest) {
    NewVersion v{"xgboost", "xgboost-json", digest, 10, nlohmann::json::object(), "tester"};
    auto r = store_->create_version(model, v);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? *r : VersionRecord{};
  }

  std::filesystem::path dir_;
  std::unique_ptr<sqlite::SqliteMetadataStore> store_;
};

TEST_F(SqliteStoreTest, CreatesAndRejectsDuplicateModels) {
  ASSERT_TRUE(store_->create_model({"iris", "flowers", {{"team", "a"}}}).ok());
  auto dup = store_->create_model({"iris", "", {}});
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  auto got = store_->get_model("iris");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->description, "flowers");
  EXPECT_EQ(got->tags.at("team"), "a");
  EXPECT_EQ(store_->get_model("nope").status().code(), StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, VersionNumbersIncreaseAndAreNeverReused) {
  ASSERT_TRUE(store_->create_model({"m", "", {}}).ok());
  EXPECT_EQ(add_version("m", "d1").version, 1);
  EXPECT_EQ(add_version("m", "d2").version, 2);
  ASSERT_TRUE(store_->delete_version("m", 2).ok());
  EXPECT_EQ(add_version("m", "d3").version, 3);
  reopen();  // survives a restart
  EXPECT_EQ(add_version("m", "d4").version, 4);
  EXPECT_EQ(store_->get_model("m")->version_count, 3);
  EXPECT_EQ(store_->get_model("m")->latest_version, 4);
}

TEST_F(SqliteStoreTest, AliasesProtectTheirVersion) {
  ASSERT_TRUE(store_->create_model({"m", "", {}}).ok());
  add_version("m", "d1");
  add_version("m", "d2");
  ASSERT_TRUE(store_->set_alias("m", "prod", 1).ok());
  EXPECT_EQ(*store_->get_alias("m", "prod"), 1);
  auto refused = store_->delete_version("m", 1);
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("'prod'"), std::string::npos);
  ASSERT_TRUE(store_->set_alias("m", "prod", 2).ok());  // moving it frees version 1
  EXPECT_TRUE(store_->delete_version("m", 1).ok());
  EXPECT_EQ(store_->set_alias("m", "x", 99).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->delete_alias("m", "none").code(), StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, LifecycleTransitionsAreCheckedAndRecorded) {
  ASSERT_TRUE(store_->create_model({"m", "", {}}).ok());
  add_version("m", "d1");
  VersionPatch to_ready;
  to_ready.state = StateChange{"ready", "alice", "passed"};
  ASSERT_TRUE(store_->update_version("m", 1, to_ready).ok());
  VersionPatch back;
  back.state = StateChange{"registered", "bob", ""};
  EXPECT_EQ(store_->update_version("m", 1, back).status().code(), StatusCode::kFailedPrecondition);
  auto history = store_->version_history("m", 1);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_FALSE((*history)[0].from.has_value());
  EXPECT_EQ((*history)[1].from.value(), "registered");
  EXPECT_EQ((*history)[1].to, "ready");
  EXPECT_EQ((*history)[1].by, "alice");
}

TEST_F(SqliteStoreTest, LatestSkipsRetiredVersions) {
  ASSERT_TRUE(store_->create_model({"m", "", {}}).ok());
  EXPECT_EQ(store_->latest_version("m").status().code(), StatusCode::kNotFound);
  add_version("m", "d1");
  add_version("m", "d2");
  VersionPatch retire;
  retire.state = StateChange{"retired", "ops", ""};
  ASSERT_TRUE(store_->update_version("m", 2, retire).ok());
  EXPECT_EQ(*store_->latest_version("m"), 1);
}

TEST_F(SqliteStoreTest, ListFiltersByPrefixAndTags) {
  ASSERT_TRUE(store_->create_model({"alpha", "", {{"team", "x"}}}).ok());
  ASSERT_TRUE(store_->create_model({"alps", "", {{"team", "y"}}}).ok());
  ASSERT_TRUE(store_->create_model({"beta", "", {{"team", "x"}, {"a.b", "1"}}}).ok());
  ModelQuery q;
  q.prefix = "al";
  EXPECT_EQ(store_->list_models(q)->size(), 2u);
  ModelQuery t;
  t.tags = {{"team", std::string("x")}};
  auto tagged = store_->list_models(t);
  ASSERT_EQ(tagged->size(), 2u);
  EXPECT_EQ((*tagged)[1].name, "beta");
  ModelQuery dotted;
  dotted.tags = {{"a.b", std::nullopt}};
  EXPECT_EQ(store_->list_models(dotted)->size(), 1u);
  ModelQuery page;
  page.after_name = "alps";
  EXPECT_EQ(store_->list_models(page)->front().name, "beta");
}

TEST_F(SqliteStoreTest, DeletingAModelRemovesItsVersionsAndAliases) {
  ASSERT_TRUE(store_->create_model({"m", "", {}}).ok());
  add_version("m", "d1");
  ASSERT_TRUE(store_->set_alias("m", "prod", 1).ok());
  EXPECT_EQ(store_->referenced_digests()->count("d1"), 1u);
  ASSERT_TRUE(store_->delete_model("m").ok());
  EXPECT_TRUE(store_->referenced_digests()->empty());
  ASSERT_TRUE(store_->create_model({"m", "", {}}).ok());
  EXPECT_EQ(add_version("m", "d1").version, 1);  // a new model starts over
}

TEST_F(SqliteStoreTest, ConcurrentEvaluationsOfOneVersionAllLand) {
  ASSERT_TRUE(store_->create_model({"m", "", {}}).ok());
  add_version("m", "d1");
  VersionPatch patch;
  patch.metrics = nlohmann::json{{"train:auc", 0.9}};
  patch.lineage = nlohmann::json{{"recipe", {{"label", "y"}}}};
  ASSERT_TRUE(store_->update_version("m", 1, patch).ok());
  constexpr int kThreads = 8;
  constexpr int kEach = 10;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string id = "job-" + std::to_string(t) + "-" + std::to_string(i);
        Evaluation e{id, {{"rows", i}}, {{"holdout:" + id, i}}};
        EXPECT_TRUE(store_->add_evaluation("m", 1, e).ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  auto v = store_->get_version("m", 1);
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->lineage["evaluations"].size(), size_t{kThreads * kEach});
  std::set<std::string> ids;
  for (const auto& e : v->lineage["evaluations"]) ids.insert(e["job_id"].get<std::string>());
  EXPECT_EQ(ids.size(), size_t{kThreads * kEach});
  EXPECT_EQ(v->metrics.size(), size_t{kThreads * kEach + 1});
  EXPECT_EQ(v->metrics["train:auc"], 0.9);  // what was there stays
  EXPECT_EQ(v->lineage["recipe"]["label"], "y");
}

TEST_F(SqliteStoreTest, AnEvaluationIsStoredOncePerJob) {
  ASSERT_TRUE(store_->create_model({"m", "", {}}).ok());
  add_version("m", "d1");
  ASSERT_TRUE(store_->add_evaluation("m", 1, {"job-1", {{"rows", 5}}, {{"holdout:auc", 0.8}}}).ok());
  auto again = store_->add_evaluation("m", 1, {"job-1", {{"rows", 6}}, {{"holdout:auc", 0.1}}});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->lineage["evaluations"].size(), 1u);
  EXPECT_EQ(again->lineage["evaluations"][0]["rows"], 5);
  EXPECT_EQ(again->metrics["holdout:auc"], 0.8);
  EXPECT_EQ(store_->add_evaluation("m", 2, {"job-2", {}, {}}).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace maas::store
