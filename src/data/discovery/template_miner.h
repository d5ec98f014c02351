// The online miner: lines are fed one by one, templates are asked for at any time, memory stays bounded.
//
//   TemplateMiner miner;
//   for (auto line : stream) miner.add(line);     // the line's template id (kPending while the header is learned)
//   for (const MinedTemplate& t : miner.templates()) use(t.id, t.text, t.rule);
//
// How: the first `header_sample_lines` lines teach the header's shape (they wait, then are mined). Each line
// then lands in its cluster (same token keys), found by hash. Every `refine_every` new clusters (and when asked
// for templates) the clusters are grouped into templates (grouping.h) and each template's clusters are
// collapsed into one whose word parameters are wildcards: a template costs one cluster however many user
// names it sees, and lines with new values find it without creating clusters.
// Bounds: at most `max_clusters` clusters and about `max_memory_bytes` of cluster state (skeletons, counts,
// slot types, one sample line each). Past either, after a refinement, the least recently seen clusters are
// evicted until both are under 90%; a template whose clusters are all evicted is forgotten (its id resolves
// to kUnknown) and comes back under a new id if its lines do. Template ids are stable: when refinement merges
// templates, the merged ids resolve to the surviving one (resolve(); the last max_clusters merges are kept).
// Thread-safety: not thread-safe; one miner per stream, or a lock around it.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "data/discovery/cluster_table.h"
#include "data/discovery/grouping.h"
#include "data/discovery/template_builder.h"

namespace maas::data::discovery {

struct MinerOptions {
  ClusterTableOptions table;
  GroupingOptions grouping;
  size_t header_sample_lines = 100;
  size_t max_clusters = 20000;
  size_t max_memory_bytes = 64u << 20;
  size_t refine_every = 2000;  // new clusters between refinements; 0: only when templates() is called
  bool verify_rules = true;
};

struct MinerStats {
  uint64_t lines = 0;
  uint64_t clusters = 0;          // live now
  uint64_t memory_bytes = 0;      // the clusters' estimate
  uint64_t refinements = 0;
  uint64_t evicted_clusters = 0;
};

class TemplateMiner {
 public:
  static constexpr uint32_t kPending = UINT32_MAX;      // add(): the line waits for the header sample
  static constexpr uint32_t kUnknown = UINT32_MAX - 1;  // resolve(): the template was evicted

  explicit TemplateMiner(MinerOptions options = {});

  uint32_t add(std::string_view line);
  // Mines the lines waiting for the header sample (learning the header from them).
  void flush();
  // Groups the clusters into templates now.
  void refine();
  // The current templates (after flush() and refine()), in first-seen order.
  std::vector<MinedTemplate> templates();
  // The id a template id now goes by (itself unless merged), or kUnknown.
  uint32_t resolve(uint32_t id) const;
  // The template `line` belongs to, without adding it (kUnknown for a line unlike any seen, or while the header
  // sample is still filling).
  uint32_t match(std::string_view line);
  MinerStats stats() const;
  const HeaderModel& header() const { return table_.header(); }

 private:
  uint32_t mine(std::string_view line, uint64_t seq);
  void evict();
  void alias(uint32_t from, uint32_t to);

  MinerOptions options_;
  ClusterTable table_;
  std::vector<std::string> pending_;
  bool header_learned_ = false;
  uint64_t seq_ = 0;
  uint32_t next_id_ = 0;
  uint32_t last_id_ = kUnknown;  // the template of the line mined last
  size_t new_clusters_ = 0;
  std::unordered_map<uint32_t, uint32_t> aliases_;
  std::deque<uint32_t> alias_order_;
  std::unordered_set<uint32_t> live_ids_;  // template ids that have a cluster (rebuilt by refine)
  MinerStats stats_;
};

}  // namespace maas::data::discovery
