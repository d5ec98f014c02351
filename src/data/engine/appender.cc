#include "data/engine/appender.h"

#include <string>
#include <type_traits>

#include "data/engine/engine_error.h"

namespace maas::data::engine {

Appender::~Appender() {
  // duckdb_appender_destroy flushes; an error there has no one to report to (call close() to see it).
  if (appender_ != nullptr) duckdb_appender_destroy(&appender_);
}

Status Appender::error(std::string_view what) {
  duckdb_error_data data = duckdb_appender_error_data(appender_);
  Status status = engine_error(duckdb_error_data_error_type(data), duckdb_error_data_message(data), what);
  duckdb_destroy_error_data(&data);
  return status;
}

Status Appender::append_row(std::span<const Value> row) {
  for (const Value& value : row) {
    duckdb_state state = std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            return duckdb_append_null(appender_);
          } else if constexpr (std::is_same_v<T, bool>) {
            return duckdb_append_bool(appender_, v);
          } else if constexpr (std::is_same_v<T, int64_t>) {
            return duckdb_append_int64(appender_, v);
          } else if constexpr (std::is_same_v<T, double>) {
            return duckdb_append_double(appender_, v);
          } else {
            return duckdb_append_varchar_length(appender_, v.data(), v.size());
          }
        },
        value);
    if (state == DuckDBError) return error("appending a value");
  }
  if (duckdb_appender_end_row(appender_) == DuckDBError) return error("ending a row");
  return {};
}

Status Appender::append_chunk(const ChunkBuilder& chunk) {
  if (duckdb_append_data_chunk(appender_, chunk.chunk()) == DuckDBError) return error("appending a batch of rows");
  return {};
}

Status Appender::flush() {
  if (duckdb_appender_flush(appender_) == DuckDBError) return error("flushing appended rows");
  return {};
}

Status Appender::close() {
  if (duckdb_appender_close(appender_) == DuckDBError) return error("closing the appender");
  return {};
}

}  // namespace maas::data::engine
