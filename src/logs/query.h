// Evaluates a parsed LogQL query against a LogStore: log queries give streams of entries (newest first by
// default, at most `limit`), metric queries give series of points at each step, as Loki's query_range does.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "logs/log_store.h"
#include "logs/logql.h"

namespace maas::logs {

struct QueryParams {
  int64_t start_ns = 0;
  int64_t end_ns = 0;  // inclusive, as Loki's end
  size_t limit = 100;
  Direction direction = Direction::kBackward;
  int64_t step_ns = 0;  // metric queries; 0: one point at end_ns (an instant query)
  bool include_archive = false;
};

struct StreamResult {
  LabelSet labels;
  std::vector<std::pair<int64_t, std::string>> entries;  // in the query's direction
};

struct SeriesResult {
  std::vector<std::pair<std::string, std::string>> metric;
  std::vector<std::pair<int64_t, double>> points;  // timestamp ns, value
};

struct QueryStats {
  uint64_t blocks = 0;
  uint64_t lines = 0;
  uint64_t bytes = 0;
};

struct QueryResult {
  bool is_metric = false;
  std::vector<StreamResult> streams;
  std::vector<SeriesResult> series;
  QueryStats stats;
};

// Blocks on disk: call it off the I/O threads. INVALID_ARGUMENT for a bad range or step; RESOURCE_EXHAUSTED
// when a metric query would hold more than the sample limit.
Result<QueryResult> run_query(LogStore& store, const Query& query, const QueryParams& params);

// The line pipeline of a log query: line filters, `| json`, field filters. Used by queries and by live tail.
class LinePipeline {
 public:
  explicit LinePipeline(const LogQuery& query) : query_(query) {}
  // True when the entry passes; `fields` receives what `| json` extracted (cleared first).
  bool keep(std::string_view line, const LabelSet& labels, std::vector<std::pair<std::string, std::string>>* fields) const;

 private:
  const LogQuery& query_;
};

}  // namespace maas::logs
