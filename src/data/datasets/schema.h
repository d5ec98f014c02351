// A table's schema as the data layer records it: column names and DuckDB type names, in order.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "data/engine/connection.h"

namespace maas::data {

struct Field {
  std::string name;
  std::string type;  // DuckDB's SQL name: BIGINT, DOUBLE, VARCHAR, DATE, DECIMAL(10,2), STRUCT(...), ...
};
using Schema = std::vector<Field>;

// [{"name", "type"}]
nlohmann::json schema_to_json(const Schema& schema);

// Reads what schema_to_json wrote; entries of the wrong shape are left out.
Schema schema_from_json(const nlohmann::json& j);

// The schema of what `relation` yields (any SQL that can follow FROM: a table function call, a subquery).
Result<Schema> describe(engine::Connection& connection, const std::string& relation);

// read_parquet('<path>'): the relation of a Parquet file.
std::string parquet_relation(const std::string& path);

}  // namespace maas::data
