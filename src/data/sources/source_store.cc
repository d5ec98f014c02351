#include "data/sources/source_store.h"

#include "common/clock.h"
#include "store/sqlite/json_columns.h"
#include "store/sqlite/migrations.h"

namespace maas::data::sources {
namespace {

using store::sqlite::Statement;

constexpr const char* kColumns = "name, kind, config, secret, description, created_by, created_at_ms, updated_at_ms";

Source read_source(const Statement& s) {
  Source r;
  r.name = s.column_text(0);
  r.kind = s.column_text(1);
  r.config = store::sqlite::parse_json_column(s.column_text(2));
  r.sealed_secret = s.column_text(3);
  r.description = s.column_text(4);
  r.created_by = s.column_text(5);
  r.created_at_ms = s.column_int(6);
  r.updated_at_ms = s.column_int(7);
  return r;
}

}  // namespace

Result<std::unique_ptr<SourceStore>> SourceStore::open(const std::filesystem::path& path) {
  MAAS_ASSIGN_OR_RETURN(auto db, store::sqlite::Database::open(path));
  MAAS_RETURN_IF_ERROR(store::sqlite::migrate(*db));
  return std::unique_ptr<SourceStore>(new SourceStore(std::move(db)));
}

Result<Source> SourceStore::create(const Source& source) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto exists, db_->prepare("SELECT 1 FROM sources WHERE name = ?"));
  MAAS_ASSIGN_OR_RETURN(bool taken, exists.bind(1, source.name).step());
  if (taken) return already_exists("source '" + source.name + "' already exists");
  const int64_t now = now_unix_ms();
  MAAS_ASSIGN_OR_RETURN(
      auto insert, db_->prepare(std::string("INSERT INTO sources(") + kColumns + ") VALUES(?, ?, ?, ?, ?, ?, ?, ?)"));
  MAAS_RETURN_IF_ERROR(insert.bind(1, source.name)
                           .bind(2, source.kind)
                           .bind(3, source.config.dump())
                           .bind(4, source.sealed_secret)
                           .bind(5, source.description)
                           .bind(6, source.created_by)
                           .bind(7, now)
                           .bind(8, now)
                           .run());
  return get_locked(source.name);
}

Result<Source> SourceStore::get(const std::string& name) {
  std::lock_guard lock(mu_);
  return get_locked(name);
}

Result<Source> SourceStore::get_locked(const std::string& name) {
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(std::string("SELECT ") + kColumns + " FROM sources WHERE name = ?"));
  MAAS_ASSIGN_OR_RETURN(bool row, s.bind(1, name).step());
  if (!row) return not_found("source '" + name + "' does not exist");
  return read_source(s);
}

Result<std::vector<Source>> SourceStore::list(const std::string& after_name, int limit) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(
      auto s, db_->prepare(std::string("SELECT ") + kColumns + " FROM sources WHERE name > ? ORDER BY name LIMIT ?"));
  s.bind(1, after_name).bind(2, int64_t{limit});
  std::vector<Source> out;
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) break;
    out.push_back(read_source(s));
  }
  return out;
}

Result<Source> SourceStore::update(const std::string& name, const SourcePatch& patch) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(Source current, get_locked(name));
  if (patch.description) current.description = *patch.description;
  if (patch.config) current.config = *patch.config;
  if (patch.sealed_secret) current.sealed_secret = *patch.sealed_secret;
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("UPDATE sources SET config = ?, secret = ?, description = ?, "
                                             "updated_at_ms = ? WHERE name = ?"));
  MAAS_RETURN_IF_ERROR(s.bind(1, current.config.dump())
                           .bind(2, current.sealed_secret)
                           .bind(3, current.description)
                           .bind(4, now_unix_ms())
                           .bind(5, name)
                           .run());
  return get_locked(name);
}

Status SourceStore::remove(const std::string& name) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("DELETE FROM sources WHERE name = ?"));
  MAAS_RETURN_IF_ERROR(s.bind(1, name).run());
  if (db_->changes() == 0) return not_found("source '" + name + "' does not exist");
  return {};
}

}  // namespace maas::data::sources
