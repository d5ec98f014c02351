#include "data/datasets/sorted_stats.h"

#include <algorithm>
#include <cmath>

namespace maas::data {
namespace {

// The heap's order: a is "better" than b when it has more occurrences, or as many and a smaller value. The heap keeps
// the worst candidate on top so that a better run can replace it.
template <typename T>
bool better(const std::pair<T, int64_t>& a, const std::pair<T, int64_t>& b) {
  return a.second != b.second ? a.second > b.second : a.first < b.first;
}

// numpy's _lerp: a + (b - a) * t, computed from b's side when t >= 0.5 (so that t = 1 gives b exactly).
double lerp(double a, double b, double t) {
  double diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

}  // namespace

HistogramBins::HistogramBins(double min, double max, int bins) : first_(min), last_(max), bins_(bins) {
  if (first_ == last_) {
    first_ -= 0.5;
    last_ += 0.5;
  }
  // numpy.linspace: i * step + first, with the last edge set to `last` exactly.
  double step = (last_ - first_) / bins_;
  for (int i = 0; i <= bins_; ++i) edges_.push_back(i * step + first_);
  edges_[static_cast<size_t>(bins_)] = last_;
  norm_ = bins_ / (last_ - first_);
}

int HistogramBins::bin_of(double x) const {
  if (!(x >= first_ && x <= last_)) return -1;
  // numpy.histogram's equal-bin path: the computed index, corrected by comparing with the edges around it.
  auto i = static_cast<int64_t>((x - first_) * norm_);
  if (i >= bins_) i = bins_ - 1;
  if (x < edges_[static_cast<size_t>(i)]) --i;
  if (i != bins_ - 1 && x >= edges_[static_cast<size_t>(i + 1)]) ++i;
  return static_cast<int>(i);
}

template <typename T>
SortedStats<T>::SortedStats(int64_t count, std::span<const double> quantiles, int top_k,
                            std::optional<HistogramBins> bins)
    : count_(count), top_k_(top_k), bins_(std::move(bins)) {
  for (double q : quantiles) {
    double position = q * static_cast<double>(count_ - 1);
    auto lower = static_cast<int64_t>(std::floor(position));
    ranks_.push_back(Rank{lower, position - static_cast<double>(lower)});
  }
  if (bins_) histogram_counts_.assign(bins_->edges().size() - 1, 0);
}

template <typename T>
void SortedStats<T>::add(T value) {
  double x = static_cast<double>(value);
  for (Rank& r : ranks_) {
    if (index_ == r.lower) r.below = x;
    if (index_ == r.lower + 1 || (index_ == r.lower && r.lower + 1 >= count_)) r.above = x;
  }
  if (bins_) {
    int bin = bins_->bin_of(x);
    if (bin >= 0) ++histogram_counts_[static_cast<size_t>(bin)];
  }
  if (!run_value_ || !(*run_value_ == value)) {
    end_run();
    run_value_ = value;
  }
  ++run_length_;
  ++index_;
}

template <typename T>
void SortedStats<T>::add_run(T value, int64_t n) {
  if (n <= 0) return;
  double x = static_cast<double>(value);
  const int64_t end = index_ + n;
  for (Rank& r : ranks_) {
    if (r.lower >= index_ && r.lower < end) r.below = x;
    if ((r.lower + 1 >= index_ && r.lower + 1 < end) || (r.lower >= index_ && r.lower < end && r.lower + 1 >= count_)) {
      r.above = x;
    }
  }
  if (bins_) {
    int bin = bins_->bin_of(x);
    if (bin >= 0) histogram_counts_[static_cast<size_t>(bin)] += n;
  }
  end_run();
  run_value_ = value;
  run_length_ = n;
  index_ = end;
}

template <typename T>
void SortedStats<T>::end_run() {
  if (!run_value_) return;
  ++distinct_;
  std::pair<T, int64_t> run{*run_value_, run_length_};
  run_length_ = 0;
  if (top_k_ <= 0) return;
  auto worst_on_top = [](const auto& a, const auto& b) { return better(a, b); };
  if (static_cast<int>(heap_.size()) < top_k_) {
    heap_.push_back(run);
    std::push_heap(heap_.begin(), heap_.end(), worst_on_top);
  } else if (better(run, heap_.front())) {
    std::pop_heap(heap_.begin(), heap_.end(), worst_on_top);
    heap_.back() = run;
    std::push_heap(heap_.begin(), heap_.end(), worst_on_top);
  }
}

template <typename T>
void SortedStats<T>::finish() {
  end_run();
  run_value_.reset();
}

template <typename T>
std::vector<std::pair<T, int64_t>> SortedStats<T>::top_values() const {
  std::vector<std::pair<T, int64_t>> out = heap_;
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return better(a, b); });
  return out;
}

template <typename T>
std::vector<double> SortedStats<T>::quantile_values() const {
  std::vector<double> out;
  for (const Rank& r : ranks_) out.push_back(lerp(r.below, r.above, r.fraction));
  return out;
}

template class SortedStats<int64_t>;
template class SortedStats<double>;

}  // namespace maas::data
