// Feature pipelines' durable records: three tables of <data_dir>/metadata.db (migration 8): `pipelines` (a name and
// its spec, tags), `pipeline_versions` (each fitted version: the spec it was fitted with, its state's blob digest in
// the artifact store, the dataset version it was fitted on, input and output schemas; immutable) and
// `pipeline_aliases`. Version numbers are never reused while the pipeline exists.
//
// Thread-safety: every method may be called from any thread (one connection under a mutex).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/sqlite/database.h"

namespace maas::features {

using Tags = std::map<std::string, std::string>;

struct PipelineRecord {  // NOLINT(bugprone-exception-escape): nlohmann::json members, moved, never thrown
  std::string name;
  nlohmann::json spec;
  std::string description;
  Tags tags;
  int64_t latest_version = 0;  // 0: never fitted
  std::map<std::string, int64_t> aliases;
  std::string created_by;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

struct NewPipelineVersion {  // NOLINT(bugprone-exception-escape)
  nlohmann::json spec;       // the spec it was fitted with
  std::string state_digest;
  int64_t state_size_bytes = 0;
  std::string dataset;
  int64_t dataset_version = 0;
  nlohmann::json input_schema = nlohmann::json::array();    // [{"name", "type"}]
  nlohmann::json output_columns = nlohmann::json::array();  // [name, ...]
  std::string job_id;                                       // the features.fit job that made it ("" for none)
  std::string created_by;
};

struct PipelineVersionRecord : NewPipelineVersion {  // NOLINT(bugprone-exception-escape)
  std::string name;
  int64_t version = 0;
  Tags tags;
  int64_t created_at_ms = 0;
};

// The pipeline version a model version is served with (migration 9).
struct Attachment {
  std::string pipeline;
  int64_t pipeline_version = 0;
  std::string attached_by;
  int64_t attached_at_ms = 0;
};

nlohmann::json pipeline_json(const PipelineRecord& record);
nlohmann::json attachment_json(const Attachment& attachment);
nlohmann::json pipeline_version_json(const PipelineVersionRecord& record);

class PipelineStore {
 public:
  static Result<std::unique_ptr<PipelineStore>> open(const std::filesystem::path& path);

  // ALREADY_EXISTS when the name is taken.
  Result<PipelineRecord> create(const std::string& name, const nlohmann::json& spec, const std::string& description,
                                const Tags& tags, const std::string& created_by);
  Result<PipelineRecord> get(const std::string& name);
  // Pipelines after `after_name`, by name, at most `limit`.
  Result<std::vector<PipelineRecord>> list(const std::string& after_name, int limit);
  // The pipeline with its versions and aliases (their blobs become garbage). FAILED_PRECONDITION naming the model
  // version while one of its versions is attached to one.
  Status remove(const std::string& name);

  // Records a fitted version under the next number. A version for `job_id` already recorded is returned as it is,
  // so a job whose success is reported twice (a requeue) records one version.
  Result<PipelineVersionRecord> add_version(const std::string& name, const NewPipelineVersion& version);
  Result<PipelineVersionRecord> get_version(const std::string& name, int64_t version);
  // `ref`: a version number, "latest" (the newest) or an alias. NOT_FOUND naming what is missing.
  Result<PipelineVersionRecord> resolve(const std::string& name, const std::string& ref);
  // Every version, oldest first.
  Result<std::vector<PipelineVersionRecord>> versions(const std::string& name);
  Status set_version_tags(const std::string& name, int64_t version, const Tags& tags);

  // Serving a model version with a pipeline version (attachments.cc): attach replaces what the model version had;
  // NOT_FOUND when either is missing. detach: NOT_FOUND when nothing is attached.
  Status attach(const std::string& model, int64_t version, const std::string& pipeline, int64_t pipeline_version,
                const std::string& attached_by);
  Status detach(const std::string& model, int64_t version);
  // The attachment of a model version; nullopt when it has none.
  Result<std::optional<Attachment>> attachment(const std::string& model, int64_t version);

  // Creates or moves an alias to an existing version; the alias may not be a number or "latest".
  Status set_alias(const std::string& name, const std::string& alias, int64_t version);
  Status remove_alias(const std::string& name, const std::string& alias);

 private:
  explicit PipelineStore(std::unique_ptr<store::sqlite::Database> db) : db_(std::move(db)) {}
  Result<PipelineRecord> get_locked(const std::string& name);
  Result<PipelineVersionRecord> get_version_locked(const std::string& name, int64_t version);
  // FAILED_PRECONDITION naming a model version a version of pipeline `id` is attached to.
  Status check_not_attached_locked(const std::string& name, int64_t id);

  std::mutex mu_;
  std::unique_ptr<store::sqlite::Database> db_;
};

}  // namespace maas::features
