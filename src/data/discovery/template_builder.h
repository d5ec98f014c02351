// A discovered template as the API gives it (text, line count, extraction rule), made from clusters of a table.
// Thread-safety: a pure function of its (read-only) input.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/discovery/cluster_table.h"
#include "data/discovery/rule.h"
#include "data/discovery/template_shape.h"

namespace maas::data::discovery {

struct MinedTemplate {
  uint32_t id = 0;
  std::string text;  // constants as they are, parameters as <*>; the header is not part of it
  uint64_t count = 0;
  uint64_t first_seen = 0;  // the line number of its first line
  Rule rule;
  // The rule built from the shape did not match a sample line of the template (a bug, counted in stats): the
  // template carries the generic rule (header fields + the message) instead.
  bool fallback_rule = false;
};

// The template of `leaves`. With `verify`, the rule is compiled with RE2 and checked on each cluster's sample line.
MinedTemplate make_template(const ClusterTable& table, const std::vector<ShapeLeaf>& leaves, bool verify);

}  // namespace maas::data::discovery
