#include "data/datasets/dataset_json.h"

#include "common/clock.h"

namespace maas::data {

using nlohmann::json;

json dataset_json(const DatasetView& view) {
  const auto& d = view.dataset;
  return {{"name", d.name},
          {"description", d.description},
          {"tags", d.tags},
          {"created_at", format_rfc3339_ms(d.created_at_ms)},
          {"updated_at", format_rfc3339_ms(d.updated_at_ms)},
          {"latest_version", d.latest_version == 0 ? json(nullptr) : json(d.latest_version)},
          {"version_count", d.version_count},
          {"aliases", view.aliases}};
}

json dataset_version_json(const DatasetVersionView& view, bool with_profile) {
  const auto& v = view.version;
  json out = {{"dataset", v.dataset},
              {"version", v.version},
              {"digest", "sha256:" + v.digest},
              {"size_bytes", v.size_bytes},
              {"row_count", v.row_count},
              {"schema", v.schema},
              {"rejected_rows", v.rejected_rows},
              {"rejects_digest", v.rejects_digest.empty() ? json(nullptr) : json("sha256:" + v.rejects_digest)},
              {"rejects_size_bytes", v.rejects_size_bytes},
              {"lineage", store::lineage_to_json(v.lineage)},
              {"description", v.description},
              {"tags", v.tags},
              {"state", v.state},
              {"aliases", view.aliases},
              {"created_by", v.created_by},
              {"created_at", format_rfc3339_ms(v.created_at_ms)},
              {"updated_at", format_rfc3339_ms(v.updated_at_ms)}};
  if (with_profile) out["profile"] = v.profile;
  return out;
}

}  // namespace maas::data
