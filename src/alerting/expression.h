// The expression subset of alerting rules (docs/ALERTING.md), parsed once:
//   over maas's own metrics: name{matchers}  rate(name{...}[1m])  sum [by|without (l)] (e)
//                            histogram_quantile(0.99, e)  e / e  e * e  e + e  e - e  (vector with vector or number)
//   over the log center:     a LogQL metric query: count_over_time({...}[1m]), rate(...), sum by (...) (...)
//   and at the top level a comparison with a number: e > 0.1  (>= < <= == != too) keeps the samples that pass.
// A rule's text is bounded in size and its tree in depth at parse time, so that evaluating (and freeing) it, which
// recurses once per level, stays within a thread's stack whatever a rule file or the API was sent.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "logs/logql.h"

namespace maas::alerting {

using LabelMap = std::map<std::string, std::string>;

inline constexpr size_t kMaxExpressionBytes = 4096;
// Levels of the tree: each operator, function and bracket is one (so `a + b + c` is three, a left-deep chain).
inline constexpr size_t kMaxExpressionDepth = 64;

struct VectorSample {
  LabelMap labels;
  double value = 0;
};
using Vector = std::vector<VectorSample>;

struct Expr {
  enum class Kind { kNumber, kSelector, kRate, kSum, kQuantile, kBinary } kind = Kind::kNumber;
  double number = 0;                          // kNumber; kQuantile's q
  std::string metric;                         // kSelector, kRate
  std::vector<logs::LabelMatcher> matchers;   // kSelector, kRate
  int64_t range_ms = 0;                       // kRate
  std::vector<std::string> grouping;          // kSum
  bool without = false;                       // kSum
  char op = 0;                                // kBinary: + - * /
  std::unique_ptr<Expr> lhs, rhs;             // kBinary both; kSum, kQuantile: lhs
  size_t height = 1;                          // nodes on the longest path down from here, at most kMaxExpressionDepth
};

struct Comparison {
  std::string op;  // ">", ">=", "<", "<=", "==", "!="
  double threshold = 0;
  bool passes(double v) const;
};

struct RuleExpression {
  std::string text;
  std::optional<logs::Query> log_query;  // a LogQL metric query, or
  std::unique_ptr<Expr> metric;          // an expression over maas's metrics
  std::optional<Comparison> comparison;
};

// INVALID_ARGUMENT naming what is wrong, including a text over kMaxExpressionBytes or a tree deeper than
// kMaxExpressionDepth.
Result<std::shared_ptr<RuleExpression>> parse_rule_expression(const std::string& text);

}  // namespace maas::alerting
