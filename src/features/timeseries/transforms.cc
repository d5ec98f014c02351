#include "features/timeseries/transforms.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "features/timeseries/running.h"

namespace maas::features::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

std::vector<double> lag(std::span<const double> x, int64_t periods) {
  const auto n = static_cast<int64_t>(x.size());
  std::vector<double> out(x.size(), kNaN);
  for (int64_t i = 0; i < n; ++i) {
    const int64_t from = i - periods;
    if (from >= 0 && from < n) out[i] = x[from];
  }
  return out;
}

std::vector<double> diff(std::span<const double> x, int64_t periods) {
  const auto n = static_cast<int64_t>(x.size());
  std::vector<double> out(x.size(), kNaN);
  for (int64_t i = 0; i < n; ++i) {
    const int64_t from = i - periods;
    if (from >= 0 && from < n) out[i] = x[i] - x[from];
  }
  return out;
}

Result<double> center_of_mass(const EwmOptions& o) {
  const int set = (o.com >= 0) + (o.span >= 0) + (o.halflife >= 0) + (o.alpha >= 0);
  if (set != 1) return invalid_argument("give exactly one of com, span, halflife, alpha");
  if (o.com >= 0) return o.com;
  if (o.span >= 0) {
    if (o.span < 1) return invalid_argument("span must be at least 1");
    return (o.span - 1) / 2;
  }
  if (o.halflife >= 0) {
    if (o.halflife <= 0) return invalid_argument("halflife must be above 0");
    const double decay = 1 - std::exp(std::log(0.5) / o.halflife);
    return 1 / decay - 1;
  }
  if (o.alpha <= 0 || o.alpha > 1) return invalid_argument("alpha must be in (0, 1]");
  return 1 / o.alpha - 1;
}

// pandas' ewm kernel (normalize=True), one group.
std::vector<double> ewm_mean(std::span<const double> x, double com, const EwmOptions& o) {
  std::vector<double> out(x.size());
  EwmMeanState state(com, o);
  for (size_t i = 0; i < x.size(); ++i) out[i] = state.add(x[i]);
  return out;
}

// pandas' ewmcov(x, x) (its var), then the zero-clipped square root.
std::vector<double> ewm_std(std::span<const double> x, double com, const EwmOptions& o) {
  std::vector<double> out(x.size());
  EwmStdState state(com, o);
  for (size_t i = 0; i < x.size(); ++i) out[i] = state.add(x[i]);
  return out;
}

}  // namespace maas::features::timeseries
