#include "data/datasets/dataset_registry.h"

#include <system_error>

#include "common/files.h"
#include "common/names.h"
#include "common/paging.h"
#include "common/random.h"
#include "data/datasets/import.h"
#include "data/datasets/row_encoder.h"
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

// DuckDB's file sandbox compares absolute paths; the stores may have been opened with relative ones.
fs::path absolute_path(const fs::path& path) { return fs::absolute(path).lexically_normal(); }

// `status` as the importer's caller should read it: every mention of `path` (DuckDB quotes the file it read)
// replaced by `name`, so an upload's error names the upload, not where the server keeps its temp files; and without
// DuckDB's "LINE 1: <sql>" pointer, since that SQL is the import's own, not the caller's.
Status without_path(const Status& status, const fs::path& path, const std::string& name) {
  if (name.empty()) return status;
  std::string message = status.message();
  if (size_t sql = message.find("\nLINE "); sql != std::string::npos) {
    message.erase(sql);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  }
  // The whole path first, then the file's name alone (the import's own messages use it).
  for (const std::string& text : {path.string(), path.filename().string()}) {
    for (size_t at = message.find(text); at != std::string::npos; at = message.find(text, at + name.size())) {
      message.replace(at, text.size(), name);
    }
  }
  return Status(status.code(), std::move(message));
}

Status no_rejects(const std::string& dataset, int64_t version) {
  return not_found("version " + std::to_string(version) + " of dataset '" + dataset + "' rejected no rows");
}

const std::string& digest_of(const store::DatasetVersionRecord& version, VersionFile file) {
  return file == VersionFile::kSnapshot ? version.digest : version.rejects_digest;
}

// The columns of a version's file, as recorded (the snapshot's) or fixed (the rejects').
Schema schema_of(const store::DatasetVersionRecord& version, VersionFile file) {
  if (file == VersionFile::kRejects) return rejects_schema();
  return schema_from_json(version.schema);
}

// A stored file that DuckDB cannot read is the server's problem, not the caller's: INTERNAL, not INVALID_ARGUMENT.
// Running out of memory or time keeps its code.
Status stored_file_error(const Status& status, const store::DatasetVersionRecord& version) {
  if (status.ok() || status.code() != StatusCode::kInvalidArgument) return status;
  return internal_error("cannot read the stored file of version " + std::to_string(version.version) +
                        " of dataset '" + version.dataset + "': " + status.message());
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
  options.spill_root = absolute_path(options.spill_root);
  std::error_code ec;
  fs::remove_all(options.spill_root, ec);
  fs::create_directories(options.spill_root, ec);
  if (ec) return internal_error("cannot create " + options.spill_root.string() + ": " + ec.message());
  return std::unique_ptr<DatasetRegistry>(new DatasetRegistry(store, artifacts, std::move(options)));
}

// Members in the order they are made; destroyed in reverse (the connection before its database, the database before
// its spill directory).
struct CallDatabase {
  ScopedDirectory spill;
  std::unique_ptr<engine::Database> database;
  engine::Connection connection;
};

VersionExport::VersionExport(artifacts::Pin pin, std::unique_ptr<CallDatabase> database,
                             store::DatasetVersionRecord version)
    : pin_(std::move(pin)), database_(std::move(database)), version_(std::move(version)) {}

VersionExport::~VersionExport() = default;

Result<std::unique_ptr<CallDatabase>> DatasetRegistry::open_database(const std::vector<fs::path>& readable,
                                                                     const fs::path& writable_dir) {
  MAAS_ASSIGN_OR_RETURN(ScopedDirectory spill, ScopedDirectory::create(options_.spill_root / ("db-" + random_hex(8))));
  engine::EngineOptions engine = options_.engine;
  engine.temp_directory = spill.path();
  engine.file_access = engine::FileAccess{readable, {}};
  if (!writable_dir.empty()) engine.file_access->directories.push_back(writable_dir);
  MAAS_ASSIGN_OR_RETURN(auto database, engine::Database::open(engine));
  MAAS_ASSIGN_OR_RETURN(engine::Connection connection, database->connect());
  return std::unique_ptr<CallDatabase>(
      new CallDatabase{std::move(spill), std::move(database), std::move(connection)});
}

Status DatasetRegistry::with_database(const std::vector<fs::path>& readable, const fs::path& writable_dir,
                                      const std::function<Status(engine::Connection&)>& work) {
  MAAS_ASSIGN_OR_RETURN(auto db, open_database(readable, writable_dir));
  return work(db->connection);
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
  ImportTarget target{absolute_path(snapshot->temp_path()), absolute_path(rejects->temp_path()),
                      absolute_path(scratch->temp_path())};
  ImportResult imported;
  TableProfile profile;
  const fs::path source = absolute_path(input);
  Status work = with_database({source}, target.snapshot.parent_path(), [&](engine::Connection& c) -> Status {
    if (hooks.on_connection) hooks.on_connection(&c);
    Status status = [&]() -> Status {
      MAAS_ASSIGN_OR_RETURN(imported, import_file(c, source, request.options, target));
      if (!request.rejects_file.empty()) {
        if (imported.wrote_rejects) return internal_error("an import with a reader's rejects rejected rows itself");
        MAAS_RETURN_IF_ERROR(artifacts::move_into_upload(request.rejects_file, target.rejects).status());
        imported.rejected_rows = request.rejected_rows;
        imported.wrote_rejects = true;
      }
      stage(hooks, "imported");
      MAAS_ASSIGN_OR_RETURN(profile, profile_table(c, parquet_relation(target.snapshot.string()), options_.profile));
      stage(hooks, "profiled");
      return {};
    }();
    if (hooks.on_connection) hooks.on_connection(nullptr);
    return status;
  });
  if (!work.ok()) return without_path(work, source, request.source);

  store::NewDatasetVersion version;
  version.row_count = imported.rows;
  version.schema = schema_to_json(imported.schema);
  version.profile = profile_to_json(profile);
  version.rejected_rows = imported.rejected_rows;
  version.lineage.source = request.source;
  version.lineage.job_id = request.job_id;
  version.lineage.details = {{"import", import_options_to_json(request.options)}};
  if (!request.input.empty()) version.lineage.details["input"] = request.input;
  version.description = request.description;
  version.tags = request.tags;
  version.created_by = request.created_by;
  return record_version(dataset, *snapshot, imported.wrote_rejects ? rejects.get() : nullptr, std::move(version),
                        hooks);
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

Result<VerifiedFile> DatasetRegistry::verified_file(const std::string& dataset, const std::string& ref,
                                                    VersionFile file) {
  MAAS_ASSIGN_OR_RETURN(auto view, get_version(dataset, ref));
  std::string digest = digest_of(view.version, file);
  if (digest.empty()) return no_rejects(dataset, view.version.version);
  MAAS_ASSIGN_OR_RETURN(fs::path path, artifacts_.open_verified(digest));
  return VerifiedFile{std::move(path), std::move(digest), view.version.version};
}

Result<artifacts::Pin> DatasetRegistry::pin_file(const store::DatasetVersionRecord& version, VersionFile file) {
  const std::string& digest = digest_of(version, file);
  if (digest.empty()) return no_rejects(version.dataset, version.version);
  artifacts::Pin pin = artifacts_.pin(digest);
  // The version may have been deleted and its blob collected between the lookup and the pin.
  if (!artifacts_.contains(digest)) {
    return not_found("version " + std::to_string(version.version) + " of dataset '" + version.dataset +
                     "' was deleted");
  }
  return pin;
}

Result<Preview> DatasetRegistry::preview_version(const std::string& dataset, const std::string& ref,
                                                 const PreviewOptions& options, VersionFile file) {
  MAAS_ASSIGN_OR_RETURN(auto view, get_version(dataset, ref));
  // The caller's mistakes are found from the recorded schema; what fails past this point is the stored file's.
  MAAS_RETURN_IF_ERROR(check_preview_options(options));
  MAAS_ASSIGN_OR_RETURN(RowEncoder encoder, RowEncoder::make(schema_of(view.version, file), options.columns));
  if (digest_of(view.version, file).empty()) {
    Preview empty;  // no rejected rows
    empty.columns = encoder.fields();
    return empty;
  }
  MAAS_ASSIGN_OR_RETURN(artifacts::Pin pin, pin_file(view.version, file));
  fs::path path = absolute_path(artifacts_.blob_path(pin.digest()));
  Preview out;
  Status read = with_database({path}, {}, [&](engine::Connection& c) -> Status {
    MAAS_ASSIGN_OR_RETURN(out, preview(c, parquet_relation(path.string()), options));
    return {};
  });
  MAAS_RETURN_IF_ERROR(stored_file_error(read, view.version));
  return out;
}

Result<int64_t> DatasetRegistry::export_version(const std::string& dataset, const std::string& ref,
                                                const ExportOptions& options, const ExportSink& sink) {
  MAAS_ASSIGN_OR_RETURN(auto exporting, open_export(dataset, ref, options));
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(std::string piece, exporting->next());
    if (piece.empty()) break;
    MAAS_RETURN_IF_ERROR(sink(piece));
  }
  return exporting->rows();
}

Result<std::unique_ptr<VersionExport>> DatasetRegistry::open_export(const std::string& dataset, const std::string& ref,
                                                                    const ExportOptions& options, VersionFile file) {
  MAAS_ASSIGN_OR_RETURN(auto view, get_version(dataset, ref));
  MAAS_RETURN_IF_ERROR(RowEncoder::make(schema_of(view.version, file), options.columns).status());
  MAAS_ASSIGN_OR_RETURN(artifacts::Pin pin, pin_file(view.version, file));
  // A whole read: the file is checked against its digest first, as a Parquet download is.
  MAAS_ASSIGN_OR_RETURN(fs::path verified, artifacts_.open_verified(pin.digest()));
  const fs::path path = absolute_path(verified);
  MAAS_ASSIGN_OR_RETURN(auto database, open_database({path}, {}));
  std::unique_ptr<VersionExport> out(new VersionExport(std::move(pin), std::move(database), view.version));
  auto cursor = ExportCursor::open(out->database_->connection, parquet_relation(path.string()), options);
  MAAS_RETURN_IF_ERROR(stored_file_error(cursor.status(), view.version));
  out->cursor_.emplace(std::move(cursor).value());
  return out;
}

Result<std::string> VersionExport::next() {
  auto piece = cursor_->next();
  if (!piece.ok()) return stored_file_error(piece.status(), version_);
  return piece;
}

}  // namespace maas::data
