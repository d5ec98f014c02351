// Inference requests that feed the online store: a model version with a feature view attached gets, for each row
// of a raw-column KServe v2 request (the view's entity, time and value columns as named inputs of shape [N] or
// [N, 1]), the row appended to its entity and the view's features, in the view's order, as one [N, features] tensor
// named after the one model input the request does not carry (FP32 or FP64, as the signature declares). The raw
// columns are consumed. docs/FEATURES.md#online-features.
//
// Thread-safety: every method may be called from any thread; attachments are cached under a shared mutex.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <utility>

#include "api/infer_input_hook.h"
#include "features/online/feature_view_store.h"
#include "features/online/online_store.h"

namespace maas::features::online {

class InferenceFeatures final : public api::InferInputHook {
 public:
  InferenceFeatures(OnlineStore& store, FeatureViewStore& records) : store_(store), records_(records) {}

  // Reads the attachments from metadata.db.
  Status load();
  Status attach(const std::string& model, int64_t version, const std::string& view);
  Status detach(const std::string& model, int64_t version);
  std::optional<std::string> attached(const std::string& model, int64_t version) const;

  Status before_infer(const std::string& model, int64_t version, const runtime::ModelSignature& signature,
                      protocol::InferRequest& request) override;

 private:
  OnlineStore& store_;
  FeatureViewStore& records_;
  mutable std::shared_mutex mu_;
  std::map<std::pair<std::string, int64_t>, std::string> attached_;
};

}  // namespace maas::features::online
