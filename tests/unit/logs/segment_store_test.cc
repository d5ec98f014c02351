#include "logs/segment/segment_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include "logs/block_format.h"
#include "test_dir.h"

namespace maas::logs {
namespace {
namespace fs = std::filesystem;

constexpr int64_t kSecond = 1'000'000'000;

class SegmentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fresh_test_dir("maas-segments-test");
    options_.dir = dir_ / "segments";
    options_.archive_dir = dir_ / "archive";
    options_.fsync = false;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<SegmentStore> open() {
    auto store = SegmentStore::open(options_);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(*store) : nullptr;
  }

  fs::path dir_;
  SegmentStoreOptions options_;
};

StreamBatch batch(const std::string& app, int64_t first_ts, int n, const std::string& text = "line") {
  StreamBatch b{*LabelSet::make({{"app", app}}), {}};
  for (int i = 0; i < n; ++i) b.entries.push_back({first_ts + i, text + " " + std::to_string(i)});
  return b;
}

// Collects every entry the store returns, in scan order.
class Collect : public BlockVisitor {
 public:
  bool want(int64_t, int64_t, bool*) override { return true; }
  void entries(const LabelSet& labels, std::string_view raw) override {
    EXPECT_TRUE(for_each_entry(raw, [&](int64_t ts, std::string_view line) {
                  got.emplace_back(std::string(labels.get("app")) + "@" + std::to_string(ts), std::string(line));
                }).ok());
  }
  std::vector<std::pair<std::string, std::string>> got;
};

std::vector<std::pair<std::string, std::string>> scan_all(LogStore& store, bool archive = false) {
  Collect c;
  ScanRequest req{[](const LabelSet&) { return true; }, 0, INT64_MAX, Direction::kForward, archive};
  EXPECT_TRUE(store.scan(req, c).ok());
  return c.got;
}

TEST_F(SegmentStoreTest, AppendsSurviveReopen) {
  {
    auto store = open();
    ASSERT_TRUE(store->append({batch("a", 100, 3), batch("b", 200, 2)}).ok());
    ASSERT_TRUE(store->append({batch("a", 300, 1, "later")}).ok());
  }
  auto store = open();
  auto got = scan_all(*store);
  ASSERT_EQ(got.size(), 6u);
  EXPECT_EQ(got[0], std::make_pair(std::string("a@100"), std::string("line 0")));
  EXPECT_EQ(got.back(), std::make_pair(std::string("a@300"), std::string("later 0")));
  EXPECT_EQ(store->stats().streams, 2u);
  EXPECT_EQ(store->stats().entries, 6u);
}

TEST_F(SegmentStoreTest, LinesWithAnyBytesRoundTrip) {
  auto store = open();
  StreamBatch b{*LabelSet::make({{"app", "x"}}), {{1, "two\nlines"}, {2, ""}, {3, std::string("nul\0byte", 8)}}};
  ASSERT_TRUE(store->append({b}).ok());
  auto got = scan_all(*store);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].second, "two\nlines");
  EXPECT_EQ(got[1].second, "");
  EXPECT_EQ(got[2].second, std::string("nul\0byte", 8));
}

TEST_F(SegmentStoreTest, TornTailIsTruncatedAndCommittedEntriesKept) {
  {
    auto store = open();
    ASSERT_TRUE(store->append({batch("a", 100, 5)}).ok());
  }
  fs::path segment = fs::directory_iterator(options_.dir)->path();
  auto committed = fs::file_size(segment);
  // A second append cut short by a crash: a whole block's header and half of its data frame.
  std::string block;
  auto b = batch("a", 500, 50);
  encode_block(b.labels, b.entries.data(), b.entries.size(), 1, &block);
  {
    std::ofstream out(segment, std::ios::app | std::ios::binary);
    out.write(block.data(), static_cast<std::streamsize>(block.size() - 10));
  }
  auto store = open();
  EXPECT_EQ(scan_all(*store).size(), 5u);
  EXPECT_EQ(fs::file_size(segment), committed);
  // Appends continue after the truncation point.
  ASSERT_TRUE(store->append({batch("a", 600, 2)}).ok());
  store.reset();
  EXPECT_EQ(scan_all(*open()).size(), 7u);
}

TEST_F(SegmentStoreTest, GarbageAfterTheLastBlockIsTruncated) {
  {
    auto store = open();
    ASSERT_TRUE(store->append({batch("a", 100, 2)}).ok());
  }
  fs::path segment = fs::directory_iterator(options_.dir)->path();
  auto committed = fs::file_size(segment);
  {
    std::ofstream out(segment, std::ios::app | std::ios::binary);
    out << "\x5f\x2a\x4d\x18garbage";
  }
  EXPECT_EQ(scan_all(*open()).size(), 2u);
  EXPECT_EQ(fs::file_size(segment), committed);
}

TEST_F(SegmentStoreTest, SegmentsAreValidZstdFiles) {
  auto store = open();
  ASSERT_TRUE(store->append({batch("a", 100, 3)}).ok());
  fs::path segment = fs::directory_iterator(options_.dir)->path();
  std::string cmd = "zstd -dcq " + segment.string() + " 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[256];
  std::string out;
  while (size_t n = fread(buf, 1, sizeof(buf), p)) out.append(buf, n);
  int rc = ::pclose(p);
  if (WEXITSTATUS(rc) == 127) GTEST_SKIP() << "zstd is not installed";
  EXPECT_EQ(out, "100 6 line 0\n101 6 line 1\n102 6 line 2\n");
}

TEST_F(SegmentStoreTest, RetentionArchivesOldSegmentsThatStayReadable) {
  options_.segment_bytes = 1;  // every append opens a new segment
  options_.retention_ms = 3600 * 1000;
  options_.archive_zstd_level = 19;
  const int64_t now = 100'000 * kSecond;
  auto store = open();
  ASSERT_TRUE(store->append({batch("old", now - 7200 * kSecond, 10)}).ok());
  ASSERT_TRUE(store->append({batch("new", now - 10 * kSecond, 10)}).ok());
  ASSERT_TRUE(store->append({batch("newest", now, 1)}).ok());  // the active segment
  auto report = store->enforce_retention(now);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->archived_segments, 1u);
  auto live = scan_all(*store);
  EXPECT_EQ(live.size(), 11u);
  for (const auto& [key, line] : live) EXPECT_EQ(key.rfind("old@", 0), std::string::npos) << key;
  EXPECT_EQ(scan_all(*store, true).size(), 21u);
  EXPECT_EQ(store->stats().archived_segments, 1u);
  // The archive is indexed again after a restart.
  store.reset();
  auto reopened = open();
  EXPECT_EQ(scan_all(*reopened, true).size(), 21u);
  EXPECT_EQ(scan_all(*reopened).size(), 11u);
}

TEST_F(SegmentStoreTest, SizeRetentionDropsOldestWithoutArchive) {
  options_.segment_bytes = 1;
  options_.retention_ms = 0;
  options_.retention_bytes = 1;  // only the active segment may stay
  options_.archive = false;
  auto store = open();
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(store->append({batch("a", i * 100, 5)}).ok());
  auto report = store->enforce_retention(1000 * kSecond);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->deleted_segments, 3u);
  EXPECT_EQ(scan_all(*store, true).size(), 5u);
}

TEST_F(SegmentStoreTest, StreamLimitIsEnforced) {
  options_.max_streams = 2;
  auto store = open();
  ASSERT_TRUE(store->append({batch("a", 1, 1), batch("b", 1, 1)}).ok());
  auto s = store->append({batch("c", 1, 1)});
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(store->append({batch("a", 2, 1)}).ok());
}

TEST_F(SegmentStoreTest, BackwardScanOrdersBlocksNewestFirst) {
  auto store = open();
  ASSERT_TRUE(store->append({batch("a", 100, 1)}).ok());
  ASSERT_TRUE(store->append({batch("a", 300, 1)}).ok());
  ASSERT_TRUE(store->append({batch("a", 200, 1)}).ok());
  Collect c;
  ScanRequest req{[](const LabelSet&) { return true; }, 0, INT64_MAX, Direction::kBackward, false};
  ASSERT_TRUE(store->scan(req, c).ok());
  ASSERT_EQ(c.got.size(), 3u);
  EXPECT_EQ(c.got[0].first, "a@300");
  EXPECT_EQ(c.got[2].first, "a@100");
}

}  // namespace
}  // namespace maas::logs
