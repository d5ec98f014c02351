#include "data/datasets/dataset_registry.h"

#include <system_error>

#include "common/files.h"
#include "common/names.h"
#include "common/paging.h"
#include "common/random.h"
#include "data/datasets/import.h"
#include "data/engine/database.h"

namespace maas::data {
namespace {

namespace fs = std::filesystem;

Status check_description(const std::string& description) {
  if (description.size() > 8192) return invalid_argument("description is over 8192 characters");
  return {};
}

Status check_state(const std::string& state) {
  if (state != store::kDatasetReady && state != store::kDatasetRetired) {
    return invalid_argument("state must be ready or retired, got '" + state + "'");
  }
  return {};
}

void stage(const ImportHooks& hooks, std::string_view name) {
  if (hooks.on_stage) hooks.on_stage(name);
}

}  // namespace

Result<std::unique_ptr<DatasetRegistry>> DatasetRegistry::make(store::DatasetStore& store,
                                                               artifacts::ArtifactStore& artifacts,
                                                               DatasetRegistryOptions options) {
  MAAS_RETURN_IF_ERROR(options.engine.validate());
  options.profile.memory_limit_bytes = options.engine.memory_limit_bytes;
  MAAS_RETURN_IF_ERROR(options.profile.validate());
  if (options.spill_root.empty()) return invalid_argument("the dataset registry needs a spill directory");
  std::error_code ec;
  fs::remove_all(options.spill_root, ec);
  fs::create_directories(options.spill_root, ec);
  if (ec) return internal_error("cannot create " + options.spill_root.string() + ": " + ec.message());
  return std::unique_ptr<DatasetRegistry>(new DatasetRegistry(store, artifacts, std::move(options)));
}

Status DatasetRegistry::with_database(const std::vector<fs::path>& readable, const fs::path& writable_dir,
                                      const std::function<Status(engine::Connection&)>& work) {
  MAAS_ASSIGN_OR_RETURN(ScopedDirectory spill, ScopedDirectory::create(options_.spill_root / ("db-" + random_hex(8))));
  engine::EngineOptions engine = options_.engine;
  engine.temp_directory = spill.path();
  engine.file_access = engine::FileAccess{readable, {}};
  if (!writable_dir.empty()) engine.file_access->directories.push_back(writable_dir);
  MAAS_ASSIGN_OR_RETURN(auto database, engine::Database::open(engine));
  MAAS_ASSIGN_OR_RETURN(engine::Connection connection, database->connect());
  return work(connection);
}

Result<DatasetView> DatasetRegistry::create_dataset(const store::NewDataset& dataset) {
  MAAS_RETURN_IF_ERROR(validate_name(dataset.name, "dataset"));
  MAAS_RETURN_IF_ERROR(validate_tags(dataset.tags));
  MAAS_RETURN_IF_ERROR(check_description(dataset.description));
  MAAS_ASSIGN_OR_RETURN(auto record, store_.create_dataset(dataset));
  return DatasetView{std::move(record), {}};
}

Result<DatasetView> DatasetRegistry::get_dataset(const std::string& name) {
  MAAS_RETURN_IF_ERROR(validate_name(name, "dataset"));
  MAAS_ASSIGN_OR_RETURN(auto record, store_.get_dataset(name));
  MAAS_ASSIGN_OR_RETURN(auto aliases, store_.dataset_aliases(name));
  return DatasetView{std::move(record), std::move(aliases)};
}

Result<DatasetPage> DatasetRegistry::list_datasets(store::DatasetQuery query, const std::string& page_token) {
  MAAS_RETURN_IF_ERROR(check_page_limit(query.limit));
  if (!page_token.empty()) {
    MAAS_ASSIGN_OR_RETURN(query.after_name, name_from_page_token(page_token));
  }
  bool more = false;
  MAAS_ASSIGN_OR_RETURN(auto records, fetch_page(query.limit, [&](int n) {
    query.limit = n;
    return store_.list_datasets(query);
  }, &more));
  DatasetPage page;
  for (auto& r : records) {
    MAAS_ASSIGN_OR_RETURN(auto aliases, store_.dataset_aliases(r.name));
    page.datasets.push_back(DatasetView{std::move(r), std::move(aliases)});
  }
  if (more) page.next_page_token = page.datasets.back().dataset.name;
  return page;
}

Result<DatasetView> DatasetRegistry::update_dataset(const std::string& name, const store::DatasetPatch& patch) {
  MAAS_RETURN_IF_ERROR(validate_name(name, "dataset"));
  if (patch.tags) MAAS_RETURN_IF_ERROR(validate_tags(*patch.tags));
  if (patch.description) MAAS_RETURN_IF_ERROR(check_description(*patch.description));
  MAAS_RETURN_IF_ERROR(store_.update_dataset(name, patch).status());
  return get_dataset(name);
}

Status DatasetRegistry::delete_dataset(const std::string& name) {
  MAAS_RETURN_IF_ERROR(validate_name(name, "dataset"));
  return store_.delete_dataset(name);
}

Result<int64_t> DatasetRegistry::resolve(const std::string& dataset, const std::string& ref) {
  MAAS_RETURN_IF_ERROR(validate_name(dataset, "dataset"));
  long long number = 0;
  if (parse_version_number(ref, &number)) return static_cast<int64_t>(number);
  if (ref == "latest") return store_.latest_dataset_version(dataset);
  if (!validate_alias(ref).ok()) {
    return invalid_argument("'" + ref + "' is neither a version number, an alias nor 'latest'");
  }
  return store_.get_dataset_alias(dataset, ref);
}

Result<DatasetVersionView> DatasetRegistry::import_version(const std::string& dataset, const fs::path& input,
                                                           const ImportRequest& request, const ImportHooks& hooks) {
  MAAS_RETURN_IF_ERROR(validate_name(dataset, "dataset"));
  MAAS_RETURN_IF_ERROR(request.options.validate());
  MAAS_RETURN_IF_ERROR(validate_tags(request.tags));
  MAAS_RETURN_IF_ERROR(check_description(request.description));
  MAAS_RETURN_IF_ERROR(store_.get_dataset(dataset).status());

  // The snapshot and the rejects are written where uploads are, so a crash leaves only temp files that the artifact
  // store removes at its next start; the scratch file goes with its upload too.
  MAAS_ASSIGN_OR_RETURN(auto snapshot, artifacts_.begin_upload());
  MAAS_ASSIGN_OR_RETURN(auto rejects, artifacts_.begin_upload());
  MAAS_ASSIGN_OR_RETURN(auto scratch, artifacts_.begin_upload());
  ImportTarget target{snapshot->temp_path(), rejects->temp_path(), scratch->temp_path()};
  ImportResult imported;
  TableProfile profile;
  Status work = with_database({input}, snapshot->temp_path().parent_path(), [&](engine::Connection& c) -> Status {
    if (hooks.on_connection) hooks.on_connection(&c);
    Status status = [&]() -> Status {
      MAAS_ASSIGN_OR_RETURN(imported, import_file(c, input, request.options, target));
      stage(hooks, "imported");
      MAAS_ASSIGN_OR_RETURN(profile, profile_table(c, parquet_relation(target.snapshot.string()), options_.profile));
      stage(hooks, "profiled");
      return {};
    }();
    if (hooks.on_connection) hooks.on_connection(nullptr);
    return status;
  });
  MAAS_RETURN_IF_ERROR(work);

  MAAS_RETURN_IF_ERROR(snapshot->adopt_written_file().status());
  MAAS_ASSIGN_OR_RETURN(artifacts::Pin snapshot_pin, artifacts_.commit(*snapshot));
  std::optional<artifacts::Pin> rejects_pin;
  if (imported.wrote_rejects) {
    MAAS_RETURN_IF_ERROR(rejects->adopt_written_file().status());
    MAAS_ASSIGN_OR_RETURN(artifacts::Pin pin, artifacts_.commit(*rejects));
    rejects_pin.emplace(std::move(pin));
  }
  stage(hooks, "stored");

  store::NewDatasetVersion version;
  version.digest = snapshot_pin.digest();
  version.size_bytes = snapshot->bytes_written();
  version.row_count = imported.rows;
  version.schema = schema_to_json(imported.schema);
  version.profile = profile_to_json(profile);
  if (rejects_pin) {
    version.rejects_digest = rejects_pin->digest();
    version.rejects_size_bytes = rejects->bytes_written();
  }
  version.rejected_rows = imported.rejected_rows;
  version.lineage.source = request.source;
  version.lineage.job_id = request.job_id;
  version.lineage.details = {{"import", import_options_to_json(request.options)}};
  version.description = request.description;
  version.tags = request.tags;
  version.created_by = request.created_by;
  MAAS_ASSIGN_OR_RETURN(auto record, store_.create_dataset_version(dataset, version));
  stage(hooks, "recorded");
  return view_of(std::move(record));
}

Result<DatasetVersionView> DatasetRegistry::view_of(store::DatasetVersionRecord record) {
  DatasetVersionView view;
  MAAS_ASSIGN_OR_RETURN(auto aliases, store_.dataset_aliases(record.dataset));
  for (const auto& [alias, v] : aliases) {
    if (v == record.version) view.aliases.push_back(alias);
  }
  view.version = std::move(record);
  return view;
}

Result<DatasetVersionView> DatasetRegistry::get_version(const std::string& dataset, const std::string& ref) {
  MAAS_ASSIGN_OR_RETURN(int64_t v, resolve(dataset, ref));
  MAAS_ASSIGN_OR_RETURN(auto record, store_.get_dataset_version(dataset, v));
  return view_of(std::move(record));
}

Result<DatasetVersionPage> DatasetRegistry::list_versions(const std::string& dataset, store::DatasetVersionQuery query,
                                                          const std::string& page_token) {
  MAAS_RETURN_IF_ERROR(validate_name(dataset, "dataset"));
  MAAS_RETURN_IF_ERROR(check_page_limit(query.limit));
  if (query.state) MAAS_RETURN_IF_ERROR(check_state(*query.state));
  if (!page_token.empty()) {
    MAAS_ASSIGN_OR_RETURN(query.before_version, version_from_page_token(page_token));
  }
  bool more = false;
  MAAS_ASSIGN_OR_RETURN(auto records, fetch_page(query.limit, [&](int n) {
    query.limit = n;
    return store_.list_dataset_versions(dataset, query);
  }, &more));
  DatasetVersionPage page;
  for (auto& r : records) {
    MAAS_ASSIGN_OR_RETURN(auto view, view_of(std::move(r)));
    page.versions.push_back(std::move(view));
  }
  if (more) page.next_page_token = std::to_string(page.versions.back().version.version);
  return page;
}

Result<DatasetVersionView> DatasetRegistry::update_version(const std::string& dataset, const std::string& ref,
                                                           const store::DatasetVersionPatch& patch) {
  MAAS_ASSIGN_OR_RETURN(int64_t v, resolve(dataset, ref));
  if (patch.tags) MAAS_RETURN_IF_ERROR(validate_tags(*patch.tags));
  if (patch.description) MAAS_RETURN_IF_ERROR(check_description(*patch.description));
  if (patch.state) MAAS_RETURN_IF_ERROR(check_state(*patch.state));
  MAAS_ASSIGN_OR_RETURN(auto record, store_.update_dataset_version(dataset, v, patch));
  return view_of(std::move(record));
}

Status DatasetRegistry::delete_version(const std::string& dataset, const std::string& ref) {
  MAAS_ASSIGN_OR_RETURN(int64_t v, resolve(dataset, ref));
  return store_.delete_dataset_version(dataset, v);
}

Result<int64_t> DatasetRegistry::set_alias(const std::string& dataset, const std::string& alias, int64_t version) {
  MAAS_RETURN_IF_ERROR(validate_name(dataset, "dataset"));
  MAAS_RETURN_IF_ERROR(validate_alias(alias));
  MAAS_RETURN_IF_ERROR(store_.set_dataset_alias(dataset, alias, version));
  return version;
}

Status DatasetRegistry::delete_alias(const std::string& dataset, const std::string& alias) {
  MAAS_RETURN_IF_ERROR(validate_name(dataset, "dataset"));
  MAAS_RETURN_IF_ERROR(validate_alias(alias));
  return store_.delete_dataset_alias(dataset, alias);
}

Result<fs::path> DatasetRegistry::snapshot_path(const std::string& dataset, const std::string& ref) {
  MAAS_ASSIGN_OR_RETURN(auto view, get_version(dataset, ref));
  return artifacts_.open_verified(view.version.digest);
}

Result<fs::path> DatasetRegistry::rejects_path(const std::string& dataset, const std::string& ref) {
  MAAS_ASSIGN_OR_RETURN(auto view, get_version(dataset, ref));
  if (view.version.rejects_digest.empty()) {
    return not_found("version " + std::to_string(view.version.version) + " of dataset '" + dataset +
                     "' rejected no rows");
  }
  return artifacts_.open_verified(view.version.rejects_digest);
}

Result<Preview> DatasetRegistry::preview_version(const std::string& dataset, const std::string& ref,
                                                 const PreviewOptions& options) {
  MAAS_ASSIGN_OR_RETURN(fs::path path, snapshot_path(dataset, ref));
  Preview out;
  MAAS_RETURN_IF_ERROR(with_database({path}, {}, [&](engine::Connection& c) -> Status {
    MAAS_ASSIGN_OR_RETURN(out, preview(c, parquet_relation(path.string()), options));
    return {};
  }));
  return out;
}

Result<int64_t> DatasetRegistry::export_version(const std::string& dataset, const std::string& ref,
                                                const ExportOptions& options, const ExportSink& sink) {
  MAAS_ASSIGN_OR_RETURN(fs::path path, snapshot_path(dataset, ref));
  int64_t rows = 0;
  MAAS_RETURN_IF_ERROR(with_database({path}, {}, [&](engine::Connection& c) -> Status {
    MAAS_ASSIGN_OR_RETURN(rows, export_rows(c, parquet_relation(path.string()), options, sink));
    return {};
  }));
  return rows;
}

}  // namespace maas::data
