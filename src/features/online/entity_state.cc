#include "features/online/entity_state.h"

#include <cmath>
#include <limits>

#include "features/timeseries/calendar.h"
#include "features/timeseries/rolling.h"

namespace maas::features::online {
namespace {

using timeseries::Feature;
using timeseries::FeatureKind;
using timeseries::Statistic;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool uses_sum(Statistic s) { return s == Statistic::kMean || s == Statistic::kSum || s == Statistic::kCount; }
bool uses_var(Statistic s) { return s == Statistic::kVar || s == Statistic::kStd; }

// How many of a time window's rows (times oldest first) leave it when a row at `time_us` arrives: those at or
// before time_us - window (timeseries::time_windows, closed right).
size_t leaving_by_time(const Window<int64_t>& times, int64_t time_us, int64_t window_us) {
  size_t n = 0;
  while (n < times.size() && times[n] <= time_us - window_us) ++n;
  return n;
}

}  // namespace

EntityState::EntityState(const FeatureView& view) : view_(view), features_(view.spec.features.size(), kNaN) {
  state_.resize(view.spec.features.size());
  for (size_t i = 0; i < state_.size(); ++i) {
    const Feature& f = view.spec.features[i];
    if (f.kind == FeatureKind::kEwm) {
      state_[i].running = f.ewm_std ? Running(timeseries::EwmStdState(f.ewm_com, f.ewm))
                                    : Running(timeseries::EwmMeanState(f.ewm_com, f.ewm));
    } else if (f.kind == FeatureKind::kRolling && uses_sum(f.rolling.statistic)) {
      state_[i].running = timeseries::SumState{};
    } else if (f.kind == FeatureKind::kRolling && uses_var(f.rolling.statistic)) {
      state_[i].running = timeseries::VarState{};
    }
  }
}

Status EntityState::check(int64_t time_us, int64_t max_window) const {
  if (rows_ > 0 && time_us < last_time_us_) {
    return failed_precondition("is older than the entity's last observation (rows must come in time order)");
  }
  for (size_t i = 0; i < state_.size(); ++i) {
    const Feature& f = view_.spec.features[i];
    if (f.kind != FeatureKind::kRolling || f.window_us == 0) continue;
    const size_t stays = state_[i].times.size() - leaving_by_time(state_[i].times, time_us, f.window_us);
    if (static_cast<int64_t>(stays) + 1 > max_window) {
      return resource_exhausted("would put more than " + std::to_string(max_window) + " rows in the '" + f.window_text +
                                "' window of feature '" + f.name + "' (features.online_max_window)");
    }
  }
  return {};
}

void EntityState::append(int64_t time_us, std::span<const double> values) {
  for (size_t i = 0; i < state_.size(); ++i) {
    const Feature& f = view_.spec.features[i];
    const double x = f.kind == FeatureKind::kCalendar ? kNaN : values[view_.feature_column[i]];
    features_[i] = append_feature(f, state_[i], time_us, x);
  }
  last_time_us_ = time_us;
  ++rows_;
}

double EntityState::append_feature(const Feature& f, PerFeature& state, int64_t time_us, double x) {
  switch (f.kind) {
    case FeatureKind::kLag:
    case FeatureKind::kDiff: {
      // The row `periods` back is the oldest of the last `periods` kept (timeseries::lag and diff).
      const auto periods = static_cast<size_t>(f.periods);
      if (periods == 0) return f.kind == FeatureKind::kLag ? x : x - x;
      const bool full = state.values.size() == periods;
      const double back = full ? state.values.front() : kNaN;
      state.values.push_back(x);
      if (state.values.size() > periods) state.values.pop_front();
      if (!full) return kNaN;
      return f.kind == FeatureKind::kLag ? back : x - back;
    }
    case FeatureKind::kRolling:
      return append_rolling(f, state, time_us, x);
    case FeatureKind::kEwm:
      if (auto* mean = std::get_if<timeseries::EwmMeanState>(&state.running)) return mean->add(x);
      return std::get<timeseries::EwmStdState>(state.running).add(x);
    case FeatureKind::kCalendar:
      return timeseries::calendar_value(time_us, f.calendar);
    case FeatureKind::kAcf:
    case FeatureKind::kDtw:
    case FeatureKind::kDecompose:
    case FeatureKind::kStl:
      break;  // refused by parse_feature_view
  }
  return kNaN;
}

// timeseries::rolling's online loop, one row at a time: the rows that leave the window are removed from the running
// state and the new one added, or the state starts over when no row of the previous window stays.
double EntityState::append_rolling(const Feature& f, PerFeature& state, int64_t time_us, double x) {
  size_t leaving = 0;
  if (f.window_us > 0) {
    leaving = leaving_by_time(state.times, time_us, f.window_us);
  } else if (static_cast<int64_t>(state.values.size()) == f.window_rows) {
    leaving = 1;
  }
  const bool restart = state.values.size() == leaving;
  const bool counting = f.rolling.statistic == Statistic::kCount;
  auto input = [counting](double v) { return counting ? (std::isnan(v) ? 0.0 : 1.0) : v; };
  std::visit(
      [&](auto& running) {
        using T = std::decay_t<decltype(running)>;
        if constexpr (std::is_same_v<T, timeseries::SumState> || std::is_same_v<T, timeseries::VarState>) {
          if (restart) {
            running.reset(input(x));
          } else {
            for (size_t j = 0; j < leaving; ++j) running.remove(input(state.values[j]));
          }
          running.add(input(x));
        }
      },
      state.running);
  if (restart) {
    state.values.clear();
    state.times.clear();
  } else {
    for (size_t j = 0; j < leaving; ++j) {
      state.values.pop_front();
      if (f.window_us > 0) state.times.pop_front();
    }
  }
  state.values.push_back(x);
  if (f.window_us > 0) state.times.push_back(time_us);

  if (auto* sum = std::get_if<timeseries::SumState>(&state.running)) return timeseries::sum_statistic(*sum, f.rolling);
  if (auto* var = std::get_if<timeseries::VarState>(&state.running)) return timeseries::var_statistic(*var, f.rolling);
  // Order statistics: the offline function over the one window the values hold.
  const auto n = static_cast<int64_t>(state.values.size());
  const timeseries::WindowBounds whole{{0}, {n}};
  return timeseries::rolling(state.values.span(), whole, f.rolling)[0];
}

size_t EntityState::memory_bytes() const {
  size_t bytes = sizeof(*this) + features_.capacity() * sizeof(double) + state_.capacity() * sizeof(PerFeature);
  for (const PerFeature& s : state_) bytes += s.values.memory_bytes() + s.times.memory_bytes();
  return bytes;
}

}  // namespace maas::features::online
