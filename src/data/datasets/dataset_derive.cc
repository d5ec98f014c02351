// DatasetRegistry's versions made from other versions (cleanings, splits) and read-only passes over versions (drift),
// and the recording step imports share: blobs into the artifact store, then one transaction.
#include "common/names.h"
#include "data/datasets/dataset_registry.h"
#include "data/datasets/profile.h"

namespace maas::data {
namespace {

namespace fs = std::filesystem;

void on_stage(const ImportHooks& hooks, std::string_view name) {
  if (hooks.on_stage) hooks.on_stage(name);
}

}  // namespace

DeriveWork adopt_job_output(fs::path rows_file, std::optional<fs::path> rejects_file, DerivedTable table) {
  table.wrote_rejects = rejects_file.has_value();
  return [rows_file = std::move(rows_file), rejects_file = std::move(rejects_file), table = std::move(table)](
             engine::Connection&, const std::vector<fs::path>&, const ImportTarget& target) -> Result<DerivedTable> {
    MAAS_RETURN_IF_ERROR(artifacts::move_into_upload(rows_file, target.snapshot).status());
    if (rejects_file) MAAS_RETURN_IF_ERROR(artifacts::move_into_upload(*rejects_file, target.rejects).status());
    return table;
  };
}

Result<DatasetVersionView> DatasetRegistry::record_version(const std::string& dataset, artifacts::Upload& snapshot,
                                                           artifacts::Upload* rejects, store::NewDatasetVersion version,
                                                           const ImportHooks& hooks) {
  MAAS_RETURN_IF_ERROR(snapshot.adopt_written_file().status());
  // The pins keep both blobs from garbage collection until the version that references them is recorded.
  MAAS_ASSIGN_OR_RETURN(artifacts::Pin snapshot_pin, artifacts_.commit(snapshot));
  std::optional<artifacts::Pin> rejects_pin;
  if (rejects != nullptr) {
    MAAS_RETURN_IF_ERROR(rejects->adopt_written_file().status());
    MAAS_ASSIGN_OR_RETURN(artifacts::Pin pin, artifacts_.commit(*rejects));
    rejects_pin.emplace(std::move(pin));
    version.rejects_digest = rejects_pin->digest();
    version.rejects_size_bytes = rejects->bytes_written();
  }
  on_stage(hooks, "stored");
  version.digest = snapshot_pin.digest();
  version.size_bytes = snapshot.bytes_written();
  MAAS_ASSIGN_OR_RETURN(auto record, store_.create_dataset_version(dataset, version));
  on_stage(hooks, "recorded");
  return view_of(std::move(record));
}

Result<std::vector<fs::path>> DatasetRegistry::pin_inputs(const std::vector<store::ParentVersion>& inputs,
                                                          std::vector<artifacts::Pin>& pins) {
  std::vector<fs::path> paths;
  for (const auto& input : inputs) {
    MAAS_ASSIGN_OR_RETURN(auto record, store_.get_dataset_version(input.dataset, input.version));
    MAAS_ASSIGN_OR_RETURN(artifacts::Pin pin, pin_file(record, VersionFile::kSnapshot));
    MAAS_ASSIGN_OR_RETURN(fs::path verified, artifacts_.open_verified(pin.digest()));
    paths.push_back(fs::absolute(verified).lexically_normal());
    pins.push_back(std::move(pin));
  }
  return paths;
}

Result<DatasetVersionView> DatasetRegistry::derive_version(const DeriveRequest& request, const DeriveWork& work) {
  MAAS_RETURN_IF_ERROR(validate_name(request.dataset, "dataset"));
  MAAS_RETURN_IF_ERROR(validate_tags(request.tags));
  MAAS_RETURN_IF_ERROR(store_.get_dataset(request.dataset).status());
  std::vector<artifacts::Pin> pins;
  std::vector<fs::path> inputs;
  if (request.read_inputs) {
    MAAS_ASSIGN_OR_RETURN(inputs, pin_inputs(request.inputs, pins));
  }

  MAAS_ASSIGN_OR_RETURN(auto snapshot, artifacts_.begin_upload());
  MAAS_ASSIGN_OR_RETURN(auto rejects, artifacts_.begin_upload());
  MAAS_ASSIGN_OR_RETURN(auto scratch, artifacts_.begin_upload());
  ImportTarget target{fs::absolute(snapshot->temp_path()).lexically_normal(),
                      fs::absolute(rejects->temp_path()).lexically_normal(),
                      fs::absolute(scratch->temp_path()).lexically_normal()};
  DerivedTable derived;
  Schema schema;
  TableProfile profile;
  MAAS_RETURN_IF_ERROR(with_database(inputs, target.snapshot.parent_path(), [&](engine::Connection& c) -> Status {
    MAAS_ASSIGN_OR_RETURN(derived, work(c, inputs, target));
    const std::string relation = parquet_relation(target.snapshot.string());
    MAAS_ASSIGN_OR_RETURN(schema, describe(c, relation));
    MAAS_ASSIGN_OR_RETURN(profile, profile_table(c, relation, options_.profile));
    return {};
  }));

  store::NewDatasetVersion version;
  version.row_count = derived.rows;
  version.schema = schema_to_json(schema);
  version.profile = profile_to_json(profile);
  version.rejected_rows = derived.rejected_rows;
  version.lineage = request.lineage;
  version.lineage.parents = request.inputs;
  if (!version.lineage.details.is_object()) version.lineage.details = nlohmann::json::object();
  version.lineage.details.update(derived.details);
  version.description = request.description;
  version.tags = request.tags;
  version.created_by = request.created_by;
  return record_version(request.dataset, *snapshot, derived.wrote_rejects ? rejects.get() : nullptr, std::move(version),
                        {});
}

Status DatasetRegistry::read_versions(const std::vector<store::ParentVersion>& inputs, const ReadWork& work) {
  std::vector<artifacts::Pin> pins;
  MAAS_ASSIGN_OR_RETURN(auto paths, pin_inputs(inputs, pins));
  return with_database(paths, {}, [&](engine::Connection& c) { return work(c, paths); });
}

}  // namespace maas::data
