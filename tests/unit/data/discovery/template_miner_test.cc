#include "data/discovery/template_miner.h"

#include <gtest/gtest.h>

#include <random>

namespace maas::data::discovery {
namespace {

std::string user(int i) {
  static const char* kNames[] = {"admin", "test", "guest", "oracle", "support", "ftpuser", "pi", "git", "mysql",
                                 "nagios", "ubnt", "backup", "sales", "demo", "info", "user", "web", "root"};
  return kNames[i % 18];
}

MinerOptions small_options() {
  MinerOptions o;
  o.header_sample_lines = 10;
  o.refine_every = 16;
  return o;
}

TEST(TemplateMiner, IdsStayStableAcrossRefinements) {
  TemplateMiner miner(small_options());
  std::vector<uint32_t> invalid, failed;
  for (int i = 0; i < 400; ++i) {
    uint32_t a = miner.add("Invalid user " + user(i * 5) + " from 10.0.0." + std::to_string(i % 200));
    uint32_t b = miner.add("Failed password for " + user(i * 7) + " from 10.0.1." + std::to_string(i % 200) + " port 22 ssh2");
    if (a != TemplateMiner::kPending) invalid.push_back(a);
    if (b != TemplateMiner::kPending) failed.push_back(b);
  }
  auto templates = miner.templates();
  ASSERT_EQ(templates.size(), 2u);
  for (uint32_t id : invalid) EXPECT_EQ(miner.resolve(id), templates[0].id);
  for (uint32_t id : failed) EXPECT_EQ(miner.resolve(id), templates[1].id);
  EXPECT_EQ(templates[0].text, "Invalid user <*> from <*>");
  EXPECT_EQ(templates[0].count + templates[1].count, 800u);
  EXPECT_GT(miner.stats().refinements, 1u);
}

TEST(TemplateMiner, LinesWaitForTheHeaderSample) {
  MinerOptions o;
  o.header_sample_lines = 5;
  TemplateMiner miner(o);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(miner.add("2024-01-01 10:00:0" + std::to_string(i) + " INFO app: started worker " + std::to_string(i)),
              TemplateMiner::kPending);
  EXPECT_NE(miner.add("2024-01-01 10:00:05 INFO app: started worker 5"), TemplateMiner::kPending);
  EXPECT_FALSE(miner.header().empty());
  auto templates = miner.templates();
  ASSERT_EQ(templates.size(), 1u);
  EXPECT_EQ(templates[0].text, "started worker <*>");
  EXPECT_EQ(templates[0].count, 5u);
}

TEST(TemplateMiner, CollapsedTemplatesTakeNewValuesWithoutNewClusters) {
  TemplateMiner miner(small_options());
  for (int i = 0; i < 200; ++i) miner.add("Invalid user " + user(i) + " from 10.0.0.1");
  miner.templates();
  uint64_t clusters = miner.stats().clusters;
  EXPECT_EQ(clusters, 1u);
  uint32_t id = miner.match("Invalid user zz_someone_new from 10.9.9.9");
  EXPECT_NE(id, TemplateMiner::kUnknown);
  miner.add("Invalid user zz_someone_new from 10.9.9.9");
  EXPECT_EQ(miner.stats().clusters, clusters);
  EXPECT_EQ(miner.match("no such line here at all"), TemplateMiner::kUnknown);
}

// Lines that share nothing, 200 times the cluster cap; under AddressSanitizer, where each costs ~18 times as much
// (73 s of the asan suite), 40 times the cap: every slot is still evicted and reused dozens of times.
#if defined(__SANITIZE_ADDRESS__)
constexpr uint64_t kEndlessLines = 20000;
#else
constexpr uint64_t kEndlessLines = 100000;
#endif

TEST(TemplateMiner, MemoryStaysBoundedOnAnEndlessStream) {
  MinerOptions o;
  o.header_sample_lines = 0;
  o.max_clusters = 500;
  o.max_memory_bytes = 512 * 1024;
  o.refine_every = 200;
  o.verify_rules = false;
  TemplateMiner miner(o);
  std::mt19937_64 rng(7);
  auto word = [&] {
    std::string w;
    for (int k = 0; k < 6; ++k) w += static_cast<char>('a' + rng() % 26);
    return w;
  };
  for (uint64_t i = 0; i < kEndlessLines; ++i) {
    // Lines that share nothing: every one is a new cluster, the worst case for memory.
    miner.add(word() + " " + word() + " " + word() + " " + std::string(rng() % 200, 'x'));
    if (i % 1000 == 0) {
      MinerStats s = miner.stats();
      ASSERT_LE(s.clusters, o.max_clusters + 1) << "at line " << i;
      ASSERT_LE(s.memory_bytes, o.max_memory_bytes + o.max_memory_bytes / 5) << "at line " << i;
    }
  }
  MinerStats s = miner.stats();
  EXPECT_GT(s.evicted_clusters, kEndlessLines / 2);
  EXPECT_EQ(s.lines, kEndlessLines);
  // The most recent lines are still known.
  EXPECT_FALSE(miner.templates().empty());
}

TEST(TemplateMiner, EvictedTemplatesResolveToUnknown) {
  MinerOptions o;
  o.header_sample_lines = 0;
  o.max_clusters = 20;
  o.refine_every = 0;
  TemplateMiner miner(o);
  uint32_t first = miner.add("the very first message of the stream");
  EXPECT_EQ(miner.resolve(first), first);
  std::mt19937_64 rng(3);
  for (int i = 0; i < 100; ++i) {
    std::string line;
    for (int w = 0; w <= i % 4; ++w) {
      for (int k = 0; k < 5; ++k) line += static_cast<char>('a' + rng() % 26);
      line += ' ';
    }
    miner.add(line);
  }
  EXPECT_EQ(miner.resolve(first), TemplateMiner::kUnknown);
  EXPECT_EQ(miner.match("the very first message of the stream"), TemplateMiner::kUnknown);
}

}  // namespace
}  // namespace maas::data::discovery
