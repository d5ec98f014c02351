// What every metric of the training center shares: class labels as integers, scores as a row-major matrix, and
// the checks that both sides of a comparison have the same length. Conventions follow scikit-learn 1.2, which the
// metrics are tested against to 1e-9.
//
// Thread-safety: free functions over caller-owned spans; nothing is shared.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"

namespace maas::training::metrics {

using Labels = std::span<const int64_t>;
using Values = std::span<const double>;

// n rows of `cols` scores each (class probabilities, one column per class in label order).
struct ScoreMatrix {
  Values values;
  size_t cols = 0;
  size_t rows() const { return cols == 0 ? 0 : values.size() / cols; }
  double at(size_t row, size_t col) const { return values[row * cols + col]; }
};

// sklearn's `average`: binary scores pos_label only; micro pools the counts; macro is the plain mean over labels;
// weighted weighs each label by its count in y_true.
enum class Average { kBinary, kMicro, kMacro, kWeighted };
// sklearn's zero_division: what a 0/0 precision or recall becomes ("warn" behaves as zero).
enum class ZeroDivision { kZero, kOne };

// INVALID_ARGUMENT unless `a` and `b` are as long and not empty.
Status check_same_length(size_t a, size_t b, const char* what);
// The labels that occur in either list, ascending (sklearn's unique_labels).
std::vector<int64_t> sorted_labels(Labels a, Labels b = {});

}  // namespace maas::training::metrics
