#include "data/engine/connection.h"

#include <string>

#include "data/engine/engine_error.h"

namespace maas::data::engine {

Connection::~Connection() {
  if (connection_ != nullptr) duckdb_disconnect(&connection_);
}

Status Connection::execute(std::string_view sql) {
  std::string text(sql);
  duckdb_result result;
  Status status;
  if (duckdb_query(connection_, text.c_str(), &result) == DuckDBError) {
    status = engine_error(duckdb_result_error_type(&result), duckdb_result_error(&result));
  }
  duckdb_destroy_result(&result);
  return status;
}

Result<QueryResult> Connection::query(std::string_view sql) {
  MAAS_ASSIGN_OR_RETURN(PreparedStatement statement, prepare(sql));
  return statement.execute();
}

Result<PreparedStatement> Connection::prepare(std::string_view sql) {
  std::string text(sql);
  duckdb_prepared_statement statement = nullptr;
  if (duckdb_prepare(connection_, text.c_str(), &statement) == DuckDBError) {
    const char* error = duckdb_prepare_error(statement);
    Status status = engine_error(error != nullptr ? error : "the statement could not be prepared");
    duckdb_destroy_prepare(&statement);
    return status;
  }
  return PreparedStatement(statement);
}

Result<Appender> Connection::appender(std::string_view table) {
  std::string name(table);
  duckdb_appender appender = nullptr;
  if (duckdb_appender_create(connection_, nullptr, name.c_str(), &appender) == DuckDBError) {
    const char* error = duckdb_appender_error(appender);
    Status status = engine_error(error != nullptr ? error : "no table '" + name + "'", "appending to '" + name + "'");
    duckdb_appender_destroy(&appender);
    return status;
  }
  return Appender(appender);
}

void Connection::interrupt() { duckdb_interrupt(connection_); }

double Connection::progress() { return duckdb_query_progress(connection_).percentage / 100.0; }

}  // namespace maas::data::engine
