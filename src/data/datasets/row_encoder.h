// Reads a table's rows as JSON values or CSV text, whatever their DuckDB types: the SQL it selects turns each column
// into something the typed chunk reader holds (temporal values become ISO text, nested values JSON text, wide
// integers exact text), and it writes each cell from that. Shared by previews and exports. Immutable after make().
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "data/datasets/schema.h"
#include "data/engine/query_result.h"

namespace maas::data {

class RowEncoder {
 public:
  // The columns to read (all of `schema` when `columns` is empty); INVALID_ARGUMENT naming a column that is absent.
  static Result<RowEncoder> make(const Schema& schema, const std::vector<std::string>& columns);

  const Schema& fields() const { return fields_; }
  // "SELECT <one expression per field> FROM <relation>"
  std::string select_sql(const std::string& relation) const;

  // Cell (row, column) as JSON: numbers, booleans, strings, nested values parsed; NULL, NaN and infinities are
  // null (as pandas' to_json writes them).
  nlohmann::json json_cell(const engine::Chunk& chunk, size_t row, size_t column) const;
  // Appends cell (row, column) as a CSV field: NULL is empty, text is quoted when it holds the delimiter, a quote, a
  // line break, is empty, or starts or ends with a space (RFC 4180 quoting, "" inside); floats are the shortest
  // text that reads back the same, with ".0" where it would look like an integer (NaN, inf, -inf as such).
  void append_csv_cell(std::string& out, const engine::Chunk& chunk, size_t row, size_t column, char delimiter) const;

 private:
  enum class Encoding { kNative, kText, kJson };
  std::vector<Encoding> encodings_;
  Schema fields_;
};

// Appends `text` as one CSV field (quoted when needed).
void append_csv_field(std::string& out, std::string_view text, char delimiter);

}  // namespace maas::data
