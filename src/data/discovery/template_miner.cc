#include "data/discovery/template_miner.h"

#include <algorithm>
#include <map>

namespace maas::data::discovery {

TemplateMiner::TemplateMiner(MinerOptions options) : options_(options), table_(options.table) {
  if (options_.header_sample_lines == 0) header_learned_ = true;
}

uint32_t TemplateMiner::add(std::string_view line) {
  uint64_t seq = seq_++;
  ++stats_.lines;
  if (!header_learned_) {
    pending_.emplace_back(line);
    if (pending_.size() < options_.header_sample_lines) return kPending;
    flush();
    return resolve(last_id_);
  }
  return mine(line, seq);
}

void TemplateMiner::flush() {
  if (header_learned_) return;
  std::vector<std::string_view> sample(pending_.begin(), pending_.end());
  table_.set_header(HeaderModel::learn(sample));
  header_learned_ = true;
  uint64_t seq = seq_ - pending_.size();
  for (const std::string& line : pending_) mine(line, seq++);
  pending_.clear();
  pending_.shrink_to_fit();
}

uint32_t TemplateMiner::mine(std::string_view line, uint64_t seq) {
  uint32_t index = table_.add(line, seq);
  Cluster& c = table_[index];
  if (c.count == 1) {
    c.template_id = next_id_++;
    live_ids_.insert(c.template_id);
    ++new_clusters_;
  }
  uint32_t id = c.template_id;
  last_id_ = id;
  bool over = table_.live() > options_.max_clusters || table_.memory_bytes() > options_.max_memory_bytes;
  if ((options_.refine_every > 0 && new_clusters_ >= options_.refine_every) || over) {
    refine();
    if (table_.live() > options_.max_clusters || table_.memory_bytes() > options_.max_memory_bytes) evict();
  }
  return resolve(id);
}

void TemplateMiner::refine() {
  ++stats_.refinements;
  new_clusters_ = 0;
  std::vector<uint32_t> indices;
  std::vector<GroupingInput> input = table_.grouping_input(&indices);
  Grouping grouping = group_clusters(input, options_.grouping);
  std::vector<GroupingInput>().swap(input);  // the spans point into clusters that collapse() changes

  std::unordered_map<uint32_t, bool> claimed;
  for (const auto& leaves : grouping.templates) {
    // The surviving id: the one with the most lines among the template's clusters, not claimed by another.
    std::map<uint32_t, uint64_t> lines_by_id;
    for (uint32_t l : leaves)
      for (uint32_t m : grouping.leaves[l].members) lines_by_id[table_[indices[m]].template_id] += table_[indices[m]].count;
    uint32_t chosen = kUnknown;
    uint64_t best = 0;
    for (auto [id, lines] : lines_by_id)
      if (!claimed.count(id) && (chosen == kUnknown || lines > best)) chosen = id, best = lines;
    if (chosen == kUnknown) chosen = next_id_++;
    claimed[chosen] = true;
    for (auto [id, lines] : lines_by_id)
      if (id != chosen && !claimed.count(id)) alias(id, chosen);
    for (uint32_t l : leaves) {
      const Leaf& leaf = grouping.leaves[l];
      std::vector<uint32_t> members;
      uint32_t keep = indices[leaf.members[0]];
      for (uint32_t m : leaf.members) {
        members.push_back(indices[m]);
        table_[indices[m]].template_id = chosen;
        if (table_[indices[m]].count > table_[keep].count) keep = indices[m];
      }
      if (!leaf.variables.empty() && members.size() > 1) table_.collapse(keep, members, leaf.variables);
    }
  }
  live_ids_.clear();
  for (uint32_t i = 0; i < table_.size(); ++i)
    if (table_[i].alive) live_ids_.insert(table_[i].template_id);
}

void TemplateMiner::evict() {
  std::vector<uint32_t> order;
  for (uint32_t i = 0; i < table_.size(); ++i)
    if (table_[i].alive) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return table_[a].last_seen < table_[b].last_seen; });
  size_t target_clusters = options_.max_clusters * 9 / 10;
  size_t target_memory = options_.max_memory_bytes * 9 / 10;
  for (uint32_t i : order) {
    if (table_.live() <= target_clusters && table_.memory_bytes() <= target_memory) break;
    table_.remove(i);
    ++stats_.evicted_clusters;
  }
  table_.rebuild_masks();
  live_ids_.clear();
  for (uint32_t i = 0; i < table_.size(); ++i)
    if (table_[i].alive) live_ids_.insert(table_[i].template_id);
}

void TemplateMiner::alias(uint32_t from, uint32_t to) {
  if (aliases_.emplace(from, to).second) alias_order_.push_back(from);
  else aliases_[from] = to;
  while (alias_order_.size() > options_.max_clusters) {
    aliases_.erase(alias_order_.front());
    alias_order_.pop_front();
  }
}

uint32_t TemplateMiner::resolve(uint32_t id) const {
  for (int hops = 0; hops < 64; ++hops) {
    auto it = aliases_.find(id);
    if (it == aliases_.end() || it->second == id) break;
    id = it->second;
  }
  return live_ids_.count(id) ? id : kUnknown;
}

uint32_t TemplateMiner::match(std::string_view line) {
  if (!header_learned_) return kUnknown;
  uint32_t index = table_.match(line);
  return index == ClusterTable::kNoCluster ? kUnknown : resolve(table_[index].template_id);
}

std::vector<MinedTemplate> TemplateMiner::templates() {
  flush();
  refine();
  std::map<uint32_t, std::vector<ShapeLeaf>> by_id;
  for (uint32_t i = 0; i < table_.size(); ++i) {
    const Cluster& c = table_[i];
    if (!c.alive) continue;
    ShapeLeaf leaf{{i}, {}};
    for (size_t p = 0; p < c.length(); ++p)
      if (c.flags[p] & kTokenVariable) leaf.variables.push_back(static_cast<uint16_t>(p));
    by_id[c.template_id].push_back(std::move(leaf));
  }
  std::vector<MinedTemplate> out;
  for (auto& [id, leaves] : by_id) {
    MinedTemplate t = make_template(table_, leaves, options_.verify_rules);
    t.id = id;
    out.push_back(std::move(t));
  }
  std::sort(out.begin(), out.end(), [](const MinedTemplate& a, const MinedTemplate& b) { return a.first_seen < b.first_seen; });
  return out;
}

MinerStats TemplateMiner::stats() const {
  MinerStats s = stats_;
  s.clusters = table_.live();
  s.memory_bytes = table_.memory_bytes() + aliases_.size() * 32;
  return s;
}

}  // namespace maas::data::discovery
