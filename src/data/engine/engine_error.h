// Turns DuckDB's errors into maas Status values: DuckDB's own message, under a code chosen from its error type.
// Stateless; safe from any thread.
#pragma once

#include <duckdb.h>

#include <string>
#include <string_view>

#include "common/status.h"

namespace maas::data::engine {

// Bad SQL or input (parser, binder, conversion, constraint, ...) is INVALID_ARGUMENT; a refused file or setting is
// PERMISSION_DENIED; the memory limit is RESOURCE_EXHAUSTED; an interrupt is DEADLINE_EXCEEDED; what DuckDB itself
// calls internal or fatal is INTERNAL. `context` says what was being done ("importing 'x.csv'").
Status engine_error(duckdb_error_type type, std::string_view message, std::string_view context = {});
// For the calls that report only a message (duckdb_prepare_error): the type is read from the message's
// "<Type> Error:" prefix.
Status engine_error(std::string_view message, std::string_view context = {});

}  // namespace maas::data::engine
