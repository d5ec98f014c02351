// Appends rows to a table through DuckDB's appender (columnar batches, no SQL per row). Owned by one thread; its
// Connection must outlive it. Rows reach the table on flush() or close(); destroying it closes it.
#pragma once

#include <duckdb.h>

#include <span>

#include "common/status.h"
#include "data/engine/chunk_builder.h"
#include "data/engine/value.h"

namespace maas::data::engine {

class Appender {
 public:
  explicit Appender(duckdb_appender appender) : appender_(appender) {}
  ~Appender();
  Appender(Appender&& other) noexcept : appender_(other.appender_) { other.appender_ = nullptr; }
  Appender& operator=(Appender&&) = delete;
  Appender(const Appender&) = delete;
  Appender& operator=(const Appender&) = delete;

  // One value per column, in the table's column order.
  Status append_row(std::span<const Value> row);
  // A whole batch, its columns in the table's order and types (no conversion).
  Status append_chunk(const ChunkBuilder& chunk);
  Status flush();
  Status close();

 private:
  Status error(std::string_view what);

  duckdb_appender appender_;
};

}  // namespace maas::data::engine
