// Mutual information between one continuous feature and the label, by scikit-learn 1.2's estimators with
// n_neighbors = 3: Kraskov et al.'s kNN estimator for a continuous label (mutual_info_regression) and Ross's for a
// discrete one (mutual_info_classif). As sklearn, both scale the feature (and a continuous label) to unit
// population standard deviation and answer max(0, estimate). Unlike sklearn, no noise is added to break ties, so
// on data without ties the value equals sklearn's; with ties it may differ. Rows where the feature is NaN are left
// out (sklearn refuses NaN). Pure functions; no threading.
#pragma once

#include <cstdint>
#include <span>

namespace maas::features::search {

inline constexpr int kNeighbors = 3;

// Feature and label of the same length.
double mutual_info_continuous(std::span<const double> feature, std::span<const double> label);
double mutual_info_discrete(std::span<const double> feature, std::span<const int64_t> label);

// The digamma function, to about 1e-13 for x > 0.
double digamma(double x);

}  // namespace maas::features::search
