// A LogQL subset, parsed once into a typed query (docs/LOGS.md lists what is supported):
//   {name="v", name!="v", name=~"re", name!~"re"}           stream selector (at least one matcher)
//   |= "text"  != "text"  |~ "re"  !~ "re"                  line filters
//   | json                                                  extracts the line's JSON fields (nested: a_b)
//   | field = "v" | field != "v" | field =~ "re" | field !~ "re" | field > 1.5 (>= < <= == too)
//   count_over_time(<log query> [5m])  rate(<log query> [5m])
//   sum [by|without (l1, l2)] (<range aggregation>) [by|without (...)]
// Regular expressions are RE2 (linear time; what user input must use), anchored as in Loki and Prometheus.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>

#include "common/status.h"
#include "logs/record.h"

namespace maas::logs {

enum class MatchOp { kEq, kNotEq, kRegex, kNotRegex };

struct LabelMatcher {
  std::string name;
  MatchOp op = MatchOp::kEq;
  std::string value;
  std::shared_ptr<RE2> regex;  // anchored; for the regex ops
  bool matches(std::string_view v) const;
};

enum class LineOp { kContains, kNotContains, kRegex, kNotRegex };

enum class FieldOp { kEq, kNotEq, kRegex, kNotRegex, kGreater, kGreaterEq, kLess, kLessEq };

struct Stage {
  enum class Kind { kLine, kJson, kField } kind = Kind::kLine;
  LineOp line_op = LineOp::kContains;  // kLine
  FieldOp field_op = FieldOp::kEq;     // kField
  std::string name;                    // kField
  std::string text;                    // the string operand
  bool numeric = false;                // kField compared as numbers (the operand was a number)
  double number = 0;
  std::shared_ptr<RE2> regex;          // the regex ops (line filters unanchored, as Loki)
};

struct LogQuery {
  std::vector<LabelMatcher> matchers;
  std::vector<Stage> stages;
  bool extracts_json() const;
  bool matches_stream(const LabelSet& labels) const;
};

struct MetricQuery {
  enum class Function { kCountOverTime, kRate } function = Function::kCountOverTime;
  LogQuery log;
  int64_t range_ns = 0;
  bool aggregate = false;  // wrapped in sum
  bool without = false;    // sum without (...) rather than by (...)
  std::vector<std::string> grouping;
};

struct Query {
  bool is_metric = false;
  LogQuery log;        // when !is_metric
  MetricQuery metric;  // when is_metric
};

// INVALID_ARGUMENT with the position and what was expected.
Result<Query> parse_logql(std::string_view text);
// "5m", "1h30m", "500ms", "2d" into nanoseconds.
Result<int64_t> parse_duration_ns(std::string_view text);

}  // namespace maas::logs
