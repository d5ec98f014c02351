// A prepared statement with parameters bound by position (1-based, as $1 in the SQL). Owned by one thread; its
// Connection must outlive it.
#pragma once

#include <duckdb.h>

#include <cstddef>
#include <span>
#include <string>

#include "common/status.h"
#include "data/engine/query_result.h"
#include "data/engine/value.h"

namespace maas::data::engine {

class PreparedStatement {
 public:
  explicit PreparedStatement(duckdb_prepared_statement statement) : statement_(statement) {}
  ~PreparedStatement();
  PreparedStatement(PreparedStatement&& other) noexcept : statement_(other.statement_) { other.statement_ = nullptr; }
  PreparedStatement& operator=(PreparedStatement&&) = delete;
  PreparedStatement(const PreparedStatement&) = delete;
  PreparedStatement& operator=(const PreparedStatement&) = delete;

  size_t parameter_count() const;
  // INVALID_ARGUMENT when the index is out of range or the value does not fit the parameter's type.
  Status bind(size_t index, const Value& value);
  // Binds values[i] to parameter i + 1.
  Status bind_all(std::span<const Value> values);
  // Runs the statement with the bound values; the result streams (see QueryResult).
  Result<QueryResult> execute();

 private:
  duckdb_prepared_statement statement_;
};

}  // namespace maas::data::engine
