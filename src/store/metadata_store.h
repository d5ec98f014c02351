// The metadata store: models, versions, aliases and lifecycle history. One interface, one folder per engine
// (sqlite/ is the embedded default; a PostgreSQL engine implements the same calls), so callers never see SQL.
//
// Thread-safety: every method may be called from any thread. Each method is atomic: it either applies whole or
// returns an error and changes nothing.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace maas::store {

using StringMap = std::map<std::string, std::string>;

struct ModelRecord {
  std::string name;
  std::string description;
  StringMap tags;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  int64_t latest_version = 0;  // highest version number ever assigned (0: none yet)
  int64_t version_count = 0;   // versions that exist now
};

struct NewModel {
  std::string name;
  std::string description;
  StringMap tags;
};

struct ModelPatch {
  std::optional<std::string> description;
  std::optional<StringMap> tags;
};

struct ModelQuery {
  std::string prefix;
  // (key, value): a tag that must be present; when value is set it must also match.
  std::vector<std::pair<std::string, std::optional<std::string>>> tags;
  std::string after_name;  // keyset pagination: names strictly greater than this
  int limit = 100;
};

// Lifecycle states, in order: registered -> ready -> retired.
inline constexpr std::string_view kStateRegistered = "registered";
inline constexpr std::string_view kStateReady = "ready";
inline constexpr std::string_view kStateRetired = "retired";

struct VersionRecord {
  std::string model;
  int64_t version = 0;
  std::string framework;
  std::string format;
  std::string digest;  // hex SHA-256 of the artifact
  uint64_t size_bytes = 0;
  nlohmann::json signature = nlohmann::json::object();
  std::string description;
  StringMap tags;
  nlohmann::json metrics = nlohmann::json::object();
  nlohmann::json lineage = nlohmann::json::object();
  std::string state;
  std::string created_by;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

struct NewVersion {
  std::string framework;
  std::string format;
  std::string digest;
  uint64_t size_bytes = 0;
  nlohmann::json signature = nlohmann::json::object();
  std::string created_by;
};

struct StateChange {
  std::string to;
  std::string by;
  std::string reason;
};

struct VersionPatch {
  std::optional<std::string> description;
  std::optional<StringMap> tags;
  std::optional<nlohmann::json> metrics;
  std::optional<nlohmann::json> lineage;
  std::optional<StateChange> state;  // validated against the current state inside the same transaction
};

// One evaluation of a version (a train.evaluate job), stored by add_evaluation.
struct Evaluation {
  std::string job_id;  // stored once per id: a requeued job's second call changes nothing
  // Appended to lineage["evaluations"] with "job_id" set: {dataset, rows, metrics}.
  nlohmann::json entry = nlohmann::json::object();
  // Merged into the version's metrics, each key replacing the one of that name (e.g. "holdout:auc").
  nlohmann::json metrics = nlohmann::json::object();
};

// Applies `evaluation` to a version's lineage and metrics as add_evaluation does; false when the version already
// holds an evaluation of that job (nothing changed). For engines: call it inside the transaction that read them.
bool apply_evaluation(VersionRecord& version, const Evaluation& evaluation);

struct VersionQuery {
  std::optional<std::string> state;
  int64_t before_version = 0;  // keyset pagination, newest first: versions strictly below this (0: from the top)
  int limit = 100;
};

struct StateTransition {
  std::optional<std::string> from;
  std::string to;
  std::string by;
  std::string reason;
  int64_t at_ms = 0;
};

// True when a version may move from `from` to `to`.
bool is_allowed_transition(std::string_view from, std::string_view to);

// How much the registry holds, for the size gauges at /metrics.
struct StoreCounts {
  int64_t models = 0;
  int64_t versions = 0;
  int64_t aliases = 0;
};

class MetadataStore {
 public:
  virtual ~MetadataStore() = default;

  virtual Result<ModelRecord> create_model(const NewModel& model) = 0;
  virtual Result<ModelRecord> get_model(std::string_view name) = 0;
  virtual Result<std::vector<ModelRecord>> list_models(const ModelQuery& query) = 0;
  virtual Result<ModelRecord> update_model(std::string_view name, const ModelPatch& patch) = 0;
  // Deletes the model with its versions, aliases and history.
  virtual Status delete_model(std::string_view name) = 0;

  // Assigns the next version number (never reused) and records the artifact and the first transition.
  virtual Result<VersionRecord> create_version(std::string_view model, const NewVersion& version) = 0;
  virtual Result<VersionRecord> get_version(std::string_view model, int64_t version) = 0;
  // The highest version that is not retired; NOT_FOUND when there is none.
  virtual Result<int64_t> latest_version(std::string_view model) = 0;
  virtual Result<std::vector<VersionRecord>> list_versions(std::string_view model, const VersionQuery& query) = 0;
  virtual Result<VersionRecord> update_version(std::string_view model, int64_t version, const VersionPatch& patch) = 0;
  // Reads, merges (apply_evaluation) and writes the version's metrics and lineage in one transaction, so
  // evaluations stored at the same time all land; a patch of the whole lineage would lose all but one.
  virtual Result<VersionRecord> add_evaluation(std::string_view model, int64_t version,
                                               const Evaluation& evaluation) = 0;
  // FAILED_PRECONDITION while an alias points at the version.
  virtual Status delete_version(std::string_view model, int64_t version) = 0;
  virtual Result<std::vector<StateTransition>> version_history(std::string_view model, int64_t version) = 0;

  virtual Status set_alias(std::string_view model, std::string_view alias, int64_t version) = 0;
  virtual Result<int64_t> get_alias(std::string_view model, std::string_view alias) = 0;
  virtual Status delete_alias(std::string_view model, std::string_view alias) = 0;
  // alias -> version
  virtual Result<std::map<std::string, int64_t>> model_aliases(std::string_view model) = 0;

  // Every artifact digest some record references (for garbage collection): model versions, and in the SQLite
  // engine also the dataset versions kept in the same file and the "pins" of the jobs that have not finished.
  virtual Result<std::set<std::string>> referenced_digests() = 0;
  virtual Result<StoreCounts> counts() = 0;
};

}  // namespace maas::store
