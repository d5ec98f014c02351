// The dataset registry: the rules of datasets, versions and aliases on top of the dataset store and the artifact
// store, and the seam maasd's routes and the job executor call. It validates names and references, runs imports
// (file -> Parquet snapshot + schema + profile + rejects) and keeps the two stores consistent: a version is recorded
// only once its blobs are durable, so a crash at any point leaves a temp file (removed at the next start), an
// unreferenced blob (garbage-collected) or a complete version — never a partial one.
//
// Thread-safety: all methods may be called concurrently. Each import, preview or export opens its own DuckDB
// database (memory limit and threads from the options each), so concurrent calls multiply those.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "artifacts/artifact_store.h"
#include "common/status.h"
#include "data/datasets/export.h"
#include "data/datasets/import.h"
#include "data/datasets/import_options.h"
#include "data/datasets/preview.h"
#include "data/datasets/profile.h"
#include "data/engine/connection.h"
#include "data/engine/engine_options.h"
#include "store/dataset_store.h"

namespace maas::data {

struct DatasetRegistryOptions {
  // Memory limit and threads of each DuckDB database the registry opens; temp_directory and file_access are set
  // per call.
  engine::EngineOptions engine;
  // Each call spills under a directory of its own here. Cleared when the registry is made, so it must belong to
  // this registry alone (one per process: maasd's, or each job's).
  std::filesystem::path spill_root;
  ProfileOptions profile;  // its memory_limit_bytes is taken from `engine`
};

struct DatasetView {
  store::DatasetRecord dataset;
  std::map<std::string, int64_t> aliases;
};

struct DatasetVersionView {
  store::DatasetVersionRecord version;
  std::vector<std::string> aliases;
};

struct DatasetPage {
  std::vector<DatasetView> datasets;
  std::string next_page_token;  // empty: no more
};

struct DatasetVersionPage {
  std::vector<DatasetVersionView> versions;
  std::string next_page_token;
};

// What an import records besides the data.
struct ImportRequest {
  ImportOptions options;
  std::string source;  // lineage.source, e.g. "upload:orders.csv"
  // What is known about the input (an upload's name, size and digest); lineage.details.input when not empty.
  nlohmann::json input = nlohmann::json::object();
  std::string description;
  store::StringMap tags;
  std::string created_by;
  std::string job_id;
  // Rows a reader rejected before the import (a files source's malformed CSV lines): a file of rejects_schema()
  // kept as the version's rejects (moved into the store: gone afterwards), and their count. The input itself must
  // then reject none (a Parquet file).
  std::filesystem::path rejects_file;
  int64_t rejected_rows = 0;
};

// Hooks into a running import, for the job that runs it.
struct ImportHooks {
  // Called as the import passes each stage: "imported" (snapshot written to a temp file), "profiled", "stored"
  // (blobs moved into the artifact store, nothing recorded yet), "recorded" (the version is visible).
  std::function<void(std::string_view stage)> on_stage;
  // Called with the connection doing the work when it starts (its interrupt() cancels the import) and with nullptr
  // when it ends.
  std::function<void(engine::Connection*)> on_connection;
};

// A version made from other versions (a cleaning, a split): what the work wrote into its target, which the
// registry then profiles and records.
struct DerivedTable {
  int64_t rows = 0;
  int64_t rejected_rows = 0;
  bool wrote_rejects = false;                         // target.rejects holds the rejected rows (rejects_schema())
  nlohmann::json details = nlohmann::json::object();  // merged into the new version's lineage.details
};

struct DeriveRequest {
  std::vector<store::ParentVersion> inputs;  // resolved versions, read in this order
  // False when a job already read the inputs (its own reference kept their blobs): they are recorded as the
  // parents only, so a version deleted since does not fail the recording.
  bool read_inputs = true;
  std::string dataset;                       // the dataset the new version joins
  store::Lineage lineage;                    // source, rule, details; the parents are the inputs
  std::string description;
  store::StringMap tags;
  std::string created_by;
};

// The derivation itself: reads `inputs` (the inputs' snapshot files, in order) and writes target.snapshot (and
// target.rejects when it rejects rows) on `connection`, whose database may read those files and write beside the
// targets only.
using DeriveWork = std::function<Result<DerivedTable>(
    engine::Connection& connection, const std::vector<std::filesystem::path>& inputs, const ImportTarget& target)>;

// The work of a version a job already wrote: moves `rows_file` (and `rejects_file`, when set) into the version's
// upload files with artifacts::move_into_upload (a rename, no copy, on one filesystem) and reports `table`, its
// wrote_rejects set by whether `rejects_file` is. The files are gone afterwards.
DeriveWork adopt_job_output(std::filesystem::path rows_file, std::optional<std::filesystem::path> rejects_file,
                            DerivedTable table);

// Reads the snapshot files of `inputs` on a database that may read only them.
using ReadWork =
    std::function<Status(engine::Connection& connection, const std::vector<std::filesystem::path>& inputs)>;

// Which file of a version a read serves: the data, or the rows its import rejected.
enum class VersionFile { kSnapshot, kRejects };

struct VerifiedFile {
  std::filesystem::path path;
  std::string digest;  // hex SHA-256
  int64_t version = 0;
};

struct CallDatabase;

// An export in progress (DatasetRegistry::open_export): its own database and result cursor, and a pin that keeps the
// file it reads from garbage collection. Owned by one caller; next() from one thread at a time, any thread.
class VersionExport {
 public:
  ~VersionExport();
  VersionExport(const VersionExport&) = delete;
  VersionExport& operator=(const VersionExport&) = delete;

  // The next piece of text (whole rows); empty at the end.
  Result<std::string> next();
  int64_t rows() const { return cursor_->rows(); }
  const store::DatasetVersionRecord& version() const { return version_; }

 private:
  friend class DatasetRegistry;
  VersionExport(artifacts::Pin pin, std::unique_ptr<CallDatabase> database, store::DatasetVersionRecord version);

  artifacts::Pin pin_;
  std::unique_ptr<CallDatabase> database_;
  store::DatasetVersionRecord version_;
  std::optional<ExportCursor> cursor_;  // reads through database_'s connection
};

class DatasetRegistry {
 public:
  // Clears options.spill_root (a crash may have left spill files there).
  static Result<std::unique_ptr<DatasetRegistry>> make(store::DatasetStore& store, artifacts::ArtifactStore& artifacts,
                                                       DatasetRegistryOptions options);

  Result<DatasetView> create_dataset(const store::NewDataset& dataset);
  Result<DatasetView> get_dataset(const std::string& name);
  Result<DatasetPage> list_datasets(store::DatasetQuery query, const std::string& page_token);
  Result<DatasetView> update_dataset(const std::string& name, const store::DatasetPatch& patch);
  Status delete_dataset(const std::string& name);

  // Resolves a version reference: a number, an alias, or "latest".
  Result<int64_t> resolve(const std::string& dataset, const std::string& ref);

  // Imports `input` (a file on this machine: an upload's temp file, a source's file) as the next version of
  // `dataset`. On any error nothing is recorded and the temp files are removed.
  Result<DatasetVersionView> import_version(const std::string& dataset, const std::filesystem::path& input,
                                            const ImportRequest& request, const ImportHooks& hooks = {});

  // Runs `work` over the inputs' snapshots (pinned and re-verified) and records what it wrote as the next version
  // of request.dataset, profiled, with the inputs as its parents (dataset_derive.cc). Nothing is recorded on error.
  Result<DatasetVersionView> derive_version(const DeriveRequest& request, const DeriveWork& work);
  // Runs `work` over the inputs' snapshots, read-only (a drift check).
  Status read_versions(const std::vector<store::ParentVersion>& inputs, const ReadWork& work);

  Result<DatasetVersionView> get_version(const std::string& dataset, const std::string& ref);
  Result<DatasetVersionPage> list_versions(const std::string& dataset, store::DatasetVersionQuery query,
                                           const std::string& page_token);
  Result<DatasetVersionView> update_version(const std::string& dataset, const std::string& ref,
                                            const store::DatasetVersionPatch& patch);
  Status delete_version(const std::string& dataset, const std::string& ref);

  Result<int64_t> set_alias(const std::string& dataset, const std::string& alias, int64_t version);
  Status delete_alias(const std::string& dataset, const std::string& alias);

  // The Parquet file of the version's data (a Parquet download is this file) or of its rejected rows, its digest
  // re-verified. NOT_FOUND for the rejects of a version that rejected none.
  Result<VerifiedFile> verified_file(const std::string& dataset, const std::string& ref,
                                     VersionFile file = VersionFile::kSnapshot);
  // A page of the version's rows, or of its rejected rows (an empty page, with the rejects' columns, when the import
  // rejected none).
  Result<Preview> preview_version(const std::string& dataset, const std::string& ref, const PreviewOptions& options,
                                  VersionFile file = VersionFile::kSnapshot);
  // Streams the version as CSV or JSON Lines into `sink`; returns the rows written.
  Result<int64_t> export_version(const std::string& dataset, const std::string& ref, const ExportOptions& options,
                                 const ExportSink& sink);
  // The same export, read piece by piece by the caller (an HTTP response). Errors in the options (an unknown column)
  // are found here, before any row is read. NOT_FOUND for the rejects of a version that rejected none.
  Result<std::unique_ptr<VersionExport>> open_export(const std::string& dataset, const std::string& ref,
                                                     const ExportOptions& options,
                                                     VersionFile file = VersionFile::kSnapshot);

 private:
  DatasetRegistry(store::DatasetStore& store, artifacts::ArtifactStore& artifacts, DatasetRegistryOptions options)
      : store_(store), artifacts_(artifacts), options_(std::move(options)) {}
  Result<DatasetVersionView> view_of(store::DatasetVersionRecord record);
  // The end of an import or a derivation: the snapshot (and the rejects, when not null) written, and profiled by the
  // caller, at the uploads' temp paths move into the artifact store, then `version` (its digests and sizes filled
  // here) is recorded.
  Result<DatasetVersionView> record_version(const std::string& dataset, artifacts::Upload& snapshot,
                                            artifacts::Upload* rejects, store::NewDatasetVersion version,
                                            const ImportHooks& hooks);
  // Pins the inputs' snapshots and returns their verified paths.
  Result<std::vector<std::filesystem::path>> pin_inputs(const std::vector<store::ParentVersion>& inputs,
                                                        std::vector<artifacts::Pin>& pins);
  // A fresh database that may read `readable` and write under `writable_dir` (may be empty), spilling under a
  // directory of its own.
  Result<std::unique_ptr<CallDatabase>> open_database(const std::vector<std::filesystem::path>& readable,
                                                      const std::filesystem::path& writable_dir);
  // Runs `work` on such a database, closed when it returns.
  Status with_database(const std::vector<std::filesystem::path>& readable, const std::filesystem::path& writable_dir,
                       const std::function<Status(engine::Connection&)>& work);
  // Pins a file of a version against garbage collection for a read. NOT_FOUND for the rejects of a version that
  // rejected none, or once the version is gone.
  Result<artifacts::Pin> pin_file(const store::DatasetVersionRecord& version, VersionFile file);

  store::DatasetStore& store_;
  artifacts::ArtifactStore& artifacts_;
  DatasetRegistryOptions options_;
};

}  // namespace maas::data
