#include "data/discovery/grouping.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

#include "data/discovery/hash.h"

namespace maas::data::discovery {
namespace {

struct Value {
  uint64_t key;
  uint64_t lines;
};

class Partitioner {
 public:
  Partitioner(std::span<const GroupingInput> in, const GroupingOptions& options, std::vector<Leaf>& leaves)
      : in_(in), options_(options), leaves_(leaves) {}

  void partition(std::vector<uint32_t> members, std::vector<bool> fixed) {
    if (members.size() == 1) {
      leaves_.push_back({std::move(members), {}});
      return;
    }
    size_t length = in_[members[0]].keys.size();
    std::vector<uint16_t> columns;
    std::vector<std::vector<Value>> values(length);
    for (size_t p = 0; p < length; ++p) {
      if (fixed[p]) continue;
      values[p] = column(members, p);
      if (values[p].size() >= 2) columns.push_back(static_cast<uint16_t>(p));
    }
    int best = -1, fallback = -1;
    for (uint16_t p : columns) {
      if (is_variable(members, p, values, columns)) {
        // A template is a few words at least: if no constant word would be left, the position with the fewest
        // words splits the group instead (the method of an access log line, where all else varies).
        bool word = false;
        for (uint32_t m : members) word = word || !(in_[m].flags[p] & (kTokenParam | kTokenWordless | kTokenVariable));
        if (word && values[p].size() <= options_.variable_min_values &&
            (fallback < 0 || values[p].size() < values[fallback].size()))
          fallback = p;
        continue;
      }
      if (best < 0 || values[p].size() < values[best].size()) best = p;
    }
    if (best < 0 && fallback >= 0 && !has_constant_word(members, fixed)) best = fallback;
    if (best < 0) {
      leaves_.push_back({std::move(members), std::move(columns)});
      return;
    }
    fixed[best] = true;
    std::unordered_map<uint64_t, std::vector<uint32_t>> parts;
    std::vector<uint64_t> order;
    for (uint32_t m : members) {
      uint64_t key = in_[m].keys[best];
      auto [it, inserted] = parts.try_emplace(key);
      if (inserted) order.push_back(key);
      it->second.push_back(m);
    }
    for (uint64_t key : order) partition(std::move(parts[key]), fixed);
  }

 private:
  bool has_constant_word(const std::vector<uint32_t>& members, const std::vector<bool>& fixed) const {
    const GroupingInput& first = in_[members[0]];
    for (size_t p = 0; p < first.keys.size(); ++p) {
      if (first.flags[p] & (kTokenParam | kTokenWordless | kTokenVariable)) continue;
      bool constant = fixed[p];
      if (!constant) {
        constant = true;
        for (uint32_t m : members) constant = constant && in_[m].keys[p] == first.keys[p];
      }
      if (constant) return true;
    }
    return false;
  }

  std::vector<Value> column(const std::vector<uint32_t>& members, size_t p) const {
    std::vector<Value> v;
    v.reserve(members.size());
    for (uint32_t m : members) v.push_back({in_[m].keys[p], in_[m].count});
    std::sort(v.begin(), v.end(), [](const Value& a, const Value& b) { return a.key < b.key; });
    size_t out = 0;
    for (size_t i = 0; i < v.size(); ++i) {
      if (out > 0 && v[out - 1].key == v[i].key) v[out - 1].lines += v[i].lines;
      else v[out++] = v[i];
    }
    v.resize(out);
    return v;
  }

  bool is_variable(const std::vector<uint32_t>& members, size_t p, const std::vector<std::vector<Value>>& values,
                   const std::vector<uint16_t>& columns) const {
    size_t distinct = values[p].size();
    bool numbered = true, values_only = true, punctuation = false;
    uint64_t lines = 0, parameter_lines = 0;
    for (uint32_t m : members) {
      uint8_t f = in_[m].flags[p];
      if (f & kTokenVariable) return true;
      bool parameter = (f & (kTokenNumbered | kTokenParam)) && !(f & kTokenMerged);
      numbered = numbered && parameter;
      values_only = values_only && (f & kTokenValue);
      punctuation = punctuation || (!parameter && (f & kTokenWordless));
      lines += in_[m].count;
      parameter_lines += parameter ? in_[m].count : 0;
    }
    // "****" among numbers is a template's mark, not a value.
    bool mostly_parameters = parameter_lines * 2 > lines && !punctuation;
    if (distinct > options_.variable_min_values) return true;
    // Few distinct words are constants of different templates (Starting/Ending, NEW/RUNNING) unless they are
    // values (key=value, JSON), hold numbers (rdd_<*>_<*> against broadcast_<*>) or stand where most lines
    // have a number: those are parameters, unless they pick between templates (a finer position depends on them).
    // A lower-case word after a label ("to: yarn", "headers: formmail.pl") is the label's value.
    bool labelled = p > 0;
    for (uint32_t m : members)
      labelled = labelled && (in_[m].flags[p] & kTokenLabelled) && in_[m].keys[p - 1] == in_[members[0]].keys[p - 1];
    bool parameter_like =
        numbered || values_only || mostly_parameters || labelled || distinct > options_.constant_max_values;
    if (!parameter_like) return false;
    for (uint16_t q : columns)
      if (q != p && values[q].size() >= distinct && determines(members, q, p)) return false;
    // Words may still pick a template that a header field names: boot, halt, wait... come with the state field
    // of the same name; "by LOGIN(uid=0)" only comes from login(pam_unix). Key=value words are values whatever
    // comes with them, and a numbered word is no evidence when the field's text is in the message itself (a host
    // named again, "msgid=<...@dn228>").
    if (values_only) return true;
    bool plain_words = !numbered && !mostly_parameters;
    return !context_determines(members, p, plain_words);
  }

  // Whether a header field's value (the program, the component, the state) fixes p's value.
  bool context_determines(const std::vector<uint32_t>& members, size_t p, bool echoes_count) const {
    uint8_t fields = 0;
    for (uint32_t m : members)
      for (const ContextCount& c : in_[m].contexts) fields = std::max<uint8_t>(fields, c.field + 1);
    for (uint8_t f = 0; f < fields; ++f) {
      std::vector<Pair> pairs;
      for (uint32_t m : members)
        for (const ContextCount& c : in_[m].contexts)
          if (c.field == f && (echoes_count || !c.echoed)) pairs.push_back({c.value, in_[m].keys[p], c.count});
      if (functional(std::move(pairs))) return true;
    }
    return false;
  }

  // Whether p's value fixes q's (a functional dependency): the lines of p values seen twice or more cover at
  // least half the group, nine in ten of those lines have a p value that always comes with one q value, and
  // those q values are not all the same. The coarser q then picks a template: every state comes from one state
  // (RUNNING from ASSIGNED), an empty rhost only comes with tty=:0. Independent parameters (user, host) fail it
  // once each value is seen on a few lines.
  bool determines(const std::vector<uint32_t>& members, size_t p, size_t q) const {
    std::vector<Pair> pairs;
    pairs.reserve(members.size());
    for (uint32_t m : members) pairs.push_back({in_[m].keys[p], in_[m].keys[q], in_[m].count});
    return functional(std::move(pairs));
  }

  struct Pair {
    uint64_t a, b, lines;
  };

  // Whether a fixes b over these (a, b, lines) observations: see determines().
  static bool functional(std::vector<Pair> pairs) {
    uint64_t total = 0;
    for (const Pair& x : pairs) total += x.lines;
    std::sort(pairs.begin(), pairs.end(), [](const Pair& x, const Pair& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
    uint64_t supported = 0, functional = 0;
    uint64_t first_b = 0;
    bool have_b = false, several_b = false;
    for (size_t i = 0; i < pairs.size();) {
      size_t j = i;
      uint64_t lines = 0;
      bool single = true;
      for (; j < pairs.size() && pairs[j].a == pairs[i].a; ++j) {
        lines += pairs[j].lines;
        single = single && pairs[j].b == pairs[i].b;
      }
      if (lines >= 2) {
        supported += lines;
        if (single) {
          functional += lines;
          if (have_b && first_b != pairs[i].b) several_b = true;
          have_b = true;
          first_b = pairs[i].b;
        }
      }
      i = j;
    }
    return several_b && supported * 2 >= total && functional * 10 >= supported * 9;
  }

  std::span<const GroupingInput> in_;
  const GroupingOptions& options_;
  std::vector<Leaf>& leaves_;
};

// Splits one run of equal length and bucket into groups by root, then partitions each.
void group_length(std::span<const GroupingInput> in, const std::vector<uint32_t>& members,
                  const GroupingOptions& options, std::vector<Leaf>& leaves) {
  size_t length = in[members[0]].keys.size();
  if (length == 0) {
    leaves.push_back({members, {}});
    return;
  }
  std::unordered_map<uint64_t, uint64_t> frequency;
  frequency.reserve(members.size() * length);
  for (uint32_t m : members)
    for (size_t p = 0; p < length; ++p) frequency[position_key(p, in[m].keys[p])] += in[m].count;

  std::unordered_map<uint64_t, std::vector<uint32_t>> roots;
  std::unordered_map<uint64_t, std::vector<bool>> root_positions;
  std::vector<uint64_t> order;
  std::vector<std::pair<uint64_t, uint16_t>> f(length);
  for (uint32_t m : members) {
    for (size_t p = 0; p < length; ++p) f[p] = {frequency[position_key(p, in[m].keys[p])], static_cast<uint16_t>(p)};
    std::sort(f.begin(), f.end(), [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    // The longest run of equal frequency; the more frequent one on a tie.
    size_t best_begin = 0, best_size = 0;
    for (size_t i = 0; i < length;) {
      size_t j = i;
      while (j < length && f[j].first == f[i].first) ++j;
      if (j - i > best_size) {
        best_begin = i;
        best_size = j - i;
      }
      i = j;
    }
    uint64_t root = mix64(f[best_begin].first);
    for (size_t i = best_begin; i < best_begin + best_size; ++i)
      root += position_key(f[i].second, in[m].keys[f[i].second]);
    auto [it, inserted] = roots.try_emplace(root);
    if (inserted) {
      order.push_back(root);
      std::vector<bool> fixed(length, false);
      for (size_t i = best_begin; i < best_begin + best_size; ++i) fixed[f[i].second] = true;
      root_positions.emplace(root, std::move(fixed));
    }
    it->second.push_back(m);
  }
  Partitioner partitioner(in, options, leaves);
  for (uint64_t root : order) partitioner.partition(std::move(roots[root]), root_positions[root]);
}

}  // namespace

Grouping group_clusters(std::span<const GroupingInput> in, const GroupingOptions& options) {
  Grouping out;
  std::vector<uint32_t> order(in.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (in[a].bucket != in[b].bucket) return in[a].bucket < in[b].bucket;
    return in[a].keys.size() < in[b].keys.size();
  });
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    std::vector<uint32_t> run;
    while (j < order.size() && in[order[j]].bucket == in[order[i]].bucket &&
           in[order[j]].keys.size() == in[order[i]].keys.size())
      run.push_back(order[j++]);
    std::sort(run.begin(), run.end());  // first-seen order: the outcome must not depend on the sort above
    group_length(in, run, options, out.leaves);
    i = j;
  }

  // Templates: leaves whose constant tokens, parameters left out, are the same sequence.
  std::unordered_map<uint64_t, std::vector<uint32_t>> by_constants;
  std::vector<uint64_t> constant_order;
  for (uint32_t l = 0; l < out.leaves.size(); ++l) {
    const Leaf& leaf = out.leaves[l];
    const GroupingInput& first = in[leaf.members[0]];
    uint64_t h = mix64(first.bucket);
    size_t constants = 0;
    size_t v = 0;
    for (size_t p = 0; p < first.keys.size(); ++p) {
      while (v < leaf.variables.size() && leaf.variables[v] < p) ++v;
      bool variable = v < leaf.variables.size() && leaf.variables[v] == p;
      if (variable || (first.flags[p] & (kTokenParam | kTokenWordless))) continue;
      h = mix64(h ^ first.keys[p]);
      ++constants;
    }
    if (!options.merge_lengths || constants < 2) h = mix64(~static_cast<uint64_t>(l)) ^ 0x5bd1e995ULL;
    auto [it, inserted] = by_constants.try_emplace(h);
    if (inserted) constant_order.push_back(h);
    it->second.push_back(l);
  }
  for (uint64_t h : constant_order) out.templates.push_back(std::move(by_constants[h]));
  return out;
}

}  // namespace maas::data::discovery
