#include "data/prep/sql_values.h"

#include "data/datasets/schema.h"
#include "data/engine/sql_text.h"
#include "data/prep/column_stats.h"
#include "data/prep/recipe.h"

namespace maas::data::prep {

std::string literal_sql(const nlohmann::json& value, const std::string& type) {
  if (value.is_boolean()) return value.get<bool>() ? "TRUE" : "FALSE";
  if (value.is_number_integer()) return "CAST(" + value.dump() + " AS " + type + ")";
  if (value.is_number())
    return is_floating_type(type) ? double_sql(value.get<double>())
                                  : "CAST(" + double_sql(value.get<double>()) + " AS " + type + ")";
  const std::string text = engine::quote_literal(value.is_string() ? value.get<std::string>() : value.dump());
  return is_text_type(type) ? text : "CAST(" + text + " AS " + type + ")";
}

Result<nlohmann::json> scalar_json(engine::Connection& c, const std::string& sql, const std::string& type) {
  const bool plain = is_numeric_type(type) || is_text_type(type) || type == "BOOLEAN";
  MAAS_ASSIGN_OR_RETURN(auto result,
                        c.query(plain ? sql : "SELECT CAST(v AS VARCHAR) FROM (" + sql + ") AS maas_value(v)"));
  MAAS_ASSIGN_OR_RETURN(engine::Chunk chunk, result.fetch_all());
  if (chunk.rows == 0 || chunk.columns.empty() || chunk.columns[0].is_null(0)) return nlohmann::json(nullptr);
  const engine::Column& col = chunk.columns[0];
  switch (col.kind) {
    case engine::ColumnKind::kBool:
      return nlohmann::json(col.ints[0] != 0);
    case engine::ColumnKind::kInt64:
      return nlohmann::json(col.ints[0]);
    case engine::ColumnKind::kDouble:
      return nlohmann::json(col.doubles[0]);
    case engine::ColumnKind::kString:
      return nlohmann::json(col.strings[0]);
  }
  return nlohmann::json(nullptr);
}

Status load_with_row_positions(engine::Connection& c, const std::string& table, const std::filesystem::path& input) {
  const std::string file = engine::quote_literal(input.string());
  MAAS_ASSIGN_OR_RETURN(Schema schema, describe(c, "read_parquet(" + file + ")"));
  for (const auto& f : schema) {
    if (f.name == kRowPosition || f.name == "file_row_number") {
      return invalid_argument("a column named '" + f.name + "' cannot be prepared (the name is reserved)");
    }
  }
  return c.execute("CREATE TEMP TABLE " + table + " AS SELECT * EXCLUDE (file_row_number), file_row_number AS " +
                   kRowPosition + " FROM read_parquet(" + file + ", file_row_number = true)");
}

}  // namespace maas::data::prep
