#include "training/cv/fold_rows.h"

#include <numeric>

#include "data/engine/sql_text.h"

namespace maas::training::cv {
namespace {

namespace engine = data::engine;

// One BIGINT per row, as the query returns them.
Result<std::vector<int64_t>> integers(engine::Connection& connection, const std::string& sql) {
  MAAS_ASSIGN_OR_RETURN(engine::QueryResult result, connection.query(sql));
  std::vector<int64_t> out;
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(auto chunk, result.next_chunk());
    if (!chunk) break;
    const engine::Column& column = chunk->columns.at(0);
    if (column.kind != engine::ColumnKind::kInt64) return internal_error("expected integers from " + sql);
    out.insert(out.end(), column.ints.begin(), column.ints.begin() + static_cast<std::ptrdiff_t>(chunk->rows));
  }
  return out;
}

// The file with DuckDB's row number of each row, the order the training table's plain scan reads them in.
std::string numbered(const std::string& file) {
  return "read_parquet(" + engine::quote_literal(file) + ", file_row_number = true)";
}

}  // namespace

Result<FoldRows> read_fold_rows(engine::Connection& connection, const TrainSpec& spec, const CvSpec& cv) {
  FoldRows out;
  MAAS_ASSIGN_OR_RETURN(out.table, read_table(connection, spec.train.file, spec, "", nullptr));
  if (!cv.group_column.empty()) {
    // np.unique's inverse: a group's rank among the distinct values in the column's own order (numbers as numbers).
    MAAS_ASSIGN_OR_RETURN(
        out.groups,
        integers(connection, "SELECT CAST(dense_rank() OVER (ORDER BY " + engine::quote_identifier(cv.group_column) +
                                 " NULLS LAST) - 1 AS BIGINT) AS g FROM " + numbered(spec.train.file) +
                                 " ORDER BY file_row_number"));
  }
  if (!cv.time_column.empty()) {
    MAAS_ASSIGN_OR_RETURN(
        std::vector<int64_t> order,
        integers(connection, "SELECT CAST(file_row_number AS BIGINT) FROM " + numbered(spec.train.file) + " ORDER BY " +
                                 engine::quote_identifier(cv.time_column) + " NULLS LAST, file_row_number"));
    std::vector<size_t> rows(order.begin(), order.end());
    if (rows.size() != out.table.rows()) return internal_error("the time order does not cover every row");
    out.table = table_rows(out.table, rows);
  }
  if (!out.groups.empty() && out.groups.size() != out.table.rows()) {
    return internal_error("the groups do not cover every row");
  }
  return out;
}

TrainingTable table_rows(const TrainingTable& table, const std::vector<size_t>& rows) {
  TrainingTable out;
  out.features = table.features;
  const size_t width = table.features.size();
  out.values.reserve(rows.size() * width);
  out.label.reserve(rows.size());
  for (size_t row : rows) {
    out.values.insert(out.values.end(), table.values.begin() + static_cast<std::ptrdiff_t>(row * width),
                      table.values.begin() + static_cast<std::ptrdiff_t>((row + 1) * width));
    out.label.push_back(table.label[row]);
    if (!table.weight.empty()) out.weight.push_back(table.weight[row]);
  }
  return out;
}

}  // namespace maas::training::cv
