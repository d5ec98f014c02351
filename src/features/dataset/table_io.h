// Feature tables in and out of DuckDB, the bridge the features.fit and features.transform jobs need: a query's
// rows read into a features::Table, and a Table appended into a DuckDB table (to COPY to Parquet). The one
// place the feature library meets DuckDB; the steps themselves never do. Owned by the calling thread.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/status.h"
#include "data/engine/connection.h"
#include "data/engine/query_result.h"
#include "features/table.h"

namespace maas::features {

// The rows of `sql` as a Table: BOOLEAN and integer columns as integral numbers, floating point and DECIMAL as
// numbers (NULL is NaN), VARCHAR as text (NULL is missing). Another type is INVALID_ARGUMENT naming the column
// (DuckDB refuses it by name). More than `max_rows` rows is RESOURCE_EXHAUSTED.
Result<Table> read_table(data::engine::Connection& connection, std::string_view sql, size_t max_rows);
// One chunk of a query's rows appended to `table` (whose columns are the query's, named), converted as read_table
// does; the column types are set by the first chunk appended to an empty table. For readers that stream.
void append_chunk(const data::engine::Chunk& chunk, Table& table);

// Creates the DuckDB table `name` (DOUBLE, BIGINT for integral columns, VARCHAR) and appends `table`'s rows.
Status write_table(data::engine::Connection& connection, const Table& table, std::string_view name);
// write_table in two steps, for a writer that appends batch by batch: the DuckDB table with `like`'s columns, then
// rows appended to it (their columns in its order and types).
Status create_table(data::engine::Connection& connection, const Table& like, std::string_view name);
Status append_table(data::engine::Connection& connection, const Table& table, std::string_view name);

}  // namespace maas::features
