// The running states behind rolling sums, means, variances and exponentially weighted means and deviations, one
// observation at a time with pandas 1.5's arithmetic: the offline functions (rolling.cc, transforms.cc) loop over a
// series with them, and the online store (features/online/) keeps one per entity, so both give the same bits.
//
// Thread-safety: plain values; the caller serializes access to one state.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include "features/timeseries/rolling.h"
#include "features/timeseries/transforms.h"

namespace maas::features::timeseries {

// pandas' add_sum/remove_sum/add_mean/remove_mean: Kahan-compensated, with the run of equal values that makes a
// window of one repeated value exact (GH#42064) and the sign count that keeps a mean of positives non-negative.
struct SumState {
  int64_t nobs = 0;
  int64_t negatives = 0;
  double sum = 0;
  double add_compensation = 0;
  double remove_compensation = 0;
  int64_t same_run = 0;
  double previous = 0;

  void reset(double first) { *this = SumState{}, previous = first; }
  void add(double v);
  void remove(double v);
  double mean(int64_t min_periods) const;
  double total(int64_t min_periods) const;
};

// pandas' add_var/remove_var: Welford's update with Kahan compensation.
struct VarState {
  double nobs = 0;
  double mean = 0;
  double ssqdm = 0;
  double add_compensation = 0;
  double remove_compensation = 0;
  int64_t same_run = 0;
  double previous = 0;

  void reset(double first) { *this = VarState{}, previous = first; }
  void add(double v);
  void remove(double v);
  double variance(int64_t min_periods, int ddof) const;
};

// What a window's state gives for `options.statistic`: mean and sum (and count, a sum of 0/1 presence) from a
// SumState; var and std from a VarState.
double sum_statistic(const SumState& state, const RollingOptions& options);
double var_statistic(const VarState& state, const RollingOptions& options);

// pandas' ewm kernel (normalize=True) for the mean, one observation at a time; `com` from center_of_mass().
class EwmMeanState {
 public:
  EwmMeanState(double com, const EwmOptions& options);
  // The mean after `x` (NaN: missing), or NaN while fewer than min_periods values were seen.
  double add(double x);

 private:
  int64_t min_periods_;
  double old_wt_factor_;
  double new_wt_;
  bool adjust_;
  bool ignore_na_;
  bool started_ = false;
  double weighted_ = 0;
  int64_t nobs_ = 0;
  double old_wt_ = 1.;
};

// pandas' ewmcov(x, x) (its var), then the zero-clipped square root, one observation at a time.
class EwmStdState {
 public:
  EwmStdState(double com, const EwmOptions& options);
  double add(double x);

 private:
  double finish() const;

  int64_t min_periods_;
  double old_wt_factor_;
  double new_wt_;
  bool adjust_;
  bool ignore_na_;
  bool bias_;
  bool started_ = false;
  double mean_ = 0;
  int64_t nobs_ = 0;
  double cov_ = 0., sum_wt_ = 1., sum_wt2_ = 1., old_wt_ = 1.;
};

}  // namespace maas::features::timeseries
