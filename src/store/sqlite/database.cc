#include "store/sqlite/database.h"

#include <memory>

namespace maas::store::sqlite {
namespace {

Status sqlite_error(sqlite3* db, std::string_view what) {
  int code = sqlite3_extended_errcode(db);
  std::string msg = std::string(what) + ": " + sqlite3_errmsg(db);
  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) return unavailable("metadata store busy; " + msg);
  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) return already_exists(msg);
  if ((code & 0xff) == SQLITE_CONSTRAINT) return failed_precondition(msg);
  if ((code & 0xff) == SQLITE_FULL) return unavailable("disk full; " + msg);
  return internal_error("metadata store " + msg);
}

}  // namespace

Statement& Statement::bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_double(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Result<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqlite_error(db_, "step");
}

Status Statement::run() {
  auto r = step();
  // Reset, so the statement can be bound and run again: binding a statement that has run but was not reset fails
  // (SQLITE_MISUSE) and leaves the old values, which the next step's automatic reset would then run again.
  sqlite3_reset(stmt_);
  if (!r.ok()) return r.status();
  return {};
}

std::string Statement::column_text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

Result<std::unique_ptr<Database>> Database::open(const std::filesystem::path& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                           nullptr);
  std::unique_ptr<Database> db(new Database(raw));
  if (rc != SQLITE_OK) return internal_error("cannot open metadata store " + path.string() + ": " + sqlite3_errstr(rc));
  sqlite3_busy_timeout(raw, 5000);
  MAAS_RETURN_IF_ERROR(db->exec("PRAGMA journal_mode=WAL"));
  // FULL: a commit that returned survives power loss, not just a process crash.
  MAAS_RETURN_IF_ERROR(db->exec("PRAGMA synchronous=FULL"));
  MAAS_RETURN_IF_ERROR(db->exec("PRAGMA foreign_keys=ON"));
  return db;
}

Database::~Database() { sqlite3_close_v2(db_); }

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return sqlite_error(db_, "prepare");
  return Statement(db_, stmt);
}

Status Database::exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err != nullptr ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return sqlite_error(db_, msg);
  }
  return {};
}

}  // namespace maas::store::sqlite
