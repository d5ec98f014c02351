// One entity's running state for a feature view: what producing the NEXT row's features needs, exactly as the
// offline computation (features/timeseries/compute.h) would over the entity's whole history — the compensated sums
// and Welford states of rolling windows over all rows so far, a window of the last values (and times) for lags,
// order statistics and time windows, and the ewm weights.
//
// Thread-safety: none; the online store guards each entity with its shard's lock. Holds a reference to its view,
// which must outlive it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "common/status.h"
#include "features/online/feature_view.h"
#include "features/timeseries/running.h"

namespace maas::features::online {

// The last values of a series, oldest first, contiguous (so a window is a span); amortized O(1) at both ends.
template <typename T>
class Window {
 public:
  void push_back(T v) { data_.push_back(v); }
  void pop_front() {
    if (++head_ * 2 > data_.size() && head_ >= 16) {
      data_.erase(data_.begin(), data_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }
  void clear() { data_.clear(), head_ = 0; }
  size_t size() const { return data_.size() - head_; }
  bool empty() const { return size() == 0; }
  const T& front() const { return data_[head_]; }
  const T& operator[](size_t i) const { return data_[head_ + i]; }
  std::span<const T> span() const { return {data_.data() + head_, size()}; }
  size_t memory_bytes() const { return data_.capacity() * sizeof(T); }

 private:
  std::vector<T> data_;
  size_t head_ = 0;
};

class EntityState {
 public:
  explicit EntityState(const FeatureView& view);

  // Whether a row at `time_us` can be appended: FAILED_PRECONDITION when it is older than the last row,
  // RESOURCE_EXHAUSTED when a time window would hold more than `max_window` rows. Changes nothing.
  Status check(int64_t time_us, int64_t max_window) const;
  // Appends a row (after check()): `values` in the view's value order, NaN for missing. features() is then its
  // features.
  void append(int64_t time_us, std::span<const double> values);

  // The features of the last row appended, in the view's order (NaN where undefined).
  const std::vector<double>& features() const { return features_; }
  int64_t last_time_us() const { return last_time_us_; }
  int64_t rows() const { return rows_; }
  // An estimate of the heap and object bytes this state holds.
  size_t memory_bytes() const;

 private:
  using Running = std::variant<std::monostate, timeseries::SumState, timeseries::VarState, timeseries::EwmMeanState,
                               timeseries::EwmStdState>;
  struct PerFeature {
    Window<double> values;  // lags: the last `periods`; windows: the rows of the last window
    Window<int64_t> times;  // time windows: the times of `values`
    Running running;
  };

  double append_feature(const timeseries::Feature& f, PerFeature& state, int64_t time_us, double x);
  double append_rolling(const timeseries::Feature& f, PerFeature& state, int64_t time_us, double x);

  const FeatureView& view_;
  std::vector<PerFeature> state_;
  std::vector<double> features_;
  int64_t last_time_us_ = 0;
  int64_t rows_ = 0;
};

}  // namespace maas::features::online
