#include "data/discovery/template_builder.h"

#include <algorithm>

#include <re2/re2.h>

namespace maas::data::discovery {

MinedTemplate make_template(const ClusterTable& table, const std::vector<ShapeLeaf>& leaves, bool verify) {
  MinedTemplate t;
  t.first_seen = UINT64_MAX;
  for (const ShapeLeaf& leaf : leaves) {
    for (uint32_t c : leaf.clusters) {
      t.count += table[c].count;
      t.first_seen = std::min(t.first_seen, table[c].first_seen);
    }
  }
  TemplateShape shape = build_shape(table, leaves);
  t.text = shape.text();
  t.rule = build_rule(shape, table.header());
  if (!verify) return t;
  RE2::Options options;
  options.set_log_errors(false);
  RE2 re(t.rule.pattern, options);
  bool ok = re.ok() && re.NumberOfCapturingGroups() == static_cast<int>(t.rule.columns.size());
  for (const ShapeLeaf& leaf : leaves) {
    for (uint32_t c : leaf.clusters) {
      if (!ok) break;
      if (!table[c].sample.empty()) ok = RE2::FullMatch(re2::StringPiece(table[c].sample), re);
    }
  }
  if (!ok) {
    t.rule = fallback_rule(shape.header, table.header());
    t.fallback_rule = true;
  }
  return t;
}

}  // namespace maas::data::discovery
