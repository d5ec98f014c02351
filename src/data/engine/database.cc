#include "data/engine/database.h"

#include <string>
#include <utility>
#include <vector>

#include "data/engine/engine_error.h"
#include "data/engine/sql_text.h"

namespace maas::data::engine {
namespace {

// A config handle that frees itself.
class Config {
 public:
  Config() { duckdb_create_config(&config_); }
  ~Config() { duckdb_destroy_config(&config_); }
  Config(const Config&) = delete;
  Config& operator=(const Config&) = delete;
  Status set(const char* name, const std::string& value) {
    if (duckdb_set_config(config_, name, value.c_str()) == DuckDBError) {
      return invalid_argument("the data engine refused setting " + std::string(name) + "='" + value + "'");
    }
    return {};
  }
  duckdb_config get() const { return config_; }

 private:
  duckdb_config config_ = nullptr;
};

std::string list_literal(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + quote_literal(items[i]);
  return out + "]";
}

}  // namespace

std::string library_version() { return duckdb_library_version(); }
std::string compiled_version() { return MAAS_DUCKDB_VERSION; }

Result<std::unique_ptr<Database>> Database::open(const EngineOptions& options) {
  MAAS_RETURN_IF_ERROR(options.validate());
  if (library_version() != compiled_version()) {
    return failed_precondition("libduckdb is " + library_version() + " but maas was built against DuckDB " +
                               compiled_version() + "; reinstall it with scripts/duckdb.sh");
  }
  Config config;
  // Kibibytes: DuckDB's size parser has no plain-bytes unit.
  MAAS_RETURN_IF_ERROR(config.set("memory_limit", std::to_string(options.memory_limit_bytes / 1024) + "KiB"));
  if (options.threads > 0) MAAS_RETURN_IF_ERROR(config.set("threads", std::to_string(options.threads)));
  MAAS_RETURN_IF_ERROR(config.set("temp_directory", options.temp_directory.string()));
  if (options.max_temp_directory_bytes > 0) {
    MAAS_RETURN_IF_ERROR(
        config.set("max_temp_directory_size", std::to_string(options.max_temp_directory_bytes / 1024) + "KiB"));
  }
  MAAS_RETURN_IF_ERROR(config.set("preserve_insertion_order", options.preserve_insertion_order ? "true" : "false"));
  // No extension is ever fetched or loaded at run time: parquet, json and icu are linked into libduckdb, and there
  // may be no network.
  MAAS_RETURN_IF_ERROR(config.set("autoinstall_known_extensions", "false"));
  MAAS_RETURN_IF_ERROR(config.set("autoload_known_extensions", "false"));

  duckdb_database db = nullptr;
  char* error = nullptr;
  if (duckdb_open_ext(nullptr, &db, config.get(), &error) == DuckDBError) {
    Status status = engine_error(error != nullptr ? error : "unknown error", "opening the data engine");
    duckdb_free(error);
    return status;
  }
  std::unique_ptr<Database> database(new Database(db, options));
  if (options.file_access) MAAS_RETURN_IF_ERROR(database->lock_down(*options.file_access));
  return database;
}

Database::~Database() { duckdb_close(&db_); }

Result<Connection> Database::connect() {
  duckdb_connection connection = nullptr;
  if (duckdb_connect(db_, &connection) == DuckDBError) return internal_error("cannot connect to the data engine");
  Connection out(connection);
  // DuckDB tracks a query's progress only with its progress bar on (never printed here). A locked database refuses
  // every SET, so its queries report no progress.
  if (!locked_) {
    MAAS_RETURN_IF_ERROR(out.execute("SET enable_progress_bar = true; SET enable_progress_bar_print = false; "
                                         "SET progress_bar_time = 0"));
  }
  return out;
}

Status Database::lock_down(const FileAccess& access) {
  std::vector<std::string> paths;
  for (const auto& p : access.paths) paths.push_back(p.lexically_normal().string());
  std::vector<std::string> directories;
  for (const auto& d : access.directories) {
    // A trailing separator, so that /data/out does not also allow /data/outside.
    std::string dir = d.lexically_normal().string();
    if (!dir.ends_with('/')) dir += '/';
    directories.push_back(std::move(dir));
  }
  MAAS_ASSIGN_OR_RETURN(Connection setup, connect());
  // The allow-lists are set first: once external access is off only they remain reachable. The lock makes every
  // setting read-only for all connections, so SQL cannot turn access back on or widen the lists.
  MAAS_RETURN_IF_ERROR(setup.execute("SET allowed_paths = " + list_literal(paths) + "; SET allowed_directories = " +
                                     list_literal(directories) +
                                     "; SET enable_external_access = false; SET lock_configuration = true;"));
  locked_ = true;
  return {};
}

}  // namespace maas::data::engine
