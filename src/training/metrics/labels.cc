#include "training/metrics/labels.h"

#include <algorithm>

namespace maas::training::metrics {

Status check_same_length(size_t a, size_t b, const char* what) {
  if (a == 0) return invalid_argument(std::string(what) + ": there are no samples");
  if (a != b) {
    return invalid_argument(std::string(what) + ": " + std::to_string(a) + " true values but " + std::to_string(b) +
                            " predictions");
  }
  return {};
}

std::vector<int64_t> sorted_labels(Labels a, Labels b) {
  std::vector<int64_t> labels(a.begin(), a.end());
  labels.insert(labels.end(), b.begin(), b.end());
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  return labels;
}

}  // namespace maas::training::metrics
