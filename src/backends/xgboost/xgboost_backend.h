// The XGBoost backend: gradient-boosted trees run in process through libxgboost's C API.
#pragma once

#include <filesystem>
#include <vector>

#include "common/status.h"
#include "runtime/backend.h"

namespace maas::backends {

// Loads a booster saved as JSON, UBJSON or the legacy binary format and predicts in place from a dense FP32
// (or FP64) [N, num_feature] matrix; NaN marks a missing value. The request parameter "output" picks what is
// returned: "probability" (the default: the objective's transformed value), "margin" (untransformed sums),
// "contribs" (each feature's SHAP contribution to the margin, and the bias last: [N, num_feature + 1], or
// [N, num_class, num_feature + 1] for a multi-class model) or "leaf" (per-tree leaf indices as FP32, [N, num_trees]).
//
// Owned by one worker; not thread-safe (libxgboost keeps the prediction buffer per booster and thread).
class XgboostBackend final : public runtime::Backend {
 public:
  XgboostBackend() = default;
  ~XgboostBackend() override;
  XgboostBackend(const XgboostBackend&) = delete;
  XgboostBackend& operator=(const XgboostBackend&) = delete;

  Status load(const std::filesystem::path& artifact, const runtime::BackendConfig& config) override;
  const runtime::ModelSignature& signature() const override { return signature_; }
  Result<std::vector<runtime::Tensor>> execute(const runtime::ExecuteRequest& request) override;

 private:
  void* booster_ = nullptr;  // BoosterHandle; kept as void* so that c_api.h stays out of this header
  int threads_ = 1;
  runtime::ModelSignature signature_;
};

}  // namespace maas::backends
