// A batch of rows built column by column in DuckDB's own vectors (at most duckdb_vector_size() rows, 2048), for
// Appender::append_chunk: numbers are written straight into the vector's memory and NULLs into its validity mask, with
// no Value per cell. Owned by one thread; reset() between batches.
#pragma once

#include <duckdb.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace maas::data::engine {

class ChunkBuilder {
 public:
  // One column per type: DUCKDB_TYPE_DOUBLE, DUCKDB_TYPE_BIGINT or DUCKDB_TYPE_VARCHAR.
  explicit ChunkBuilder(std::span<const duckdb_type> types);
  ~ChunkBuilder();
  ChunkBuilder(const ChunkBuilder&) = delete;
  ChunkBuilder& operator=(const ChunkBuilder&) = delete;

  // The most rows one batch holds.
  static size_t capacity() { return duckdb_vector_size(); }
  // Empties the batch (every value valid again) for the next rows.
  void reset();
  // The column's values, `capacity()` of them, to write rows into.
  double* doubles(size_t column) { return static_cast<double*>(duckdb_vector_get_data(vector(column))); }
  int64_t* ints(size_t column) { return static_cast<int64_t*>(duckdb_vector_get_data(vector(column))); }
  void set_string(size_t column, size_t row, std::string_view value);
  void set_null(size_t column, size_t row);
  // How many rows the batch holds; call before appending it.
  void set_rows(size_t rows) { duckdb_data_chunk_set_size(chunk_, rows); }
  duckdb_data_chunk chunk() const { return chunk_; }

 private:
  duckdb_vector vector(size_t column) { return duckdb_data_chunk_get_vector(chunk_, column); }

  duckdb_data_chunk chunk_ = nullptr;
};

}  // namespace maas::data::engine
