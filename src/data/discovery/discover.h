// Batch discovery: all lines at once, on several threads. This is what POST /api/v1/rules/discover runs:
// discover_json() takes the request's text/plain body and returns the response body,
//   {"templates": [{"id": 0, "template": "Received block <*> of size <*>", "count": 12, "rule": {...}}, ...],
//    "assignments": [0, 0, 1, ...]}
// with one template id per input line, in input order (ids number the templates by first appearance; the rule's
// shape is in rule.h).
// Thread-safety: discover() is reentrant; it runs `threads` threads of its own and joins them before returning.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "data/discovery/cluster_table.h"
#include "data/discovery/grouping.h"
#include "data/discovery/template_builder.h"

namespace maas::data::discovery {

struct DiscoverOptions {
  ClusterTableOptions table;
  GroupingOptions grouping;
  size_t threads = 2;                 // lines are split between threads (each mines its part), then merged
  size_t header_sample_lines = 1000;  // spread over the input
  size_t max_lines = 5'000'000;       // discover_json(): a larger body is refused
  bool verify_rules = true;
};

struct Discovery {
  std::vector<MinedTemplate> templates;  // id == index
  std::vector<uint32_t> assignments;     // per line
  HeaderModel header;
  size_t fallback_rules = 0;             // templates whose rule is the generic one (see MinedTemplate)
};

Discovery discover(std::span<const std::string_view> lines, const DiscoverOptions& options = {});

// The lines of a text/plain body: split at '\n', a '\r' before it dropped, no line after a final '\n'.
std::vector<std::string_view> split_lines(std::string_view body);

// The response body for a request body (UTF-8 text, one log line per line). INVALID_ARGUMENT for more than
// max_lines lines.
Result<std::string> discover_json(std::string_view body, const DiscoverOptions& options = {});

}  // namespace maas::data::discovery
