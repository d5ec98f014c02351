// The clusters of a stream: lines whose messages have the same token keys, found by the line's signature (the
// sum of its position keys). A cluster keeps one copy of its skeleton, its line count and the types seen in
// each parameter slot; a line adds to counters only. Clusters whose word parameters were collapsed (see
// collapse()) are also found by lines that differ from them only at those positions.
// Thread-safety: not thread-safe; discover() gives each thread its own table and merges them with absorb().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "data/discovery/grouping.h"
#include "data/discovery/header.h"
#include "data/discovery/tokenizer.h"

namespace maas::data::discovery {

struct SlotStats {
  TypeMask types = 0;
  DateFormat format = kNoFormat;
  void add(ValueType type, DateFormat f) {
    types |= type_bit(type);
    if (type == ValueType::kTimestamp) format = format == kNoFormat || format == f ? f : kMixedFormat;
  }
  void merge(const SlotStats& o) {
    types |= o.types;
    if (o.format != kNoFormat) format = format == kNoFormat || format == o.format ? o.format : kMixedFormat;
  }
};

struct Cluster {
  uint64_t signature = 0;
  uint64_t bucket = 0;  // the line's shape: header matched or not, JSON and its closing punctuation
  uint64_t count = 0;
  uint64_t first_seen = 0, last_seen = 0;  // line numbers
  uint32_t template_id = 0;
  uint32_t next = UINT32_MAX;  // the next cluster with the same signature (a hash collision)
  bool alive = true, header = false, json = false, has_variables = false;
  bool raw_bytes = false;  // a line of it was not valid UTF-8
  char delimiter = 0;      // a data row's field delimiter (TokenizedLine::delimiter)
  std::vector<uint64_t> keys;
  std::vector<uint8_t> flags;                  // kToken* per token
  std::vector<Separator> seps;                 // per token
  std::vector<std::string> skeletons;          // per token: text with kSlotMark for each slot
  std::vector<std::string> sep_texts;          // per token: Separator::kText's text
  std::vector<uint16_t> slot_begin;            // per token and one past the end: index into slots
  std::vector<SlotStats> slots;
  std::vector<ContextCount> contexts;          // header field values its lines came with (at most kMaxContexts)
  std::string trailer;                         // JSON: the punctuation after the last token
  std::string sample;                          // the first line, kept when short (rules are checked on it)

  static constexpr size_t kMaxContexts = 16;
  void add_context(uint8_t field, uint64_t value, uint32_t count, bool echoed);
  size_t length() const { return keys.size(); }
  size_t memory_bytes() const;
};

// What position p of a cluster held, as one slot: its slots' types if it is a parameter, "word" if it is text.
SlotStats folded_slots(const Cluster& c, size_t p);

struct ClusterTableOptions {
  uint32_t max_tokens = 256;
  uint32_t max_line_bytes = 64 * 1024;
  uint32_t max_sample_bytes = 4096;
};

class ClusterTable {
 public:
  explicit ClusterTable(ClusterTableOptions options = {});

  void set_header(HeaderModel header) { header_ = std::move(header); }
  const HeaderModel& header() const { return header_; }

  static constexpr uint32_t kNoCluster = UINT32_MAX;

  // Adds line number `seq` to its cluster (made if new); returns the cluster's index.
  uint32_t add(std::string_view line, uint64_t seq);
  // The cluster `line` would be added to, or kNoCluster; changes nothing but scratch buffers.
  uint32_t match(std::string_view line);
  // Moves `other`'s clusters into this table (same header model). Returns, per index of `other`, its index here.
  std::vector<uint32_t> absorb(ClusterTable&& other);
  // Makes the cluster at `keep` the one cluster of `members` (all of one length), with `positions` collapsed to
  // parameters; the other members are removed.
  void collapse(uint32_t keep, const std::vector<uint32_t>& members, const std::vector<uint16_t>& positions);
  void remove(uint32_t index);
  // Forgets the collapsed position sets of removed clusters.
  void rebuild_masks();

  size_t size() const { return clusters_.size(); }  // including removed slots: check alive
  size_t live() const { return live_; }
  Cluster& operator[](uint32_t i) { return clusters_[i]; }
  const Cluster& operator[](uint32_t i) const { return clusters_[i]; }
  size_t memory_bytes() const { return memory_; }
  std::vector<GroupingInput> grouping_input(std::vector<uint32_t>* indices) const;

 private:
  struct Lookup {
    bool header = false;
    uint64_t bucket = 0, signature = 0;
  };
  uint32_t lookup(std::string_view line, Lookup& found);
  uint32_t find(uint64_t signature, uint64_t bucket, const TokenizedLine& line, const std::vector<uint16_t>* mask) const;
  uint32_t create(const TokenizedLine& line, uint64_t signature, uint64_t bucket, bool header, std::string_view raw);
  void count_line(Cluster& c, const TokenizedLine& line);
  void link(uint32_t index);
  void unlink(uint32_t index);
  uint32_t allocate();

  ClusterTableOptions options_;
  Tokenizer tokenizer_;
  HeaderModel header_;
  TokenizedLine scratch_;
  std::vector<HeaderToken> header_tokens_;
  std::vector<Cluster> clusters_;
  std::vector<uint32_t> free_;
  std::unordered_map<uint64_t, uint32_t> index_;  // signature → first cluster
  // (bucket, length) → the position sets collapsed in clusters of that shape, tried when no cluster matches.
  std::unordered_map<uint64_t, std::vector<std::vector<uint16_t>>> masks_;
  size_t live_ = 0;
  size_t memory_ = 0;
};

}  // namespace maas::data::discovery
