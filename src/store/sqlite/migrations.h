// The versioned schema of the SQLite metadata store. Migrations only ever append; each runs once, in its own
// transaction, and is recorded in schema_migrations.
#pragma once

#include "common/status.h"
#include "store/sqlite/database.h"

namespace maas::store::sqlite {

// Brings the schema up to the newest version. Refuses a database written by a newer maas.
Status migrate(Database& db);
int latest_schema_version();

}  // namespace maas::store::sqlite
