// Reads one fold request per line of stdin — {"cv": params.cv of train.cv, "rows", "labels"?, "groups"?} — and
// writes one line per request: {"folds": [{"train": [...], "test": [...]}]} or {"error": "..."}. The
// scikit-learn fidelity test (tests/integration/test_train_cv.py) drives it.
#include <iostream>
#include <string>

#include "training/cv/cv_spec.h"

namespace {

using nlohmann::json;

json answer(const json& request) {
  if (!request.is_object() || !request.contains("cv") || !request.contains("rows")) return {{"error", "bad request"}};
  auto spec = maas::training::cv::cv_spec_from_json(request["cv"], json());
  if (!spec.ok()) return {{"error", spec.status().message()}};
  const auto labels = request.value("labels", std::vector<double>{});
  const auto groups = request.value("groups", std::vector<int64_t>{});
  auto folds = maas::training::cv::make_folds(spec->folds, request["rows"].get<size_t>(), labels, groups);
  if (!folds.ok()) return {{"error", folds.status().message()}};
  json out = json::array();
  for (const auto& fold : *folds) out.push_back({{"train", fold.train}, {"test", fold.test}});
  return {{"folds", out}};
}

}  // namespace

int main() try {
  std::string line;
  while (std::getline(std::cin, line))
    std::cout << answer(json::parse(line, nullptr, false)).dump() << "\n" << std::flush;
  return 0;
} catch (const std::exception& e) {
  std::cerr << "training_folds_check: " << e.what() << "\n";
  return 1;
}
