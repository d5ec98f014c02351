// The dataset registry's durable state: datasets, their immutable versions (a Parquet snapshot in the artifact store
// with its schema, row count, profile, rejected rows and lineage), and aliases. An interface beside MetadataStore, so
// an engine other than the embedded SQLite one implements the same calls without touching callers.
//
// Thread-safety: every method may be called from any thread; each applies whole or not at all.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "store/metadata_store.h"

namespace maas::store {

struct DatasetRecord {
  std::string name;
  std::string description;
  StringMap tags;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  int64_t latest_version = 0;  // highest version number ever assigned (0: none yet)
  int64_t version_count = 0;   // versions that exist now
};

struct NewDataset {
  std::string name;
  std::string description;
  StringMap tags;
};

struct DatasetPatch {
  std::optional<std::string> description;
  std::optional<StringMap> tags;
};

struct DatasetQuery {
  std::string prefix;
  std::string after_name;  // keyset pagination: names strictly greater than this
  int limit = 100;
};

// A dataset version is created whole and complete (`ready`); retiring keeps it but takes it out of "latest".
inline constexpr std::string_view kDatasetReady = "ready";
inline constexpr std::string_view kDatasetRetired = "retired";

// A version that a version was made from.
struct ParentVersion {
  std::string dataset;
  int64_t version = 0;
};

// Where a version came from: recorded once, at creation, and never changed.
struct Lineage {
  std::string source;   // "file:<name>", "upload:<name>", later "source:<name>"
  std::string rule;     // the extraction or cleaning rule that made it, "<name>@<version>"; empty for imports
  std::vector<ParentVersion> parents;
  std::string job_id;   // the job that made it; empty when made inline
  nlohmann::json details = nlohmann::json::object();  // e.g. the import's format and options
};

struct DatasetVersionRecord {
  std::string dataset;
  int64_t version = 0;
  std::string digest;  // hex SHA-256 of the Parquet snapshot
  uint64_t size_bytes = 0;
  int64_t row_count = 0;
  nlohmann::json schema = nlohmann::json::array();    // [{"name", "type"}]
  nlohmann::json profile = nlohmann::json::object();  // per-column statistics (data/datasets/profile.h)
  std::string rejects_digest;                         // Parquet of the rejected input rows; empty when none
  uint64_t rejects_size_bytes = 0;
  int64_t rejected_rows = 0;
  Lineage lineage;
  std::string description;
  StringMap tags;
  std::string state;
  std::string created_by;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

struct NewDatasetVersion {
  std::string digest;
  uint64_t size_bytes = 0;
  int64_t row_count = 0;
  nlohmann::json schema = nlohmann::json::array();
  nlohmann::json profile = nlohmann::json::object();
  std::string rejects_digest;
  uint64_t rejects_size_bytes = 0;
  int64_t rejected_rows = 0;
  Lineage lineage;
  std::string description;
  StringMap tags;
  std::string created_by;
};

struct DatasetVersionPatch {
  std::optional<std::string> description;
  std::optional<StringMap> tags;
  std::optional<std::string> state;  // ready | retired
};

struct DatasetVersionQuery {
  std::optional<std::string> state;
  int64_t before_version = 0;  // keyset pagination, newest first (0: from the top)
  int limit = 100;
};

class DatasetStore {
 public:
  virtual ~DatasetStore() = default;

  virtual Result<DatasetRecord> create_dataset(const NewDataset& dataset) = 0;
  virtual Result<DatasetRecord> get_dataset(std::string_view name) = 0;
  virtual Result<std::vector<DatasetRecord>> list_datasets(const DatasetQuery& query) = 0;
  virtual Result<DatasetRecord> update_dataset(std::string_view name, const DatasetPatch& patch) = 0;
  // Deletes the dataset with its versions and aliases (their blobs become garbage).
  virtual Status delete_dataset(std::string_view name) = 0;

  // Assigns the next version number (never reused) and records the version, `ready`, in one transaction.
  virtual Result<DatasetVersionRecord> create_dataset_version(std::string_view dataset, const NewDatasetVersion& v) = 0;
  virtual Result<DatasetVersionRecord> get_dataset_version(std::string_view dataset, int64_t version) = 0;
  // The highest version that is not retired; NOT_FOUND when there is none.
  virtual Result<int64_t> latest_dataset_version(std::string_view dataset) = 0;
  virtual Result<std::vector<DatasetVersionRecord>> list_dataset_versions(std::string_view dataset,
                                                                         const DatasetVersionQuery& query) = 0;
  virtual Result<DatasetVersionRecord> update_dataset_version(std::string_view dataset, int64_t version,
                                                              const DatasetVersionPatch& patch) = 0;
  // FAILED_PRECONDITION while an alias points at the version.
  virtual Status delete_dataset_version(std::string_view dataset, int64_t version) = 0;

  virtual Status set_dataset_alias(std::string_view dataset, std::string_view alias, int64_t version) = 0;
  virtual Result<int64_t> get_dataset_alias(std::string_view dataset, std::string_view alias) = 0;
  virtual Status delete_dataset_alias(std::string_view dataset, std::string_view alias) = 0;
  // alias -> version
  virtual Result<std::map<std::string, int64_t>> dataset_aliases(std::string_view dataset) = 0;

  // Every artifact digest a dataset version references (snapshots and rejects).
  virtual Result<std::set<std::string>> dataset_digests() = 0;
};

// The lineage as stored: {"source", "rule", "parents": [{"dataset", "version"}], "job_id", "details"}.
nlohmann::json lineage_to_json(const Lineage& lineage);
// Reads what lineage_to_json wrote; fields of the wrong type are left empty.
Lineage lineage_from_json(const nlohmann::json& j);

}  // namespace maas::store
