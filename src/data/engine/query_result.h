// A query's result read chunk by chunk (at most duckdb_vector_size() rows each, 2048) into typed column vectors, so a
// result of any size is read in bounded memory. Owned by one thread; the Connection it came from must outlive it and
// run nothing else until it is destroyed.
#pragma once

#include <duckdb.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace maas::data::engine {

// How a column's values are held in C++: integers as int64 (UBIGINT and HUGEINT when the value fits), floating point and DECIMAL(≤18) as double,
// VARCHAR and BLOB as strings. Other types (dates, lists, ...) are refused by name: cast them in the SQL.
enum class ColumnKind { kBool, kInt64, kDouble, kString };

struct ColumnInfo {
  std::string name;
  duckdb_type type = DUCKDB_TYPE_INVALID;
};

// One column of one chunk. Only the vector of its kind is filled; `valid[i]` is 0 where the value is NULL.
struct Column {
  ColumnKind kind = ColumnKind::kInt64;
  std::vector<uint8_t> valid;
  std::vector<int64_t> ints;  // kInt64, and kBool as 0/1
  std::vector<double> doubles;
  std::vector<std::string> strings;

  bool is_null(size_t row) const { return valid[row] == 0; }
};

struct Chunk {
  size_t rows = 0;
  std::vector<Column> columns;
};

class QueryResult {
 public:
  // Takes ownership of a result DuckDB filled (streaming or materialized).
  explicit QueryResult(duckdb_result result);
  ~QueryResult();
  QueryResult(QueryResult&& other) noexcept;
  QueryResult& operator=(QueryResult&&) = delete;
  QueryResult(const QueryResult&) = delete;
  QueryResult& operator=(const QueryResult&) = delete;

  const std::vector<ColumnInfo>& columns() const { return columns_; }
  // The rows a statement changed (INSERT, COPY); 0 for a query.
  int64_t rows_changed();
  // The next chunk; nullopt at the end. An error raised while streaming (a bad row, the memory limit) is a Status.
  Result<std::optional<Chunk>> next_chunk();
  // Every remaining row in one chunk: for results known to be small (aggregates, previews).
  Result<Chunk> fetch_all();

 private:
  duckdb_result result_;
  bool owned_ = true;
  std::vector<ColumnInfo> columns_;
};

// "BIGINT", "VARCHAR", ...: the SQL name of a type id.
std::string type_name(duckdb_type type);

}  // namespace maas::data::engine
