#include "store/dataset_store.h"

namespace maas::store {

using nlohmann::json;

json lineage_to_json(const Lineage& lineage) {
  json parents = json::array();
  for (const auto& p : lineage.parents) parents.push_back({{"dataset", p.dataset}, {"version", p.version}});
  return {{"source", lineage.source}, {"rule", lineage.rule}, {"parents", parents}, {"job_id", lineage.job_id},
          {"details", lineage.details}};
}

Lineage lineage_from_json(const json& j) {
  Lineage out;
  if (!j.is_object()) return out;
  auto text = [&](const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  out.source = text("source");
  out.rule = text("rule");
  out.job_id = text("job_id");
  if (auto it = j.find("details"); it != j.end() && it->is_object()) out.details = *it;
  if (auto it = j.find("parents"); it != j.end() && it->is_array()) {
    for (const auto& p : *it) {
      if (!p.is_object()) continue;
      auto dataset = p.find("dataset");
      auto version = p.find("version");
      if (dataset == p.end() || !dataset->is_string() || version == p.end() || !version->is_number_integer()) continue;
      out.parents.push_back({dataset->get<std::string>(), version->get<int64_t>()});
    }
  }
  return out;
}

}  // namespace maas::store
