#include "features/online/online_store.h"

#include <gtest/gtest.h>

#include <thread>

namespace maas::features::online {
namespace {

std::shared_ptr<const FeatureView> sum_view() {
  auto view = parse_feature_view("v",
                                 {{"entity", "k"},
                                  {"time", "t"},
                                  {"features",
                                   {{{"name", "s"},
                                     {"kind", "rolling"},
                                     {"column", "y"},
                                     {"window", 100},
                                     {"statistic", "sum"},
                                     {"min_periods", 1}}}}},
                                 1000, 0);
  EXPECT_TRUE(view.ok()) << view.status().message();
  return std::make_shared<const FeatureView>(std::move(*view));
}

struct Clock {
  int64_t now = 0;
  std::function<int64_t()> fn() {
    return [this] { return now; };
  }
};

Observation row(const std::string& entity, int64_t t, double y) { return {entity, t, {y}}; }

double observe(OnlineStore& store, const Observation& o) {
  auto out = store.observe("v", std::span<const Observation>(&o, 1));
  EXPECT_TRUE(out.ok()) << out.status().message();
  return out.ok() ? (*out)[0][0] : -1;
}

TEST(OnlineStore, KeepsEachEntitysHistory) {
  Clock clock;
  OnlineStore store({}, clock.fn());
  store.put_view(sum_view());
  EXPECT_EQ(observe(store, row("a", 1, 1)), 1);
  EXPECT_EQ(observe(store, row("b", 1, 10)), 10);
  EXPECT_EQ(observe(store, row("a", 2, 2)), 3);
  auto a = store.entity("v", "a");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->features[0], 3);
  EXPECT_EQ(a->rows, 2);
  EXPECT_EQ(a->last_time_us, 2);
  EXPECT_EQ(store.entities(), 2u);
  EXPECT_GT(store.memory_bytes(), 0u);
}

TEST(OnlineStore, EvictsTheLeastRecentlyUsedEntity) {
  Clock clock;
  OnlineStore store({.max_entities = 2}, clock.fn());
  store.put_view(sum_view());
  observe(store, row("a", 1, 1));
  observe(store, row("b", 1, 1));
  observe(store, row("a", 2, 1));  // b is now the least recently used
  observe(store, row("c", 1, 1));
  EXPECT_EQ(store.entities(), 2u);
  EXPECT_TRUE(store.entity("v", "a").ok());
  EXPECT_EQ(store.entity("v", "b").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store.entity("v", "c").ok());
}

TEST(OnlineStore, RefusesABatchNamingMoreEntitiesThanItKeeps) {
  Clock clock;
  OnlineStore store({.max_entities = 2}, clock.fn());
  store.put_view(sum_view());
  const std::vector<Observation> rows = {row("a", 1, 1), row("b", 1, 1), row("c", 1, 1)};
  auto out = store.observe("v", rows);
  ASSERT_EQ(out.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(out.status().message().find("3 entities"), std::string::npos) << out.status().message();
  EXPECT_EQ(store.entities(), 0u);
}

TEST(OnlineStore, ExpiresIdleEntitiesAndFreesTheirMemory) {
  Clock clock;
  OnlineStore store({.ttl_ms = 1000}, clock.fn());
  store.put_view(sum_view());
  observe(store, row("a", 1, 1));
  clock.now = 600;
  observe(store, row("b", 1, 1));
  clock.now = 1000;
  EXPECT_EQ(store.entity("v", "a").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store.expire(), 1u);
  EXPECT_EQ(store.entities(), 1u);
  // An expired entity starts over: its old rows are forgotten.
  clock.now = 1700;
  EXPECT_EQ(observe(store, row("b", 2, 5)), 5);
  store.remove_view("v");
  EXPECT_EQ(store.memory_bytes(), 0u);
}

TEST(OnlineStore, OutOfOrderRowStopsTheBatchNamingTheEntity) {
  Clock clock;
  OnlineStore store({}, clock.fn());
  store.put_view(sum_view());
  const std::vector<Observation> rows = {row("a", 5, 1), row("b", 1, 1), row("a", 4, 1)};
  auto out = store.observe("v", rows);
  ASSERT_EQ(out.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(out.status().message().find("row 2 (entity 'a')"), std::string::npos) << out.status().message();
  EXPECT_EQ(store.entity("v", "a")->rows, 1);
  EXPECT_EQ(store.observe("w", rows).status().code(), StatusCode::kNotFound);
}

TEST(OnlineStore, ConcurrentEntitiesEachSeeTheirOwnRows) {
  Clock clock;
  OnlineStore store({}, clock.fn());
  store.put_view(sum_view());
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store, t] {
      for (int i = 1; i <= 200; ++i) {
        const Observation o = row("e" + std::to_string(t * 1000 + i % 10), i, 1);
        ASSERT_TRUE(store.observe("v", std::span<const Observation>(&o, 1)).ok());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(store.entities(), 40u);
  EXPECT_EQ(store.entity("v", "e3001")->features[0], 20);
}

}  // namespace
}  // namespace maas::features::online
