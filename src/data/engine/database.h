// An embedded DuckDB database (in memory, spilling to a temp directory) opened with maas's settings, and the
// connections made from it. The flat C API (duckdb.h) stays behind this folder.
//
// Thread-safety: a Database may be shared by threads and must outlive its connections; each Connection is used by
// one thread at a time (Connection::interrupt excepted).
#pragma once

#include <duckdb.h>

#include <memory>
#include <string>

#include "common/status.h"
#include "data/engine/connection.h"
#include "data/engine/engine_options.h"

namespace maas::data::engine {

class Database {
 public:
  // Opens an in-memory database with the options (validated first). With `file_access` set the database can reach
  // only those files, cannot install or load extensions, and its configuration is locked. FAILED_PRECONDITION when
  // the libduckdb found at run time is not the release the build was made against.
  static Result<std::unique_ptr<Database>> open(const EngineOptions& options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // A new connection; on a database that is not locked its queries report progress.
  Result<Connection> connect();
  const EngineOptions& options() const { return options_; }

 private:
  Database(duckdb_database db, EngineOptions options) : db_(db), options_(std::move(options)) {}
  Status lock_down(const FileAccess& access);

  duckdb_database db_;
  EngineOptions options_;
  bool locked_ = false;
};

// "v1.4.4": the DuckDB release libduckdb reports at run time.
std::string library_version();
// The release the build was compiled against (the header's).
std::string compiled_version();

}  // namespace maas::data::engine
