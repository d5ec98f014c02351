#include "cli/runtime_output.h"

#include <gtest/gtest.h>

namespace maas::cli {
namespace {

using nlohmann::json;

const json kIndex = json::parse(R"([
  {"name": "iris", "version": "10", "state": "READY"},
  {"name": "cancer", "version": "1", "state": "READY"},
  {"name": "iris", "version": "9", "state": "UNAVAILABLE", "reason": "worker 0 crashed; restarting"},
  {"name": "idle", "version": "3", "state": "UNAVAILABLE", "reason": "unloaded"},
  {"name": "new", "version": "1", "state": "LOADING"}])");

const json kStats = json::parse(R"({"model_stats": [
  {"name": "cancer", "version": "1", "inference_count": 64, "execution_count": 3},
  {"name": "iris", "version": "10", "inference_count": 0},
  {"name": "iris", "version": "9", "inference_count": 5}]})");

TEST(LoadedVersions, ListsLoadedVersionsWithTheirCountsAndMemory) {
  const std::vector<MetricSample> memory = {
      {{{"model", "cancer"}, {"version", "1"}, {"instance", "0"}}, 1024.0 * 1024},
      {{{"model", "cancer"}, {"version", "1"}, {"instance", "1"}}, 1024.0 * 1024},
      {{{"model", "iris"}, {"version", "10"}, {"instance", "0"}}, 2048},
      {{{"model", "gone"}, {"version", "1"}, {"instance", "0"}}, 1},
      {{{"instance", "0"}}, 1},
  };
  EXPECT_EQ(loaded_versions(kIndex, kStats, &memory), json::parse(R"([
    {"name": "cancer", "version": "1", "state": "READY", "inference_count": 64, "instances": 2,
     "resident_memory_bytes": 2097152},
    {"name": "iris", "version": "9", "state": "UNAVAILABLE", "reason": "worker 0 crashed; restarting",
     "inference_count": 5, "instances": 0, "resident_memory_bytes": 0},
    {"name": "iris", "version": "10", "state": "READY", "inference_count": 0, "instances": 1,
     "resident_memory_bytes": 2048},
    {"name": "new", "version": "1", "state": "LOADING", "instances": 0, "resident_memory_bytes": 0}])"));
}

TEST(LoadedVersions, LeavesMemoryOutWithoutMetricsAndToleratesOddShapes) {
  const json versions = loaded_versions(kIndex, json::object(), nullptr);
  ASSERT_EQ(versions.size(), 4u);
  EXPECT_EQ(versions[0], json::parse(R"({"name": "cancer", "version": "1", "state": "READY"})"));
  EXPECT_EQ(loaded_versions(json::object(), json::array(), nullptr), json::array());
  EXPECT_EQ(loaded_versions(json::parse(R"([1, {"name": "x", "version": 2, "state": "READY"}])"), json(), nullptr),
            json::parse(R"([{"name": "x", "version": "2", "state": "READY"}])"));
}

TEST(RenderLoadedVersionsTable, ShowsStateReasonWorkersMemoryAndInferences) {
  const std::vector<MetricSample> memory = {{{{"model", "cancer"}, {"version", "1"}, {"instance", "0"}}, 1536}};
  EXPECT_EQ(render_loaded_versions_table(loaded_versions(kIndex, kStats, &memory)),
            "MODEL   VERSION  STATE        REASON                        INSTANCES  MEMORY   INFERENCES\n"
            "cancer  1        READY        -                             1          1.5 KiB  64\n"
            "iris    9        UNAVAILABLE  worker 0 crashed; restarting  0          0 B      5\n"
            "iris    10       READY        -                             0          0 B      0\n"
            "new     1        LOADING      -                             0          0 B      -\n");
  // Without the metrics, workers and memory are unknown, not zero.
  EXPECT_EQ(render_loaded_versions_table(loaded_versions(json::parse(R"([{"name": "m", "version": "1",
                                                                          "state": "READY"}])"),
                                                         kStats, nullptr)),
            "MODEL  VERSION  STATE  REASON  INSTANCES  MEMORY  INFERENCES\n"
            "m      1        READY  -       -          -       -\n");
}

TEST(RenderLoadResult, ShowsTheVersionStateAndConfig) {
  EXPECT_EQ(render_load_result(json::parse(R"({"name": "cancer", "version": "2", "state": "READY",
                                               "config": {"instances": 2, "warmup": false}})")),
            "MODEL:    cancer\n"
            "VERSION:  2\n"
            "STATE:    READY\n"
            "CONFIG:   instances=2\n"
            "          warmup=false\n");
}

}  // namespace
}  // namespace maas::cli
