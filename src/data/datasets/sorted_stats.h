// Statistics of a numeric column read in ascending order, one value at a time, so a column of any length is profiled
// in O(top_k + bins) memory (the sort is DuckDB's, which spills): the distinct values and the most frequent ones (runs
// of equal values), the values at quantile ranks, and numpy's histogram. Not thread-safe; one per column.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace maas::data {

// numpy.histogram's equal-width bins over [first, last] (the last bin closed), its edges and its bin of a value.
class HistogramBins {
 public:
  // numpy's outer edges from the data's min and max: a zero range becomes [v - 0.5, v + 0.5].
  HistogramBins(double min, double max, int bins);
  const std::vector<double>& edges() const { return edges_; }
  // The bin numpy puts `x` in, or -1 when x is outside [first, last] (or not finite).
  int bin_of(double x) const;

 private:
  double first_, last_, norm_;
  int bins_;
  std::vector<double> edges_;
};

template <typename T>
class SortedStats {
 public:
  // `count`: how many values add() will be given; `quantiles` in [0, 1].
  SortedStats(int64_t count, std::span<const double> quantiles, int top_k, std::optional<HistogramBins> bins);
  // Values must come in ascending order.
  void add(T value);
  // `n` copies of `value` at once: what add() would do n times, in O(quantiles + 1). `value` must be greater than
  // every value given before (a run of equal values comes in one call), so a grouped count feeds it directly.
  void add_run(T value, int64_t n);
  // Call once after the last add().
  void finish();

  int64_t distinct() const { return distinct_; }
  // The top_k most frequent values with their counts, by count then value.
  std::vector<std::pair<T, int64_t>> top_values() const;
  // numpy's linear interpolation between the closest ranks of each quantile (position q * (count - 1)).
  std::vector<double> quantile_values() const;
  const std::vector<int64_t>& histogram_counts() const { return histogram_counts_; }

 private:
  struct Rank {
    int64_t lower;    // floor(q * (count - 1))
    double fraction;  // q * (count - 1) - lower
    double below = 0, above = 0;
  };
  void end_run();

  int64_t count_;
  int top_k_;
  std::optional<HistogramBins> bins_;
  std::vector<Rank> ranks_;
  std::vector<int64_t> histogram_counts_;
  // The worst kept candidate first (lowest count; among equal counts the larger value, which came later).
  std::vector<std::pair<T, int64_t>> heap_;
  int64_t index_ = 0;
  int64_t distinct_ = 0;
  std::optional<T> run_value_;
  int64_t run_length_ = 0;
};

extern template class SortedStats<int64_t>;
extern template class SortedStats<double>;

}  // namespace maas::data
