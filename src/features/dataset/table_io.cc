#include "features/dataset/table_io.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "data/engine/chunk_builder.h"
#include "data/engine/sql_text.h"

namespace maas::features {

void append_chunk(const data::engine::Chunk& chunk, Table& table) {
  const bool typed = table.rows() > 0;
  for (size_t i = 0; i < chunk.columns.size(); ++i) {
    const data::engine::Column& in = chunk.columns[i];
    Column& out = table.columns[i];
    if (!typed) {
      out.type = in.kind == data::engine::ColumnKind::kString ? ColumnType::kText : ColumnType::kNumber;
      out.integral = in.kind == data::engine::ColumnKind::kInt64 || in.kind == data::engine::ColumnKind::kBool;
    }
    for (size_t row = 0; row < chunk.rows; ++row) {
      const bool null = in.is_null(row);
      switch (in.kind) {
        case data::engine::ColumnKind::kString:
          out.texts.push_back(null ? std::nullopt : std::optional<std::string>(in.strings[row]));
          break;
        case data::engine::ColumnKind::kDouble:
          out.numbers.push_back(null ? std::numeric_limits<double>::quiet_NaN() : in.doubles[row]);
          break;
        case data::engine::ColumnKind::kInt64:
        case data::engine::ColumnKind::kBool:
          out.numbers.push_back(null ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(in.ints[row]));
          break;
      }
    }
  }
}

Result<Table> read_table(data::engine::Connection& connection, std::string_view sql, size_t max_rows) {
  MAAS_ASSIGN_OR_RETURN(auto result, connection.query(sql));
  Table table;
  for (const auto& info : result.columns()) {
    table.columns.emplace_back();
    table.columns.back().name = info.name;
  }
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(auto chunk, result.next_chunk());
    if (!chunk) break;
    if (table.rows() + chunk->rows > max_rows) {
      return resource_exhausted("the data has more than " + std::to_string(max_rows) +
                                " rows, the most a feature pipeline reads at once");
    }
    append_chunk(*chunk, table);
  }
  return table;
}

Status create_table(data::engine::Connection& connection, const Table& like, std::string_view name) {
  std::string create = "CREATE TABLE " + data::engine::quote_identifier(name) + " (";
  for (size_t i = 0; i < like.columns.size(); ++i) {
    const Column& c = like.columns[i];
    const char* type = c.type == ColumnType::kText ? "VARCHAR" : c.integral ? "BIGINT" : "DOUBLE";
    create += (i ? ", " : "") + data::engine::quote_identifier(c.name) + " " + type;
  }
  return connection.execute(create + ")");
}

Status append_table(data::engine::Connection& connection, const Table& table, std::string_view name) {
  MAAS_RETURN_IF_ERROR(table.check_shape());
  MAAS_ASSIGN_OR_RETURN(auto appender, connection.appender(name));
  // Column by column into DuckDB's vectors, a batch at a time: no Value per cell.
  std::vector<duckdb_type> types;
  for (const Column& c : table.columns) {
    types.push_back(c.type == ColumnType::kText ? DUCKDB_TYPE_VARCHAR
                    : c.integral                ? DUCKDB_TYPE_BIGINT
                                                : DUCKDB_TYPE_DOUBLE);
  }
  data::engine::ChunkBuilder batch(types);
  const size_t rows = table.rows(), capacity = data::engine::ChunkBuilder::capacity();
  for (size_t first = 0; first < rows; first += capacity) {
    const size_t n = std::min(capacity, rows - first);
    batch.reset();
    for (size_t i = 0; i < table.columns.size(); ++i) {
      const Column& c = table.columns[i];
      if (c.type == ColumnType::kText) {
        for (size_t r = 0; r < n; ++r) {
          const auto& text = c.texts[first + r];
          if (text) {
            batch.set_string(i, r, *text);
          } else {
            batch.set_null(i, r);
          }
        }
        continue;
      }
      const double* in = c.numbers.data() + first;
      if (c.integral) {
        int64_t* out = batch.ints(i);
        for (size_t r = 0; r < n; ++r) out[r] = std::isnan(in[r]) ? 0 : static_cast<int64_t>(in[r]);
      } else {
        std::copy(in, in + n, batch.doubles(i));
      }
      for (size_t r = 0; r < n; ++r) {
        if (std::isnan(in[r])) batch.set_null(i, r);
      }
    }
    batch.set_rows(n);
    MAAS_RETURN_IF_ERROR(appender.append_chunk(batch));
  }
  return appender.close();
}

Status write_table(data::engine::Connection& connection, const Table& table, std::string_view name) {
  MAAS_RETURN_IF_ERROR(table.check_shape());
  MAAS_RETURN_IF_ERROR(create_table(connection, table, name));
  return append_table(connection, table, name);
}

}  // namespace maas::features
