#include "features/timeseries/running.h"

#include <algorithm>

namespace maas::features::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The constants of pandas' ewm kernels.
struct EwmWeights {
  int64_t min_periods;
  double old_wt_factor;  // 1 - alpha
  double new_wt;         // 1 when adjusting, else alpha

  EwmWeights(double com, const EwmOptions& o) {
    const double alpha = 1. / (1. + com);
    min_periods = std::max<int64_t>(o.min_periods, 1);
    old_wt_factor = 1. - alpha;
    new_wt = o.adjust ? 1. : alpha;
  }
};

}  // namespace

void SumState::add(double v) {
  if (std::isnan(v)) return;
  ++nobs;
  const double y = v - add_compensation;
  const double t = sum + y;
  add_compensation = t - sum - y;
  sum = t;
  if (std::signbit(v)) ++negatives;
  same_run = v == previous ? same_run + 1 : 1;
  previous = v;
}

void SumState::remove(double v) {
  if (std::isnan(v)) return;
  --nobs;
  const double y = -v - remove_compensation;
  const double t = sum + y;
  remove_compensation = t - sum - y;
  sum = t;
  if (std::signbit(v)) --negatives;
}

double SumState::mean(int64_t min_periods) const {
  if (nobs < min_periods || nobs == 0) return kNaN;
  double result = sum / static_cast<double>(nobs);
  if (same_run >= nobs) return previous;
  if (negatives == 0 && result < 0) return 0;
  if (negatives == nobs && result > 0) return 0;
  return result;
}

double SumState::total(int64_t min_periods) const {
  if (nobs == 0 && min_periods == 0) return 0;
  if (nobs < min_periods) return kNaN;
  return same_run >= nobs ? previous * static_cast<double>(nobs) : sum;
}

void VarState::add(double v) {
  if (std::isnan(v)) return;
  nobs += 1;
  same_run = v == previous ? same_run + 1 : 1;
  previous = v;
  const double prev_mean = mean - add_compensation;
  const double y = v - add_compensation;
  const double t = y - mean;
  add_compensation = t + mean - y;
  mean = nobs != 0 ? mean + t / nobs : 0;
  ssqdm += (v - prev_mean) * (v - mean);
}

void VarState::remove(double v) {
  if (std::isnan(v)) return;
  nobs -= 1;
  if (nobs != 0) {
    const double prev_mean = mean - remove_compensation;
    const double y = v - remove_compensation;
    const double t = y - mean;
    remove_compensation = t + mean - y;
    mean -= t / nobs;
    ssqdm -= (v - prev_mean) * (v - mean);
  } else {
    mean = 0;
    ssqdm = 0;
  }
}

double VarState::variance(int64_t min_periods, int ddof) const {
  if (nobs < static_cast<double>(min_periods) || nobs <= ddof) return kNaN;
  if (nobs == 1 || static_cast<double>(same_run) >= nobs) return 0;
  return ssqdm / (nobs - ddof);
}

double sum_statistic(const SumState& state, const RollingOptions& o) {
  return o.statistic == Statistic::kMean ? state.mean(o.min_periods) : state.total(o.min_periods);
}

double var_statistic(const VarState& state, const RollingOptions& o) {
  const double v = state.variance(std::max<int64_t>(o.min_periods, 1), o.ddof);
  if (o.statistic == Statistic::kVar) return v;
  return v < 0 ? 0.0 : std::sqrt(v);
}

EwmMeanState::EwmMeanState(double com, const EwmOptions& o) : adjust_(o.adjust), ignore_na_(o.ignore_na) {
  const EwmWeights w(com, o);
  min_periods_ = w.min_periods;
  old_wt_factor_ = w.old_wt_factor;
  new_wt_ = w.new_wt;
}

double EwmMeanState::add(double cur) {
  const bool observed = !std::isnan(cur);
  if (!started_) {
    started_ = true;
    weighted_ = cur;
    nobs_ = observed ? 1 : 0;
    return nobs_ >= min_periods_ ? weighted_ : kNaN;
  }
  nobs_ += observed;
  if (!std::isnan(weighted_)) {
    if (observed || !ignore_na_) {
      old_wt_ *= old_wt_factor_;
      if (observed) {
        if (weighted_ != cur) {
          weighted_ = old_wt_ * weighted_ + new_wt_ * cur;
          weighted_ /= (old_wt_ + new_wt_);
        }
        old_wt_ = adjust_ ? old_wt_ + new_wt_ : 1.;
      }
    }
  } else if (observed) {
    weighted_ = cur;
  }
  return nobs_ >= min_periods_ ? weighted_ : kNaN;
}

EwmStdState::EwmStdState(double com, const EwmOptions& o) : adjust_(o.adjust), ignore_na_(o.ignore_na), bias_(o.bias) {
  const EwmWeights w(com, o);
  min_periods_ = w.min_periods;
  old_wt_factor_ = w.old_wt_factor;
  new_wt_ = w.new_wt;
}

double EwmStdState::finish() const {
  if (nobs_ < min_periods_) return kNaN;
  double var = cov_;
  if (!bias_) {
    const double numerator = sum_wt_ * sum_wt_;
    const double denominator = numerator - sum_wt2_;
    var = denominator > 0 ? (numerator / denominator) * cov_ : kNaN;
  }
  return var < 0 ? 0.0 : std::sqrt(var);
}

double EwmStdState::add(double cur) {
  const bool observed = !std::isnan(cur);
  if (!started_) {
    started_ = true;
    mean_ = cur;
    nobs_ = observed ? 1 : 0;
    return nobs_ >= min_periods_ ? (bias_ ? 0.0 : kNaN) : kNaN;
  }
  nobs_ += observed;
  if (!std::isnan(mean_)) {
    if (observed || !ignore_na_) {
      sum_wt_ *= old_wt_factor_;
      sum_wt2_ *= old_wt_factor_ * old_wt_factor_;
      old_wt_ *= old_wt_factor_;
      if (observed) {
        const double old_mean = mean_;
        if (mean_ != cur) mean_ = ((old_wt_ * old_mean) + (new_wt_ * cur)) / (old_wt_ + new_wt_);
        cov_ = ((old_wt_ * (cov_ + ((old_mean - mean_) * (old_mean - mean_)))) +
                (new_wt_ * ((cur - mean_) * (cur - mean_)))) /
               (old_wt_ + new_wt_);
        sum_wt_ += new_wt_;
        sum_wt2_ += new_wt_ * new_wt_;
        old_wt_ += new_wt_;
        if (!adjust_) {
          sum_wt_ /= old_wt_;
          sum_wt2_ /= (old_wt_ * old_wt_);
          old_wt_ = 1.;
        }
      }
    }
  } else if (observed) {
    mean_ = cur;
  }
  return finish();
}

}  // namespace maas::features::timeseries
