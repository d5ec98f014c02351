#include "data/datasets/schema.h"

#include "data/engine/sql_text.h"

namespace maas::data {

nlohmann::json schema_to_json(const Schema& schema) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : schema) out.push_back({{"name", f.name}, {"type", f.type}});
  return out;
}

Schema schema_from_json(const nlohmann::json& j) {
  Schema schema;
  if (!j.is_array()) return schema;
  for (const auto& f : j) {
    if (f.is_object() && f.contains("name") && f["name"].is_string() && f.contains("type") && f["type"].is_string()) {
      schema.push_back({f["name"].get<std::string>(), f["type"].get<std::string>()});
    }
  }
  return schema;
}

Result<Schema> describe(engine::Connection& connection, const std::string& relation) {
  MAAS_ASSIGN_OR_RETURN(auto result, connection.query("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM " +
                                                      relation + ")"));
  MAAS_ASSIGN_OR_RETURN(engine::Chunk rows, result.fetch_all());
  Schema schema;
  for (size_t i = 0; i < rows.rows; ++i) schema.push_back({rows.columns[0].strings[i], rows.columns[1].strings[i]});
  return schema;
}

std::string parquet_relation(const std::string& path) { return "read_parquet(" + engine::quote_literal(path) + ")"; }

}  // namespace maas::data
