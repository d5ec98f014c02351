#include "features/search/mutual_info.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <queue>
#include <vector>

#include "features/numeric.h"

namespace maas::features::search {
namespace {

// x / its population standard deviation (sklearn's scale(with_mean=False); a constant column is left as it is).
std::vector<double> scaled(std::vector<double> x) {
  const double scale = standard_scale(x).second;
  for (double& v : x) v /= scale;
  return x;
}

// Points sorted by x, and for a point the number of others within `radius` in x (inclusive), by binary search.
struct SortedAxis {
  std::vector<double> sorted;
  explicit SortedAxis(std::vector<double> values) : sorted(std::move(values)) {
    std::sort(sorted.begin(), sorted.end());
  }
  // Points with |v - x| <= radius, the point itself included (sklearn's KDTree.query_radius, count_only).
  double count_within(double x, double radius) const {
    auto low = std::lower_bound(sorted.begin(), sorted.end(), x - radius);
    auto high = std::upper_bound(sorted.begin(), sorted.end(), x + radius);
    // x - radius and x + radius are rounded; the test is |v - x| <= radius, as sklearn makes it.
    auto inside = [&](double v) { return std::fabs(v - x) <= radius; };
    while (low != high && !inside(*low)) ++low;
    while (low != sorted.begin() && inside(*(low - 1))) --low;
    while (high != low && !inside(*(high - 1))) --high;
    while (high != sorted.end() && inside(*high)) ++high;
    return static_cast<double>(high - low);
  }
};

// For each point, the distance to its k-th nearest other point (sklearn's kneighbors(), self excluded) by the
// Chebyshev metric over (x, y) (y empty: over x alone). Points are visited in x order, searching outward until x
// alone is farther than the k-th best.
std::vector<double> kth_distances(const std::vector<double>& x, const std::vector<double>& y, int k) {
  const size_t n = x.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return x[a] < x[b]; });
  std::vector<double> out(n);
  for (size_t p = 0; p < n; ++p) {
    const size_t i = order[p];
    std::priority_queue<double> best;  // the k smallest distances so far, largest on top
    auto consider = [&](size_t j) {
      const double d = std::max(std::fabs(x[j] - x[i]), y.empty() ? 0.0 : std::fabs(y[j] - y[i]));
      if (best.size() < static_cast<size_t>(k)) {
        best.push(d);
      } else if (d < best.top()) {
        best.pop();
        best.push(d);
      }
    };
    auto full_and_closer = [&](size_t j) {
      return best.size() == static_cast<size_t>(k) && std::fabs(x[j] - x[i]) > best.top();
    };
    for (size_t q = p; q-- > 0;) {
      if (full_and_closer(order[q])) break;
      consider(order[q]);
    }
    for (size_t q = p + 1; q < n; ++q) {
      if (full_and_closer(order[q])) break;
      consider(order[q]);
    }
    out[i] = best.empty() ? 0 : best.top();
  }
  return out;
}

double mean_digamma(const std::vector<double>& values, double shift) {
  double sum = 0;
  for (double v : values) sum += digamma(v + shift);
  return sum / static_cast<double>(values.size());
}

}  // namespace

double digamma(double x) {
  double result = 0;
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  const double f = 1 / (x * x);
  return result + std::log(x) - 0.5 / x -
         f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132)))));
}

double mutual_info_continuous(std::span<const double> feature, std::span<const double> label) {
  std::vector<double> x, y;
  for (size_t row = 0; row < feature.size(); ++row) {
    if (std::isnan(feature[row]) || std::isnan(label[row])) continue;
    x.push_back(feature[row]);
    y.push_back(label[row]);
  }
  const size_t n = x.size();
  if (n <= static_cast<size_t>(kNeighbors)) return 0;
  x = scaled(std::move(x));
  y = scaled(std::move(y));
  std::vector<double> radius = kth_distances(x, y, kNeighbors);
  const SortedAxis xs(x), ys(y);
  std::vector<double> nx(n), ny(n);
  for (size_t i = 0; i < n; ++i) {
    // sklearn counts strictly inside the k-th distance: the radius just below it.
    const double r = std::nextafter(radius[i], 0.0);
    nx[i] = xs.count_within(x[i], r) - 1;
    ny[i] = ys.count_within(y[i], r) - 1;
  }
  const double mi = digamma(static_cast<double>(n)) + digamma(kNeighbors) - mean_digamma(nx, 1) - mean_digamma(ny, 1);
  return std::max(0.0, mi);
}

double mutual_info_discrete(std::span<const double> feature, std::span<const int64_t> label) {
  std::map<int64_t, std::vector<double>> by_label;
  std::vector<double> all;
  for (size_t row = 0; row < feature.size(); ++row) {
    if (std::isnan(feature[row])) continue;
    by_label[label[row]].push_back(feature[row]);
    all.push_back(feature[row]);
  }
  const double scale = all.empty() ? 1 : standard_scale(all).second;
  // Points of a label seen once are left out, as sklearn leaves them.
  std::vector<double> values, radius, k_all, counts;
  for (auto& [l, group] : by_label) {
    if (group.size() < 2) continue;
    for (double& v : group) v /= scale;
    const int k = std::min<int>(kNeighbors, static_cast<int>(group.size()) - 1);
    const std::vector<double> r = kth_distances(group, {}, k);
    for (size_t i = 0; i < group.size(); ++i) {
      values.push_back(group[i]);
      radius.push_back(std::nextafter(r[i], 0.0));
      k_all.push_back(k);
      counts.push_back(static_cast<double>(group.size()));
    }
  }
  const size_t n = values.size();
  if (n == 0) return 0;
  const SortedAxis axis(values);
  std::vector<double> m(n);
  for (size_t i = 0; i < n; ++i) m[i] = axis.count_within(values[i], radius[i]);
  const double mi =
      digamma(static_cast<double>(n)) + mean_digamma(k_all, 0) - mean_digamma(counts, 0) - mean_digamma(m, 0);
  return std::max(0.0, mi);
}

}  // namespace maas::features::search
