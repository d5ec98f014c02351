#include "data/engine/prepared_statement.h"

#include <type_traits>

#include "data/engine/engine_error.h"

namespace maas::data::engine {

PreparedStatement::~PreparedStatement() {
  if (statement_ != nullptr) duckdb_destroy_prepare(&statement_);
}

size_t PreparedStatement::parameter_count() const { return duckdb_nparams(statement_); }

Status PreparedStatement::bind(size_t index, const Value& value) {
  if (index == 0 || index > parameter_count()) {
    return invalid_argument("parameter $" + std::to_string(index) + " does not exist; the statement has " +
                            std::to_string(parameter_count()));
  }
  duckdb_state state = std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return duckdb_bind_null(statement_, index);
        } else if constexpr (std::is_same_v<T, bool>) {
          return duckdb_bind_boolean(statement_, index, v);
        } else if constexpr (std::is_same_v<T, int64_t>) {
          return duckdb_bind_int64(statement_, index, v);
        } else if constexpr (std::is_same_v<T, double>) {
          return duckdb_bind_double(statement_, index, v);
        } else {
          return duckdb_bind_varchar_length(statement_, index, v.data(), v.size());
        }
      },
      value);
  if (state == DuckDBError) return invalid_argument("the value cannot be bound to parameter $" + std::to_string(index));
  return {};
}

Status PreparedStatement::bind_all(std::span<const Value> values) {
  for (size_t i = 0; i < values.size(); ++i) MAAS_RETURN_IF_ERROR(bind(i + 1, values[i]));
  return {};
}

Result<QueryResult> PreparedStatement::execute() {
  duckdb_result result;
  if (duckdb_execute_prepared_streaming(statement_, &result) == DuckDBError) {
    Status status = engine_error(duckdb_result_error_type(&result), duckdb_result_error(&result));
    duckdb_destroy_result(&result);
    return status;
  }
  return QueryResult(result);
}

}  // namespace maas::data::engine
