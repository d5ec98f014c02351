#include "data/datasets/preview.h"

#include "data/datasets/row_encoder.h"

namespace maas::data {

Status check_preview_options(const PreviewOptions& options) {
  if (options.offset < 0) return invalid_argument("offset must be 0 or more");
  if (options.limit < 1 || options.limit > options.max_limit) {
    return invalid_argument("limit must be between 1 and " + std::to_string(options.max_limit));
  }
  return {};
}

Result<Preview> preview(engine::Connection& connection, const std::string& relation, const PreviewOptions& options) {
  MAAS_RETURN_IF_ERROR(check_preview_options(options));
  MAAS_ASSIGN_OR_RETURN(Schema schema, describe(connection, relation));
  MAAS_ASSIGN_OR_RETURN(RowEncoder encoder, RowEncoder::make(schema, options.columns));
  Preview out;
  out.columns = encoder.fields();
  {
    MAAS_ASSIGN_OR_RETURN(auto count, connection.query("SELECT count(*) FROM " + relation));
    MAAS_ASSIGN_OR_RETURN(engine::Chunk total, count.fetch_all());
    out.total_rows = total.columns[0].ints[0];
  }
  // A snapshot's row order is its file order; LIMIT/OFFSET over a Parquet scan keeps it (insertion order is kept).
  MAAS_ASSIGN_OR_RETURN(auto statement, connection.prepare(encoder.select_sql(relation) + " LIMIT $1 OFFSET $2"));
  std::vector<engine::Value> bounds = {options.limit, options.offset};
  MAAS_RETURN_IF_ERROR(statement.bind_all(bounds));
  MAAS_ASSIGN_OR_RETURN(auto result, statement.execute());
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(auto chunk, result.next_chunk());
    if (!chunk) break;
    for (size_t r = 0; r < chunk->rows; ++r) {
      nlohmann::json row = nlohmann::json::array();
      for (size_t c = 0; c < out.columns.size(); ++c) row.push_back(encoder.json_cell(*chunk, r, c));
      out.rows.push_back(std::move(row));
    }
  }
  return out;
}

nlohmann::json preview_to_json(const Preview& preview, int64_t offset) {
  return {{"columns", schema_to_json(preview.columns)}, {"total_rows", preview.total_rows}, {"offset", offset},
          {"rows", preview.rows}};
}

}  // namespace maas::data
