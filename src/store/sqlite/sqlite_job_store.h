// The embedded JobStore: the jobs table in the same SQLite file as the registry (its own connection; WAL lets the
// writers take turns). Thread-safety: one connection guarded by a mutex.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "store/job_store.h"
#include "store/sqlite/database.h"

namespace maas::store::sqlite {

class SqliteJobStore final : public JobStore {
 public:
  // Opens the database file and migrates it to the newest schema.
  static Result<std::unique_ptr<SqliteJobStore>> open(const std::filesystem::path& path);

  Status create_job(const JobRecord& job) override;
  Result<JobRecord> get_job(std::string_view id) override;
  Result<std::vector<JobRecord>> list_jobs(const JobQuery& query) override;
  Result<std::vector<JobRecord>> active_jobs() override;
  Result<JobRecord> update_job(std::string_view id, const std::vector<std::string_view>& from,
                               const std::function<void(JobRecord&)>& change) override;
  Status update_progress(std::string_view id, double fraction, std::string_view message,
                         const nlohmann::json& metrics) override;
  Result<std::vector<JobRecord>> requeue_interrupted(int64_t now_ms) override;
  Result<std::vector<std::string>> delete_finished_before(int64_t before_ms, int limit) override;

 private:
  explicit SqliteJobStore(std::unique_ptr<Database> db) : db_(std::move(db)) {}
  Result<JobRecord> get_locked(std::string_view id);
  Status write_locked(const JobRecord& job);
  Result<std::vector<JobRecord>> select_locked(const std::string& where_and_order, const std::vector<std::string>& binds);

  std::mutex mu_;
  std::unique_ptr<Database> db_;
};

}  // namespace maas::store::sqlite
