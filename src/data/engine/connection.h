// A connection to a Database: runs SQL, prepares statements, streams results, appends rows. Owned by one thread at a
// time; interrupt() may be called from another thread to stop the running query (it then fails with
// DEADLINE_EXCEEDED). Its Database must outlive it.
#pragma once

#include <duckdb.h>

#include <string>
#include <string_view>

#include "common/status.h"
#include "data/engine/appender.h"
#include "data/engine/prepared_statement.h"
#include "data/engine/query_result.h"

namespace maas::data::engine {

class Connection {
 public:
  explicit Connection(duckdb_connection connection) : connection_(connection) {}
  ~Connection();
  Connection(Connection&& other) noexcept : connection_(other.connection_) { other.connection_ = nullptr; }
  Connection& operator=(Connection&&) = delete;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements and drops their results.
  Status execute(std::string_view sql);
  // Runs one statement and streams its result: rows are produced as next_chunk() asks for them.
  Result<QueryResult> query(std::string_view sql);
  // Prepares one statement (several are refused: user SQL is one statement).
  Result<PreparedStatement> prepare(std::string_view sql);
  // Appends rows to `table` (in the main schema) faster than INSERTs.
  Result<Appender> appender(std::string_view table);

  // Stops the query running on this connection, from any thread.
  void interrupt();
  // The running query's progress in [0, 1], or -1 when DuckDB cannot tell (no query, or progress off).
  double progress();

  duckdb_connection handle() const { return connection_; }

 private:
  duckdb_connection connection_;
};

}  // namespace maas::data::engine
