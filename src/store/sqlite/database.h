// A thin RAII layer over the SQLite C API: a connection, prepared statements with typed binds, transactions,
// and errors as Status. Not thread-safe by itself; the store that owns a Database serializes access.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace maas::store::sqlite {

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }

  // Binds are 1-based, as in SQLite.
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bind_double(int index, double value);
  Statement& bind_null(int index);
  Statement& bind_optional(int index, const std::optional<std::string>& value) {
    return value ? bind(index, std::string_view(*value)) : bind_null(index);
  }
  Statement& bind_optional(int index, std::optional<int64_t> value) { return value ? bind(index, *value) : bind_null(index); }

  // Advances; true while a row is available.
  Result<bool> step();
  // Runs a statement that returns no rows.
  Status run();

  int64_t column_int(int column) const { return sqlite3_column_int64(stmt_, column); }
  double column_double(int column) const { return sqlite3_column_double(stmt_, column); }
  std::string column_text(int column) const;
  bool column_is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  std::optional<int64_t> column_optional_int(int column) const {
    if (column_is_null(column)) return std::nullopt;
    return column_int(column);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Database {
 public:
  // Opens (creating) the file with WAL, foreign keys and a busy timeout.
  static Result<std::unique_ptr<Database>> open(const std::filesystem::path& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Result<Statement> prepare(std::string_view sql);
  Status exec(std::string_view sql);
  int64_t changes() const { return sqlite3_changes64(db_); }
  int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

// Runs a write transaction (BEGIN IMMEDIATE); rolls back when the body returns an error.
class Transaction {
 public:
  explicit Transaction(Database& db) : db_(db) {}
  ~Transaction() {
    if (open_) (void)db_.exec("ROLLBACK");
  }
  Status begin() {
    MAAS_RETURN_IF_ERROR(db_.exec("BEGIN IMMEDIATE"));
    open_ = true;
    return {};
  }
  Status commit() {
    open_ = false;
    return db_.exec("COMMIT");
  }

 private:
  Database& db_;
  bool open_ = false;
};

}  // namespace maas::store::sqlite
