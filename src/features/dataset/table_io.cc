#include "features/dataset/table_io.h"

#include <cmath>
#include <limits>

#include "data/engine/sql_text.h"

namespace maas::features {

Result<Table> read_table(data::engine::Connection& connection, std::string_view sql, size_t max_rows) {
  MAAS_ASSIGN_OR_RETURN(auto result, connection.query(sql));
  Table table;
  for (const auto& info : result.columns()) {
    table.columns.emplace_back();
    table.columns.back().name = info.name;
  }
  bool typed = false;
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(auto chunk, result.next_chunk());
    if (!chunk) break;
    if (table.rows() + chunk->rows > max_rows) {
      return resource_exhausted("the data has more than " + std::to_string(max_rows) +
                                " rows, the most a feature pipeline reads at once");
    }
    for (size_t i = 0; i < chunk->columns.size(); ++i) {
      const data::engine::Column& in = chunk->columns[i];
      Column& out = table.columns[i];
      if (!typed) {
        out.type = in.kind == data::engine::ColumnKind::kString ? ColumnType::kText : ColumnType::kNumber;
        out.integral = in.kind == data::engine::ColumnKind::kInt64 || in.kind == data::engine::ColumnKind::kBool;
      }
      for (size_t row = 0; row < chunk->rows; ++row) {
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
    typed = true;
  }
  return table;
}

Status write_table(data::engine::Connection& connection, const Table& table, std::string_view name) {
  MAAS_RETURN_IF_ERROR(table.check_shape());
  std::string create = "CREATE TABLE " + data::engine::quote_identifier(name) + " (";
  for (size_t i = 0; i < table.columns.size(); ++i) {
    const Column& c = table.columns[i];
    const char* type = c.type == ColumnType::kText ? "VARCHAR" : c.integral ? "BIGINT" : "DOUBLE";
    create += (i ? ", " : "") + data::engine::quote_identifier(c.name) + " " + type;
  }
  MAAS_RETURN_IF_ERROR(connection.execute(create + ")"));
  MAAS_ASSIGN_OR_RETURN(auto appender, connection.appender(name));
  std::vector<data::engine::Value> row(table.columns.size());
  for (size_t r = 0; r < table.rows(); ++r) {
    for (size_t i = 0; i < table.columns.size(); ++i) {
      const Column& c = table.columns[i];
      if (c.type == ColumnType::kText) {
        row[i] = c.texts[r] ? data::engine::Value(*c.texts[r]) : data::engine::Value();
      } else if (std::isnan(c.numbers[r])) {
        row[i] = data::engine::Value();
      } else if (c.integral) {
        row[i] = static_cast<int64_t>(c.numbers[r]);
      } else {
        row[i] = c.numbers[r];
      }
    }
    MAAS_RETURN_IF_ERROR(appender.append_row(row));
  }
  return appender.close();
}

}  // namespace maas::features
