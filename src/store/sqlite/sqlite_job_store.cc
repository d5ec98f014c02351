#include "store/sqlite/sqlite_job_store.h"

#include <algorithm>

#include "common/json_parse.h"

#include "store/sqlite/migrations.h"

namespace maas::store::sqlite {
namespace {

using nlohmann::json;

constexpr const char* kColumns =
    "id, kind, params, state, priority, owner, cpu_slots, memory_bytes, attempts, max_attempts, interruptions, "
    "created_at_ms, updated_at_ms, started_at_ms, finished_at_ms, not_before_ms, progress, progress_message, "
    "progress_metrics, result, error, checkpoint";

// Columns written by this store are valid JSON; a hand-edited row (or one nested too deep) falls back to
// `fallback`.
json parse_column(const std::string& text, json fallback) { return parse_json_or(text, std::move(fallback)); }

JobRecord read_job(const Statement& s) {
  JobRecord j;
  j.id = s.column_text(0);
  j.kind = s.column_text(1);
  j.params = parse_column(s.column_text(2), json::object());
  j.state = s.column_text(3);
  j.priority = static_cast<int>(s.column_int(4));
  j.owner = s.column_text(5);
  j.cpu_slots = static_cast<int>(s.column_int(6));
  j.memory_bytes = static_cast<uint64_t>(s.column_int(7));
  j.attempts = static_cast<int>(s.column_int(8));
  j.max_attempts = static_cast<int>(s.column_int(9));
  j.interruptions = static_cast<int>(s.column_int(10));
  j.created_at_ms = s.column_int(11);
  j.updated_at_ms = s.column_int(12);
  j.started_at_ms = s.column_optional_int(13);
  j.finished_at_ms = s.column_optional_int(14);
  j.not_before_ms = s.column_int(15);
  j.progress = s.column_double(16);
  j.progress_message = s.column_text(17);
  j.progress_metrics = parse_column(s.column_text(18), json::object());
  j.result = s.column_is_null(19) ? json() : parse_column(s.column_text(19), json());
  j.error = s.column_text(20);
  j.checkpoint = s.column_text(21);
  return j;
}

// Binds every column of kColumns in order, from index 1.
void bind_job(Statement& s, const JobRecord& j) {
  s.bind(1, j.id).bind(2, j.kind).bind(3, j.params.dump()).bind(4, j.state).bind(5, int64_t{j.priority});
  s.bind(6, j.owner).bind(7, int64_t{j.cpu_slots}).bind(8, static_cast<int64_t>(j.memory_bytes));
  s.bind(9, int64_t{j.attempts}).bind(10, int64_t{j.max_attempts}).bind(11, int64_t{j.interruptions});
  s.bind(12, j.created_at_ms).bind(13, j.updated_at_ms);
  s.bind_optional(14, j.started_at_ms).bind_optional(15, j.finished_at_ms);
  s.bind(16, j.not_before_ms).bind_double(17, j.progress).bind(18, j.progress_message);
  s.bind(19, j.progress_metrics.dump());
  if (j.result.is_null()) {
    s.bind_null(20);
  } else {
    s.bind(20, j.result.dump(-1, ' ', false, json::error_handler_t::replace));
  }
  s.bind(21, j.error).bind(22, j.checkpoint);
}

Status job_not_found(std::string_view id) { return not_found("job '" + std::string(id) + "' does not exist"); }

}  // namespace

Result<std::unique_ptr<SqliteJobStore>> SqliteJobStore::open(const std::filesystem::path& path) {
  MAAS_ASSIGN_OR_RETURN(auto db, Database::open(path));
  MAAS_RETURN_IF_ERROR(migrate(*db));
  return std::unique_ptr<SqliteJobStore>(new SqliteJobStore(std::move(db)));
}

Status SqliteJobStore::create_job(const JobRecord& job) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(std::string("INSERT INTO jobs(") + kColumns +
                                              ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  bind_job(s, job);
  Status done = s.run();
  if (done.code() == StatusCode::kAlreadyExists) return already_exists("job '" + job.id + "' already exists");
  return done;
}

Result<JobRecord> SqliteJobStore::get_locked(std::string_view id) {
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(std::string("SELECT ") + kColumns + " FROM jobs WHERE id = ?"));
  s.bind(1, id);
  MAAS_ASSIGN_OR_RETURN(bool row, s.step());
  if (!row) return job_not_found(id);
  return read_job(s);
}

Result<JobRecord> SqliteJobStore::get_job(std::string_view id) {
  std::lock_guard lock(mu_);
  return get_locked(id);
}

Result<std::vector<JobRecord>> SqliteJobStore::select_locked(const std::string& where_and_order,
                                                             const std::vector<std::string>& binds) {
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(std::string("SELECT ") + kColumns + " FROM jobs " + where_and_order));
  for (size_t i = 0; i < binds.size(); ++i) s.bind(static_cast<int>(i + 1), std::string_view(binds[i]));
  std::vector<JobRecord> out;
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) break;
    out.push_back(read_job(s));
  }
  return out;
}

Result<std::vector<JobRecord>> SqliteJobStore::list_jobs(const JobQuery& query) {
  std::lock_guard lock(mu_);
  std::string where = "WHERE 1";
  std::vector<std::string> binds;
  for (const auto& [column, value] :
       {std::pair{"state", &query.state}, std::pair{"kind", &query.kind}, std::pair{"owner", &query.owner}}) {
    if (!*value) continue;
    where += std::string(" AND ") + column + " = ?";
    binds.push_back(**value);
  }
  if (!query.before_id.empty()) {
    MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("SELECT seq FROM jobs WHERE id = ?"));
    s.bind(1, query.before_id);
    MAAS_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) return job_not_found(query.before_id);
    where += " AND seq < " + std::to_string(s.column_int(0));
  }
  int limit = std::clamp(query.limit, 1, 10'000);
  return select_locked(where + " ORDER BY seq DESC LIMIT " + std::to_string(limit), binds);
}

Result<std::vector<JobRecord>> SqliteJobStore::active_jobs() {
  std::lock_guard lock(mu_);
  return select_locked("WHERE state IN ('queued', 'running', 'cancelling') ORDER BY seq", {});
}

Status SqliteJobStore::write_locked(const JobRecord& job) {
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(
                                    "UPDATE jobs SET kind=?2, params=?3, state=?4, priority=?5, owner=?6, cpu_slots=?7, "
                                    "memory_bytes=?8, attempts=?9, max_attempts=?10, interruptions=?11, "
                                    "created_at_ms=?12, updated_at_ms=?13, started_at_ms=?14, finished_at_ms=?15, "
                                    "not_before_ms=?16, progress=?17, progress_message=?18, progress_metrics=?19, "
                                    "result=?20, error=?21, checkpoint=?22 WHERE id=?1"));
  bind_job(s, job);
  return s.run();
}

Result<JobRecord> SqliteJobStore::update_job(std::string_view id, const std::vector<std::string_view>& from,
                                             const std::function<void(JobRecord&)>& change) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  MAAS_RETURN_IF_ERROR(tx.begin());
  MAAS_ASSIGN_OR_RETURN(JobRecord job, get_locked(id));
  if (std::find(from.begin(), from.end(), job.state) == from.end()) {
    return failed_precondition("job '" + job.id + "' is " + job.state);
  }
  change(job);
  MAAS_RETURN_IF_ERROR(write_locked(job));
  MAAS_RETURN_IF_ERROR(tx.commit());
  return job;
}

Status SqliteJobStore::update_progress(std::string_view id, double fraction, std::string_view message,
                                       const json& metrics) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("UPDATE jobs SET progress = ?, progress_message = ?, progress_metrics = ? "
                                             "WHERE id = ? AND state IN ('running', 'cancelling')"));
  s.bind_double(1, fraction).bind(2, message).bind(3, metrics.dump(-1, ' ', false, json::error_handler_t::replace));
  s.bind(4, id);
  return s.run();
}

Result<std::vector<JobRecord>> SqliteJobStore::requeue_interrupted(int64_t now_ms) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  MAAS_RETURN_IF_ERROR(tx.begin());
  MAAS_ASSIGN_OR_RETURN(auto cancel, db_->prepare("UPDATE jobs SET state = 'cancelled', finished_at_ms = ?, "
                                                  "updated_at_ms = ? WHERE state = 'cancelling'"));
  MAAS_RETURN_IF_ERROR(cancel.bind(1, now_ms).bind(2, now_ms).run());
  MAAS_ASSIGN_OR_RETURN(auto running, select_locked("WHERE state = 'running' ORDER BY seq", {}));
  for (auto& job : running) {
    job.state = std::string(kJobQueued);
    job.attempts = std::max(0, job.attempts - 1);
    job.interruptions += 1;
    job.not_before_ms = 0;
    job.updated_at_ms = now_ms;
    MAAS_RETURN_IF_ERROR(write_locked(job));
  }
  MAAS_RETURN_IF_ERROR(tx.commit());
  return running;
}

Result<std::vector<std::string>> SqliteJobStore::delete_finished_before(int64_t before_ms, int limit) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  MAAS_RETURN_IF_ERROR(tx.begin());
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("SELECT id FROM jobs WHERE state IN ('succeeded', 'failed', 'cancelled') "
                                             "AND finished_at_ms < ? ORDER BY seq LIMIT ?"));
  s.bind(1, before_ms).bind(2, int64_t{limit});
  std::vector<std::string> ids;
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) break;
    ids.push_back(s.column_text(0));
  }
  MAAS_ASSIGN_OR_RETURN(auto remove, db_->prepare("DELETE FROM jobs WHERE id = ?"));
  for (const auto& id : ids) MAAS_RETURN_IF_ERROR(remove.bind(1, id).run());
  MAAS_RETURN_IF_ERROR(tx.commit());
  return ids;
}

}  // namespace maas::store::sqlite
