#include "logs/query.h"

#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "logs/segment/segment_store.h"
#include "test_dir.h"

namespace maas::logs {
namespace {
namespace fs = std::filesystem;

constexpr int64_t kSecond = 1'000'000'000;

class QueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fresh_test_dir("maas-query-test");
    SegmentStoreOptions o;
    o.dir = dir_ / "s";
    o.archive_dir = dir_ / "a";
    o.fsync = false;
    auto opened = SegmentStore::open(o);
    ASSERT_TRUE(opened.ok());
    store_ = std::move(*opened);
    // Two streams, one entry a second for 100 s; every 10th line is an error with status 500.
    for (const char* app : {"api", "web"}) {
      StreamBatch b{*LabelSet::make({{"app", app}, {"env", "prod"}}), {}};
      for (int i = 0; i < 100; ++i) {
        bool error = i % 10 == 0;
        b.entries.push_back({i * kSecond, std::string(R"({"level":")") + (error ? "error" : "info") +
                                              R"(","status":)" + (error ? "500" : "200") + R"(,"i":)" +
                                              std::to_string(i) + "}"});
      }
      ASSERT_TRUE(store_->append({b}).ok());
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  QueryResult run(const std::string& text, QueryParams p) {
    auto q = parse_logql(text);
    EXPECT_TRUE(q.ok()) << q.status().message();
    auto r = run_query(*store_, *q, p);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(*r) : QueryResult{};
  }

  fs::path dir_;
  std::unique_ptr<SegmentStore> store_;
};

QueryParams range(int64_t start_s, int64_t end_s, size_t limit = 1000) {
  QueryParams p;
  p.start_ns = start_s * kSecond;
  p.end_ns = end_s * kSecond;
  p.limit = limit;
  return p;
}

TEST_F(QueryTest, LineFilterAndLimitNewestFirst) {
  auto r = run(R"({app="api"} |= "error")", range(0, 99, 3));
  ASSERT_EQ(r.streams.size(), 1u);
  const auto& e = r.streams[0].entries;
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0].first, 90 * kSecond);
  EXPECT_EQ(e[2].first, 70 * kSecond);
}

TEST_F(QueryTest, ForwardDirectionStartsAtTheOldest) {
  QueryParams p = range(0, 99, 2);
  p.direction = Direction::kForward;
  auto r = run(R"({env="prod"} != "info")", p);
  size_t total = 0;
  for (const auto& s : r.streams) {
    total += s.entries.size();
    for (const auto& [ts, line] : s.entries) EXPECT_EQ(ts, 0);
  }
  EXPECT_EQ(total, 2u);
}

TEST_F(QueryTest, JsonFieldFilters) {
  auto r = run(R"({app=~"api|web"} | json | status >= 500 | i < 30)", range(0, 99));
  size_t total = 0;
  for (const auto& s : r.streams) total += s.entries.size();
  EXPECT_EQ(total, 6u);  // i = 0, 10, 20 in both streams
  auto equal = run(R"({app="api"} | json | status == 500 | i != 0)", range(0, 99));
  ASSERT_EQ(equal.streams.size(), 1u);
  EXPECT_EQ(equal.streams[0].entries.size(), 9u);
  auto regex = run(R"({app="web"} |~ "\"i\":9[0-9]" | json | level!="error")", range(0, 99));
  ASSERT_EQ(regex.streams.size(), 1u);
  EXPECT_EQ(regex.streams[0].entries.size(), 9u);
}

TEST_F(QueryTest, TimeRangeIsInclusiveOfEnd) {
  auto r = run(R"({app="api"})", range(10, 12));
  ASSERT_EQ(r.streams.size(), 1u);
  EXPECT_EQ(r.streams[0].entries.size(), 3u);
}

TEST_F(QueryTest, CountOverTimeSumByJsonField) {
  QueryParams p = range(10, 99);
  p.step_ns = 10 * kSecond;
  auto r = run(R"(sum by (level) (count_over_time({env="prod"} | json [10s])))", p);
  ASSERT_TRUE(r.is_metric);
  ASSERT_EQ(r.series.size(), 2u);
  for (const auto& s : r.series) {
    ASSERT_EQ(s.metric.size(), 1u);
    // Each 10 s window (t-10, t] holds one error line and nine info lines per stream.
    double want = s.metric[0].second == "error" ? 2 : 18;
    ASSERT_EQ(s.points.size(), 9u);
    for (const auto& [t, v] : s.points) EXPECT_EQ(v, want) << t;
  }
}

TEST_F(QueryTest, RatePerStream) {
  QueryParams p = range(99, 99);  // an instant query at t = 99 s
  auto r = run(R"(rate({app="api"} |= "error" [50s]))", p);
  ASSERT_EQ(r.series.size(), 1u);
  ASSERT_EQ(r.series[0].points.size(), 1u);
  EXPECT_DOUBLE_EQ(r.series[0].points[0].second, 5.0 / 50.0);  // errors at 50, 60, 70, 80, 90
}

TEST_F(QueryTest, RejectsBadParameters) {
  auto q = parse_logql(R"({app="api"})");
  QueryParams p = range(10, 5);
  EXPECT_EQ(run_query(*store_, *q, p).status().code(), StatusCode::kInvalidArgument);
  p = range(0, 10, 0);
  EXPECT_EQ(run_query(*store_, *q, p).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace maas::logs
