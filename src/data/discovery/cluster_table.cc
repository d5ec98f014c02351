#include "data/discovery/cluster_table.h"

#include <algorithm>

namespace maas::data::discovery {
namespace {

constexpr uint32_t kNone = UINT32_MAX;

uint64_t bucket_of(bool header, const TokenizedLine& line) {
  uint64_t delimiter = static_cast<unsigned char>(line.delimiter);
  return mix64((header ? 1u : 0u) | (line.json ? 2u : 0u) | delimiter << 8) ^ Tokenizer::trailer_key(line);
}

uint64_t length_salt(uint64_t bucket, size_t length) { return mix64(bucket ^ mix64(length * 0x9e3779b97f4a7c15ULL)); }

uint64_t signature_of(uint64_t bucket, const TokenizedLine& line) {
  uint64_t s = length_salt(bucket, line.tokens.size());
  for (size_t p = 0; p < line.tokens.size(); ++p) s += position_key(p, line.tokens[p].key);
  return s;
}

uint64_t collapsed_key(const TokenizedLine& line, size_t p) {
  const Token& t = line.tokens[p];
  return parameter_key(t.sep, line.message.substr(t.sep_begin, t.sep_end - t.sep_begin));
}

size_t string_bytes(const std::string& s) { return sizeof(std::string) + (s.capacity() > 15 ? s.capacity() : 0); }

// A name in lower case (yarn, formmail.pl), not an event or a state in capitals (SCREEN_ON, of
// android.intent.action.SCREEN_ON: the last part of a dotted or slashed name says).
bool has_lower(std::string_view s) {
  size_t last = s.find_last_of("./");
  if (last != std::string_view::npos && last + 1 < s.size()) s = s.substr(last + 1);
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

}  // namespace

SlotStats folded_slots(const Cluster& c, size_t p) {
  SlotStats s;
  bool parameter = c.flags[p] & (kTokenParam | kTokenVariable);
  if (parameter)
    for (size_t i = c.slot_begin[p]; i < c.slot_begin[p + 1]; ++i) s.merge(c.slots[i]);
  if (!parameter || s.types == 0) s.types |= type_bit(ValueType::kWord);
  return s;
}

void Cluster::add_context(uint8_t field, uint64_t value, uint32_t n, bool echoed) {
  for (ContextCount& c : contexts) {
    if (c.field == field && c.value == value) {
      c.count += n;
      c.echoed = c.echoed || echoed;
      return;
    }
  }
  if (contexts.size() < kMaxContexts) contexts.push_back({field, echoed, value, n});
}

size_t Cluster::memory_bytes() const {
  size_t bytes = sizeof(Cluster) + keys.capacity() * 8 + flags.capacity() + seps.capacity() +
                 slot_begin.capacity() * 2 + slots.capacity() * sizeof(SlotStats) +
                 contexts.capacity() * sizeof(ContextCount) + string_bytes(trailer) +
                 string_bytes(sample) + 48;  // + the index entry
  for (const auto& s : skeletons) bytes += string_bytes(s);
  for (const auto& s : sep_texts) bytes += string_bytes(s);
  return bytes;
}

ClusterTable::ClusterTable(ClusterTableOptions options)
    : options_(options), tokenizer_(options.max_tokens, options.max_line_bytes) {}

uint32_t ClusterTable::lookup(std::string_view line, Lookup& found) {
  size_t start = header_.empty() ? 0 : header_.message_start(line, &header_tokens_);
  found.header = start > 0;
  tokenizer_.tokenize(line.substr(start), scratch_);
  found.bucket = bucket_of(found.header, scratch_);
  found.signature = signature_of(found.bucket, scratch_);
  uint32_t index = find(found.signature, found.bucket, scratch_, nullptr);
  if (index == kNone && !masks_.empty()) {
    auto it = masks_.find(length_salt(found.bucket, scratch_.tokens.size()));
    if (it != masks_.end()) {
      for (const auto& mask : it->second) {
        uint64_t s = found.signature;
        for (uint16_t p : mask)
          s += position_key(p, collapsed_key(scratch_, p)) - position_key(p, scratch_.tokens[p].key);
        if ((index = find(s, found.bucket, scratch_, &mask)) != kNone) break;
      }
    }
  }
  return index;
}

uint32_t ClusterTable::match(std::string_view line) {
  Lookup found;
  return lookup(line, found);
}

uint32_t ClusterTable::add(std::string_view line, uint64_t seq) {
  Lookup found;
  uint32_t index = lookup(line, found);
  if (index == kNone) {
    index = create(scratch_, found.signature, found.bucket, found.header, line);
    clusters_[index].first_seen = seq;
  }
  Cluster& c = clusters_[index];
  ++c.count;
  c.last_seen = seq;
  count_line(c, scratch_);
  if (!c.raw_bytes && !is_utf8(line)) c.raw_bytes = true;
  if (found.header) {
    std::string_view message = scratch_.message;
    for (uint8_t f : header_.context_fields()) {
      const HeaderToken& t = header_tokens_[f];
      std::string_view text = line.substr(t.begin, t.end - t.begin);
      bool echoed = text.size() >= 3 && message.find(text) != std::string_view::npos;
      c.add_context(f, Tokenizer::word_key(text), 1, echoed);
    }
  }
  return index;
}

uint32_t ClusterTable::find(uint64_t signature, uint64_t bucket, const TokenizedLine& line,
                            const std::vector<uint16_t>* mask) const {
  auto it = index_.find(signature);
  if (it == index_.end()) return kNone;
  for (uint32_t i = it->second; i != kNone; i = clusters_[i].next) {
    const Cluster& c = clusters_[i];
    if (c.bucket != bucket || c.keys.size() != line.tokens.size()) continue;
    bool same = true;
    size_t m = 0;
    for (size_t p = 0; p < c.keys.size() && same; ++p) {
      if (mask && m < mask->size() && (*mask)[m] == p) {
        ++m;
        same = (c.flags[p] & kTokenVariable) != 0;
      } else {
        same = c.keys[p] == line.tokens[p].key;
      }
    }
    if (same) return i;
  }
  return kNone;
}

uint32_t ClusterTable::allocate() {
  ++live_;
  if (!free_.empty()) {
    uint32_t i = free_.back();
    free_.pop_back();
    clusters_[i] = Cluster{};
    return i;
  }
  clusters_.emplace_back();
  return static_cast<uint32_t>(clusters_.size() - 1);
}

uint32_t ClusterTable::create(const TokenizedLine& line, uint64_t signature, uint64_t bucket, bool header,
                              std::string_view raw) {
  uint32_t index = allocate();
  Cluster& c = clusters_[index];
  size_t n = line.tokens.size();
  c.signature = signature;
  c.bucket = bucket;
  c.header = header;
  c.json = line.json;
  c.delimiter = line.delimiter;
  c.keys.resize(n);
  c.flags.resize(n);
  c.seps.resize(n);
  c.skeletons.resize(n);
  c.sep_texts.resize(n);
  c.slot_begin.resize(n + 1);
  for (size_t p = 0; p < n; ++p) {
    const Token& t = line.tokens[p];
    c.keys[p] = t.key;
    c.flags[p] = (t.param ? kTokenParam : 0) | (t.begin == t.end && !t.rest ? kTokenEmpty : 0) |
                 (t.merged ? kTokenMerged : 0) | (t.value ? kTokenValue : 0) | (t.numbered ? kTokenNumbered : 0);
    c.seps[p] = t.sep;
    Tokenizer::append_skeleton(line, p, c.skeletons[p]);
    bool letter = false;
    for (char ch : c.skeletons[p]) letter = letter || is_alpha(ch);
    if (!letter) c.flags[p] |= kTokenWordless;
    if (p > 0 && letter && c.skeletons[p - 1].size() > 1 && c.skeletons[p - 1].back() == ':' &&
        !(c.flags[p - 1] & kTokenWordless) && has_lower(c.skeletons[p]))
      c.flags[p] |= kTokenLabelled;
    c.sep_texts[p] = Tokenizer::separator_text(line, p);
    c.slot_begin[p] = t.slot_begin;
  }
  c.slot_begin[n] = static_cast<uint16_t>(line.slots.size());
  c.slots.resize(line.slots.size());
  c.trailer = Tokenizer::trailer_text(line);
  if (raw.size() <= options_.max_sample_bytes) c.sample = std::string(raw);
  link(index);
  memory_ += c.memory_bytes();
  return index;
}

void ClusterTable::count_line(Cluster& c, const TokenizedLine& line) {
  if (!c.has_variables) {
    if (c.slots.size() != line.slots.size()) return;  // a signature collision that survived the key check
    for (size_t s = 0; s < c.slots.size(); ++s) c.slots[s].add(line.slots[s].type, line.slots[s].format);
    return;
  }
  for (size_t p = 0; p < c.keys.size(); ++p) {
    const Token& t = line.tokens[p];
    size_t begin = c.slot_begin[p], count = c.slot_begin[p + 1] - begin;
    if (c.flags[p] & kTokenVariable) {
      SlotStats& s = c.slots[begin];
      if (t.param) {
        for (size_t k = 0; k < t.slot_count; ++k) s.add(line.slots[t.slot_begin + k].type, line.slots[t.slot_begin + k].format);
      } else {
        s.types |= type_bit(ValueType::kWord);
      }
      if (t.begin == t.end) c.flags[p] |= kTokenEmpty;
      if (t.merged) c.flags[p] |= kTokenMerged;
    } else if (count == t.slot_count) {
      for (size_t k = 0; k < count; ++k) c.slots[begin + k].add(line.slots[t.slot_begin + k].type, line.slots[t.slot_begin + k].format);
    }
  }
}

void ClusterTable::link(uint32_t index) {
  auto [it, inserted] = index_.try_emplace(clusters_[index].signature, index);
  if (!inserted) {
    clusters_[index].next = it->second;
    it->second = index;
  }
}

void ClusterTable::unlink(uint32_t index) {
  auto it = index_.find(clusters_[index].signature);
  if (it == index_.end()) return;
  if (it->second == index) {
    if (clusters_[index].next == kNone) index_.erase(it);
    else it->second = clusters_[index].next;
  } else {
    for (uint32_t i = it->second; i != kNone; i = clusters_[i].next) {
      if (clusters_[i].next == index) {
        clusters_[i].next = clusters_[index].next;
        break;
      }
    }
  }
  clusters_[index].next = kNone;
}

void ClusterTable::remove(uint32_t index) {
  Cluster& c = clusters_[index];
  if (!c.alive) return;
  unlink(index);
  memory_ -= std::min(memory_, c.memory_bytes());
  c = Cluster{};
  c.alive = false;
  free_.push_back(index);
  --live_;
}

std::vector<uint32_t> ClusterTable::absorb(ClusterTable&& other) {
  std::vector<uint32_t> mapping(other.clusters_.size(), kNone);
  for (uint32_t j = 0; j < other.clusters_.size(); ++j) {
    Cluster& o = other.clusters_[j];
    if (!o.alive) continue;
    uint32_t found = kNone;
    if (auto it = index_.find(o.signature); it != index_.end()) {
      for (uint32_t i = it->second; i != kNone && found == kNone; i = clusters_[i].next) {
        const Cluster& c = clusters_[i];
        if (c.bucket == o.bucket && c.keys == o.keys && c.flags.size() == o.flags.size()) found = i;
      }
    }
    if (found != kNone) {
      Cluster& c = clusters_[found];
      c.count += o.count;
      c.first_seen = std::min(c.first_seen, o.first_seen);
      c.last_seen = std::max(c.last_seen, o.last_seen);
      if (c.slots.size() == o.slots.size())
        for (size_t s = 0; s < c.slots.size(); ++s) c.slots[s].merge(o.slots[s]);
      for (size_t p = 0; p < c.flags.size(); ++p) c.flags[p] |= o.flags[p] & (kTokenEmpty | kTokenMerged);
      c.raw_bytes = c.raw_bytes || o.raw_bytes;
      for (const ContextCount& x : o.contexts) c.add_context(x.field, x.value, x.count, x.echoed);
    } else {
      found = allocate();
      clusters_[found] = std::move(o);
      clusters_[found].next = kNone;
      link(found);
      memory_ += clusters_[found].memory_bytes();
    }
    mapping[j] = found;
  }
  other = ClusterTable(other.options_);
  return mapping;
}

void ClusterTable::collapse(uint32_t keep, const std::vector<uint32_t>& members, const std::vector<uint16_t>& positions) {
  Cluster& k = clusters_[keep];
  size_t n = k.keys.size();
  std::vector<bool> variable(n, false);
  for (uint16_t p : positions) variable[p] = true;
  for (size_t p = 0; p < n; ++p) variable[p] = variable[p] || (k.flags[p] & kTokenVariable);

  std::vector<SlotStats> slots;
  std::vector<uint16_t> slot_begin(n + 1);
  for (size_t p = 0; p < n; ++p) {
    slot_begin[p] = static_cast<uint16_t>(slots.size());
    if (variable[p]) {
      SlotStats s;
      uint8_t empty = 0;
      for (uint32_t m : members) {
        s.merge(folded_slots(clusters_[m], p));
        empty |= clusters_[m].flags[p] & (kTokenEmpty | kTokenMerged);
      }
      slots.push_back(s);
      k.flags[p] = static_cast<uint8_t>(kTokenVariable | empty | (k.flags[p] & kTokenValue));
      k.skeletons[p] = std::string(1, kSlotMark);
      k.keys[p] = parameter_key(k.seps[p], k.sep_texts[p]);
      continue;
    }
    for (size_t i = k.slot_begin[p]; i < k.slot_begin[p + 1]; ++i) {
      SlotStats s = k.slots[i];
      for (uint32_t m : members) {
        const Cluster& c = clusters_[m];
        size_t offset = i - k.slot_begin[p];
        if (m != keep && c.slot_begin[p] + offset < c.slot_begin[p + 1]) s.merge(c.slots[c.slot_begin[p] + offset]);
      }
      slots.push_back(s);
    }
  }
  slot_begin[n] = static_cast<uint16_t>(slots.size());
  memory_ -= std::min(memory_, k.memory_bytes());
  unlink(keep);
  for (uint32_t m : members) {
    if (m == keep) continue;
    k.count += clusters_[m].count;
    k.raw_bytes = k.raw_bytes || clusters_[m].raw_bytes;
    for (const ContextCount& x : clusters_[m].contexts) k.add_context(x.field, x.value, x.count, x.echoed);
    k.first_seen = std::min(k.first_seen, clusters_[m].first_seen);
    k.last_seen = std::max(k.last_seen, clusters_[m].last_seen);
    remove(m);
  }
  k.slots = std::move(slots);
  k.slot_begin = std::move(slot_begin);
  k.has_variables = true;
  k.signature = length_salt(k.bucket, n);
  for (size_t p = 0; p < n; ++p) k.signature += position_key(p, k.keys[p]);
  link(keep);
  memory_ += k.memory_bytes();

  std::vector<uint16_t> mask;
  for (size_t p = 0; p < n; ++p)
    if (k.flags[p] & kTokenVariable) mask.push_back(static_cast<uint16_t>(p));
  auto& masks = masks_[length_salt(k.bucket, n)];
  if (std::find(masks.begin(), masks.end(), mask) == masks.end()) masks.push_back(std::move(mask));
}

std::vector<GroupingInput> ClusterTable::grouping_input(std::vector<uint32_t>* indices) const {
  indices->clear();
  for (uint32_t i = 0; i < clusters_.size(); ++i)
    if (clusters_[i].alive) indices->push_back(i);
  // In first-seen order: grouping is deterministic in its input's order.
  std::stable_sort(indices->begin(), indices->end(),
                   [&](uint32_t a, uint32_t b) { return clusters_[a].first_seen < clusters_[b].first_seen; });
  std::vector<GroupingInput> in;
  in.reserve(indices->size());
  for (uint32_t i : *indices)
    in.push_back({clusters_[i].keys, clusters_[i].flags, clusters_[i].count, clusters_[i].bucket, clusters_[i].contexts});
  return in;
}

void ClusterTable::rebuild_masks() {
  masks_.clear();
  for (const Cluster& k : clusters_) {
    if (!k.alive || !k.has_variables) continue;
    std::vector<uint16_t> mask;
    for (size_t p = 0; p < k.keys.size(); ++p)
      if (k.flags[p] & kTokenVariable) mask.push_back(static_cast<uint16_t>(p));
    auto& masks = masks_[length_salt(k.bucket, k.keys.size())];
    if (std::find(masks.begin(), masks.end(), mask) == masks.end()) masks.push_back(std::move(mask));
  }
}

}  // namespace maas::data::discovery
