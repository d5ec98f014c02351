// The sources' durable records: a table of <data_dir>/metadata.db (migration 6) with its own connection, opened by
// maasd's routes and, read-only in effect, by a snapshot job in maas-job (WAL lets both use the file).
//
// Thread-safety: every method may be called from any thread (one connection under a mutex).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "data/sources/source.h"
#include "store/sqlite/database.h"

namespace maas::data::sources {

struct SourcePatch {
  std::optional<std::string> description;
  std::optional<nlohmann::json> config;
  std::optional<std::string> sealed_secret;
};

class SourceStore {
 public:
  // Opens the database file and migrates it to the newest schema.
  static Result<std::unique_ptr<SourceStore>> open(const std::filesystem::path& path);

  // ALREADY_EXISTS when the name is taken.
  Result<Source> create(const Source& source);
  // NOT_FOUND naming the source when there is none.
  Result<Source> get(const std::string& name);
  // By name, from after `after_name`, at most `limit`.
  Result<std::vector<Source>> list(const std::string& after_name, int limit);
  Result<Source> update(const std::string& name, const SourcePatch& patch);
  Status remove(const std::string& name);

 private:
  explicit SourceStore(std::unique_ptr<store::sqlite::Database> db) : db_(std::move(db)) {}
  Result<Source> get_locked(const std::string& name);

  std::mutex mu_;
  std::unique_ptr<store::sqlite::Database> db_;
};

}  // namespace maas::data::sources
