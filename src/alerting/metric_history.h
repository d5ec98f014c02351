// maas's own metric samples over the last minutes, fed at every rule evaluation from metrics::Registry, and the
// evaluation of metric expressions (expression.h) against them.
//
// Thread-safety: none; the alerting engine's thread owns it.
#pragma once

#include <deque>
#include <unordered_map>

#include "alerting/expression.h"
#include "metrics/metrics.h"

namespace maas::alerting {

class MetricHistory {
 public:
  explicit MetricHistory(int64_t keep_ms) : keep_ms_(keep_ms) {}
  void add(int64_t at_ms, const std::vector<metrics::Sample>& samples);
  // The expression's value at the latest add(); INVALID_ARGUMENT for a vector-vector operation that cannot match.
  // A tree deeper than kMaxExpressionDepth (the parser never makes one) is INVALID_ARGUMENT, never a deep recursion.
  Result<Vector> evaluate(const Expr& e) const { return evaluate(e, 1); }

 private:
  Result<Vector> evaluate(const Expr& e, size_t depth) const;
  struct Point {
    int64_t at_ms;
    double value;
  };
  struct Series {
    std::string name;
    LabelMap labels;
    std::deque<Point> points;
  };
  template <typename Fn>
  void each_matching(const Expr& e, Fn&& fn) const;

  int64_t keep_ms_;
  int64_t latest_ms_ = 0;
  std::unordered_map<std::string, Series> series_;  // by name and labels
};

}  // namespace maas::alerting
