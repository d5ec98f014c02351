// The embedded MetadataStore: one SQLite file in WAL mode under the data dir.
// Thread-safety: one connection guarded by a mutex; SQLite calls are short, so serializing them is simpler
// and as fast as a pool for a registry's write rates.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "store/metadata_store.h"
#include "store/sqlite/database.h"

namespace maas::store::sqlite {

class SqliteMetadataStore final : public MetadataStore {
 public:
  // Opens or creates the database file and migrates it to the newest schema.
  static Result<std::unique_ptr<SqliteMetadataStore>> open(const std::filesystem::path& path);

  Result<ModelRecord> create_model(const NewModel& model) override;
  Result<ModelRecord> get_model(std::string_view name) override;
  Result<std::vector<ModelRecord>> list_models(const ModelQuery& query) override;
  Result<ModelRecord> update_model(std::string_view name, const ModelPatch& patch) override;
  Status delete_model(std::string_view name) override;

  Result<VersionRecord> create_version(std::string_view model, const NewVersion& version) override;
  Result<VersionRecord> get_version(std::string_view model, int64_t version) override;
  Result<int64_t> latest_version(std::string_view model) override;
  Result<std::vector<VersionRecord>> list_versions(std::string_view model, const VersionQuery& query) override;
  Result<VersionRecord> update_version(std::string_view model, int64_t version, const VersionPatch& patch) override;
  Result<VersionRecord> add_evaluation(std::string_view model, int64_t version, const Evaluation& evaluation) override;
  Status delete_version(std::string_view model, int64_t version) override;
  Result<std::vector<StateTransition>> version_history(std::string_view model, int64_t version) override;

  Status set_alias(std::string_view model, std::string_view alias, int64_t version) override;
  Result<int64_t> get_alias(std::string_view model, std::string_view alias) override;
  Status delete_alias(std::string_view model, std::string_view alias) override;
  Result<std::map<std::string, int64_t>> model_aliases(std::string_view model) override;

  Result<std::set<std::string>> referenced_digests() override;
  Result<StoreCounts> counts() override;

 private:
  explicit SqliteMetadataStore(std::unique_ptr<Database> db) : db_(std::move(db)) {}
  // The callers below hold mu_.
  Result<int64_t> model_id(std::string_view name);
  Result<ModelRecord> get_model_locked(std::string_view name);
  Result<VersionRecord> get_version_locked(std::string_view model, int64_t version);

  std::mutex mu_;
  std::unique_ptr<Database> db_;
};

}  // namespace maas::store::sqlite
