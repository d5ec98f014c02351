#include "store/metadata_store.h"

namespace maas::store {

bool is_allowed_transition(std::string_view from, std::string_view to) {
  if (from == kStateRegistered) return to == kStateReady || to == kStateRetired;
  if (from == kStateReady) return to == kStateRetired;
  if (from == kStateRetired) return to == kStateReady;
  return false;
}

bool apply_evaluation(VersionRecord& version, const Evaluation& evaluation) {
  if (!version.lineage.is_object()) version.lineage = nlohmann::json::object();
  nlohmann::json& evaluations = version.lineage["evaluations"];
  if (!evaluations.is_array()) evaluations = nlohmann::json::array();
  for (const nlohmann::json& e : evaluations) {
    if (e.is_object() && e.contains("job_id") && e["job_id"] == evaluation.job_id) return false;
  }
  nlohmann::json entry = evaluation.entry.is_object() ? evaluation.entry : nlohmann::json::object();
  entry["job_id"] = evaluation.job_id;
  evaluations.push_back(std::move(entry));
  if (!version.metrics.is_object()) version.metrics = nlohmann::json::object();
  if (evaluation.metrics.is_object()) version.metrics.update(evaluation.metrics);
  return true;
}

}  // namespace maas::store
