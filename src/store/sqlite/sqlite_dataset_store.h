// The embedded DatasetStore: tables in the same SQLite file as the model registry (its own connection; WAL lets the
// stores write in turn). Thread-safety: one connection guarded by a mutex.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "store/dataset_store.h"
#include "store/sqlite/database.h"

namespace maas::store::sqlite {

class SqliteDatasetStore final : public DatasetStore {
 public:
  // Opens or creates the database file and migrates it to the newest schema.
  static Result<std::unique_ptr<SqliteDatasetStore>> open(const std::filesystem::path& path);

  Result<DatasetRecord> create_dataset(const NewDataset& dataset) override;
  Result<DatasetRecord> get_dataset(std::string_view name) override;
  Result<std::vector<DatasetRecord>> list_datasets(const DatasetQuery& query) override;
  Result<DatasetRecord> update_dataset(std::string_view name, const DatasetPatch& patch) override;
  Status delete_dataset(std::string_view name) override;

  Result<DatasetVersionRecord> create_dataset_version(std::string_view dataset, const NewDatasetVersion& v) override;
  Result<DatasetVersionRecord> get_dataset_version(std::string_view dataset, int64_t version) override;
  Result<int64_t> latest_dataset_version(std::string_view dataset) override;
  Result<std::vector<DatasetVersionRecord>> list_dataset_versions(std::string_view dataset,
                                                                 const DatasetVersionQuery& query) override;
  Result<DatasetVersionRecord> update_dataset_version(std::string_view dataset, int64_t version,
                                                      const DatasetVersionPatch& patch) override;
  Status delete_dataset_version(std::string_view dataset, int64_t version) override;

  Status set_dataset_alias(std::string_view dataset, std::string_view alias, int64_t version) override;
  Result<int64_t> get_dataset_alias(std::string_view dataset, std::string_view alias) override;
  Status delete_dataset_alias(std::string_view dataset, std::string_view alias) override;
  Result<std::map<std::string, int64_t>> dataset_aliases(std::string_view dataset) override;

  Result<std::set<std::string>> dataset_digests() override;

 private:
  explicit SqliteDatasetStore(std::unique_ptr<Database> db) : db_(std::move(db)) {}
  // The callers below hold mu_.
  Result<int64_t> dataset_id(std::string_view name);
  Result<DatasetRecord> get_dataset_locked(std::string_view name);
  Result<DatasetVersionRecord> get_version_locked(std::string_view dataset, int64_t version);

  std::mutex mu_;
  std::unique_ptr<Database> db_;
};

}  // namespace maas::store::sqlite
