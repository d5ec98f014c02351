// train.evaluate's on_succeeded on real stores: evaluations of one version that finish at the same time all land
// in its lineage and metrics (a read-then-patch of the whole lineage lost all but one of them).
#include "training/xgboost/evaluate_kind.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_metadata_store.h"

namespace maas::training {
namespace {

TEST(EvaluateKindTest, ConcurrentEvaluationsOfOneVersionAllLand) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "evaluate_kind_concurrent";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto metadata = store::sqlite::SqliteMetadataStore::open(dir / "metadata.db");
  ASSERT_TRUE(metadata.ok()) << metadata.status().to_string();
  auto artifacts = artifacts::ArtifactStore::open(dir / "artifacts", 1 << 20);
  ASSERT_TRUE(artifacts.ok()) << artifacts.status().to_string();
  registry::Registry models(**metadata, **artifacts);
  ASSERT_TRUE((*metadata)->create_model({"m", "", {}}).ok());
  ASSERT_TRUE((*metadata)->create_version("m", {"xgboost", "xgboost-json", "d1", 10, {}, "tester"}).ok());

  constexpr int kThreads = 4;
  constexpr int kEach = 25;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&models, t] {
      for (int i = 0; i < kEach; ++i) {
        jobs::SucceededJob job;
        job.id = "job-" + std::to_string(t) + "-" + std::to_string(i);
        job.params = {{"model", "m"}, {"model_version", 1}, {"dataset", "holdout"}, {"version", 1}};
        job.result = {{"rows", 10}, {"metrics", {{job.id, 0.5}}}};
        EXPECT_TRUE(store_evaluation(models, job).ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  auto v = models.get_version("m", "1");
  ASSERT_TRUE(v.ok()) << v.status().to_string();
  EXPECT_EQ(v->version.lineage["evaluations"].size(), size_t{kThreads * kEach});
  EXPECT_EQ(v->version.metrics.size(), size_t{kThreads * kEach});
  EXPECT_EQ(v->version.metrics["holdout:job-3-24"], 0.5);
  EXPECT_EQ(v->version.lineage["evaluations"][0]["dataset"], "holdout@1");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace maas::training
