// The bookkeeping that models and datasets share in SQLite: an object table (id, name, next_version), a versions
// table and an aliases table, both keyed by the object's id. Each store names its tables once; these helpers run the
// same SQL on either. Callers hold their store's mutex, and a transaction where a helper says so.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "common/status.h"
#include "store/sqlite/database.h"

namespace maas::store::sqlite {

struct VersionedTables {
  const char* kind;      // "model", "dataset": what error messages call the object
  const char* objects;   // its table (id, name, next_version, updated_at_ms)
  const char* versions;  // (<owner>, version, state, ...)
  const char* aliases;   // (<owner>, alias, version, updated_at_ms)
  const char* owner;     // the id column in versions and aliases: "model_id"

  // "model 'x' does not exist"
  Status not_found_error(std::string_view name) const;
  Status version_not_found_error(std::string_view name, int64_t version) const;
  Status alias_not_found_error(std::string_view name, std::string_view alias) const;
};

Result<int64_t> object_id(Database& db, const VersionedTables& t, std::string_view name);
// Inside a transaction: the object's id and its next version number, claimed (never handed out again).
Result<std::pair<int64_t, int64_t>> claim_version_number(Database& db, const VersionedTables& t, std::string_view name,
                                                         int64_t now_ms);
// The highest version whose state is not `retired`; NOT_FOUND when there is none.
Result<int64_t> latest_unretired_version(Database& db, const VersionedTables& t, std::string_view name,
                               std::string_view retired);
// FAILED_PRECONDITION naming the aliases that point at the version, if any.
Status check_no_alias(Database& db, const VersionedTables& t, std::string_view name, int64_t id, int64_t version);
// Creates or moves an alias; the version must exist (checked by the caller).
Status put_alias(Database& db, const VersionedTables& t, int64_t id, std::string_view alias, int64_t version,
                 int64_t now_ms);
Result<int64_t> read_alias(Database& db, const VersionedTables& t, std::string_view name, std::string_view alias);
Status remove_alias(Database& db, const VersionedTables& t, std::string_view name, std::string_view alias);
Status remove_all_aliases(Database& db, const VersionedTables& t, int64_t id);
// alias -> version
Result<std::map<std::string, int64_t>> read_aliases(Database& db, const VersionedTables& t, std::string_view name);

}  // namespace maas::store::sqlite
