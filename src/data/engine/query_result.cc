#include "data/engine/query_result.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "data/engine/engine_error.h"

namespace maas::data::engine {
namespace {

// A logical type that frees itself.
class LogicalType {
 public:
  explicit LogicalType(duckdb_logical_type type) : type_(type) {}
  ~LogicalType() { duckdb_destroy_logical_type(&type_); }
  LogicalType(const LogicalType&) = delete;
  LogicalType& operator=(const LogicalType&) = delete;
  duckdb_logical_type get() const { return type_; }

 private:
  duckdb_logical_type type_;
};

Result<ColumnKind> kind_of(duckdb_type type, const std::string& column) {
  switch (type) {
    case DUCKDB_TYPE_BOOLEAN:
      return ColumnKind::kBool;
    case DUCKDB_TYPE_TINYINT:
    case DUCKDB_TYPE_SMALLINT:
    case DUCKDB_TYPE_INTEGER:
    case DUCKDB_TYPE_BIGINT:
    case DUCKDB_TYPE_UTINYINT:
    case DUCKDB_TYPE_USMALLINT:
    case DUCKDB_TYPE_UINTEGER:
    case DUCKDB_TYPE_UBIGINT:
    case DUCKDB_TYPE_HUGEINT:
      return ColumnKind::kInt64;
    case DUCKDB_TYPE_FLOAT:
    case DUCKDB_TYPE_DOUBLE:
    case DUCKDB_TYPE_DECIMAL:
      return ColumnKind::kDouble;
    case DUCKDB_TYPE_VARCHAR:
    case DUCKDB_TYPE_BLOB:
      return ColumnKind::kString;
    default:
      return invalid_argument("column '" + column + "' has type " + type_name(type) +
                              ", which is not read into C++ directly; cast it in the SQL (e.g. to VARCHAR)");
  }
}

template <typename T>
void read_ints(const void* data, size_t rows, std::vector<int64_t>& out) {
  const T* values = static_cast<const T*>(data);
  for (size_t i = 0; i < rows; ++i) out[i] = static_cast<int64_t>(values[i]);
}

// DuckDB stores a BOOLEAN as one byte, and a NULL slot may hold any byte: read bytes, not bool (loading a byte
// other than 0 or 1 as bool is undefined behaviour).
void read_bools(const void* data, size_t rows, std::vector<int64_t>& out) {
  const uint8_t* values = static_cast<const uint8_t*>(data);
  for (size_t i = 0; i < rows; ++i) out[i] = values[i] != 0 ? 1 : 0;
}

template <typename T>
void read_decimal(const void* data, size_t rows, double divisor, std::vector<double>& out) {
  const T* values = static_cast<const T*>(data);
  for (size_t i = 0; i < rows; ++i) out[i] = static_cast<double>(values[i]) / divisor;
}

Status read_column(duckdb_vector vector, const ColumnInfo& info, size_t rows, Column& column) {
  MAAS_ASSIGN_OR_RETURN(column.kind, kind_of(info.type, info.name));
  column.valid.assign(rows, 1);
  if (uint64_t* validity = duckdb_vector_get_validity(vector); validity != nullptr) {
    for (size_t i = 0; i < rows; ++i) column.valid[i] = duckdb_validity_row_is_valid(validity, i) ? 1 : 0;
  }
  const void* data = duckdb_vector_get_data(vector);
  switch (info.type) {
    case DUCKDB_TYPE_BOOLEAN:
      column.ints.resize(rows);
      read_bools(data, rows, column.ints);
      return {};
    case DUCKDB_TYPE_TINYINT: column.ints.resize(rows); read_ints<int8_t>(data, rows, column.ints); return {};
    case DUCKDB_TYPE_SMALLINT: column.ints.resize(rows); read_ints<int16_t>(data, rows, column.ints); return {};
    case DUCKDB_TYPE_INTEGER: column.ints.resize(rows); read_ints<int32_t>(data, rows, column.ints); return {};
    case DUCKDB_TYPE_BIGINT: column.ints.resize(rows); read_ints<int64_t>(data, rows, column.ints); return {};
    case DUCKDB_TYPE_UTINYINT: column.ints.resize(rows); read_ints<uint8_t>(data, rows, column.ints); return {};
    case DUCKDB_TYPE_USMALLINT: column.ints.resize(rows); read_ints<uint16_t>(data, rows, column.ints); return {};
    case DUCKDB_TYPE_UINTEGER: column.ints.resize(rows); read_ints<uint32_t>(data, rows, column.ints); return {};
    case DUCKDB_TYPE_UBIGINT: {
      const uint64_t* values = static_cast<const uint64_t*>(data);
      column.ints.resize(rows);
      for (size_t i = 0; i < rows; ++i) {
        if (column.valid[i] && values[i] > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
          return invalid_argument("column '" + info.name + "' holds " + std::to_string(values[i]) +
                                  ", above the largest BIGINT; cast it in the SQL");
        }
        column.ints[i] = static_cast<int64_t>(values[i]);
      }
      return {};
    }
    case DUCKDB_TYPE_HUGEINT: {
      // sum() and count_if() yield HUGEINT; their values almost always fit a BIGINT.
      const duckdb_hugeint* values = static_cast<const duckdb_hugeint*>(data);
      column.ints.resize(rows);
      for (size_t i = 0; i < rows; ++i) {
        if (!column.valid[i]) continue;
        bool fits = (values[i].upper == 0 && values[i].lower <= static_cast<uint64_t>(INT64_MAX)) ||
                    (values[i].upper == -1 && values[i].lower > static_cast<uint64_t>(INT64_MAX));
        if (!fits) return invalid_argument("column '" + info.name + "' holds a HUGEINT beyond BIGINT; cast it in the SQL");
        column.ints[i] = static_cast<int64_t>(values[i].lower);
      }
      return {};
    }
    case DUCKDB_TYPE_FLOAT: {
      const float* values = static_cast<const float*>(data);
      column.doubles.assign(values, values + rows);
      return {};
    }
    case DUCKDB_TYPE_DOUBLE: {
      const double* values = static_cast<const double*>(data);
      column.doubles.assign(values, values + rows);
      return {};
    }
    case DUCKDB_TYPE_DECIMAL: {
      LogicalType type(duckdb_vector_get_column_type(vector));
      double divisor = std::pow(10.0, duckdb_decimal_scale(type.get()));
      column.doubles.resize(rows);
      switch (duckdb_decimal_internal_type(type.get())) {
        case DUCKDB_TYPE_SMALLINT: read_decimal<int16_t>(data, rows, divisor, column.doubles); return {};
        case DUCKDB_TYPE_INTEGER: read_decimal<int32_t>(data, rows, divisor, column.doubles); return {};
        case DUCKDB_TYPE_BIGINT: read_decimal<int64_t>(data, rows, divisor, column.doubles); return {};
        default:
          return invalid_argument("column '" + info.name + "' is a DECIMAL wider than 18 digits; cast it in the SQL");
      }
    }
    case DUCKDB_TYPE_VARCHAR:
    case DUCKDB_TYPE_BLOB: {
      auto* values = static_cast<duckdb_string_t*>(const_cast<void*>(data));
      column.strings.resize(rows);
      for (size_t i = 0; i < rows; ++i) {
        if (!column.valid[i]) continue;
        column.strings[i].assign(duckdb_string_t_data(&values[i]), duckdb_string_t_length(values[i]));
      }
      return {};
    }
    default:
      return internal_error("unhandled column type " + type_name(info.type));
  }
}

void append_column(Column& into, Column&& from) {
  into.valid.insert(into.valid.end(), from.valid.begin(), from.valid.end());
  into.ints.insert(into.ints.end(), from.ints.begin(), from.ints.end());
  into.doubles.insert(into.doubles.end(), from.doubles.begin(), from.doubles.end());
  into.strings.insert(into.strings.end(), std::make_move_iterator(from.strings.begin()),
                      std::make_move_iterator(from.strings.end()));
}

}  // namespace

std::string type_name(duckdb_type type) {
  switch (type) {
    case DUCKDB_TYPE_BOOLEAN: return "BOOLEAN";
    case DUCKDB_TYPE_TINYINT: return "TINYINT";
    case DUCKDB_TYPE_SMALLINT: return "SMALLINT";
    case DUCKDB_TYPE_INTEGER: return "INTEGER";
    case DUCKDB_TYPE_BIGINT: return "BIGINT";
    case DUCKDB_TYPE_UTINYINT: return "UTINYINT";
    case DUCKDB_TYPE_USMALLINT: return "USMALLINT";
    case DUCKDB_TYPE_UINTEGER: return "UINTEGER";
    case DUCKDB_TYPE_UBIGINT: return "UBIGINT";
    case DUCKDB_TYPE_FLOAT: return "FLOAT";
    case DUCKDB_TYPE_DOUBLE: return "DOUBLE";
    case DUCKDB_TYPE_TIMESTAMP: return "TIMESTAMP";
    case DUCKDB_TYPE_DATE: return "DATE";
    case DUCKDB_TYPE_TIME: return "TIME";
    case DUCKDB_TYPE_INTERVAL: return "INTERVAL";
    case DUCKDB_TYPE_HUGEINT: return "HUGEINT";
    case DUCKDB_TYPE_UHUGEINT: return "UHUGEINT";
    case DUCKDB_TYPE_VARCHAR: return "VARCHAR";
    case DUCKDB_TYPE_BLOB: return "BLOB";
    case DUCKDB_TYPE_DECIMAL: return "DECIMAL";
    case DUCKDB_TYPE_TIMESTAMP_S: return "TIMESTAMP_S";
    case DUCKDB_TYPE_TIMESTAMP_MS: return "TIMESTAMP_MS";
    case DUCKDB_TYPE_TIMESTAMP_NS: return "TIMESTAMP_NS";
    case DUCKDB_TYPE_ENUM: return "ENUM";
    case DUCKDB_TYPE_LIST: return "LIST";
    case DUCKDB_TYPE_STRUCT: return "STRUCT";
    case DUCKDB_TYPE_MAP: return "MAP";
    case DUCKDB_TYPE_ARRAY: return "ARRAY";
    case DUCKDB_TYPE_UUID: return "UUID";
    case DUCKDB_TYPE_UNION: return "UNION";
    case DUCKDB_TYPE_BIT: return "BIT";
    case DUCKDB_TYPE_TIME_TZ: return "TIME WITH TIME ZONE";
    case DUCKDB_TYPE_TIMESTAMP_TZ: return "TIMESTAMP WITH TIME ZONE";
    default: return "type " + std::to_string(static_cast<int>(type));
  }
}

QueryResult::QueryResult(duckdb_result result) : result_(result) {
  idx_t count = duckdb_column_count(&result_);
  columns_.reserve(count);
  for (idx_t i = 0; i < count; ++i) {
    columns_.push_back(ColumnInfo{duckdb_column_name(&result_, i), duckdb_column_type(&result_, i)});
  }
}

QueryResult::~QueryResult() {
  if (owned_) duckdb_destroy_result(&result_);
}

QueryResult::QueryResult(QueryResult&& other) noexcept
    : result_(other.result_), owned_(other.owned_), columns_(std::move(other.columns_)) {
  other.owned_ = false;
}

int64_t QueryResult::rows_changed() { return static_cast<int64_t>(duckdb_rows_changed(&result_)); }

Result<std::optional<Chunk>> QueryResult::next_chunk() {
  duckdb_data_chunk chunk = duckdb_fetch_chunk(result_);
  if (chunk == nullptr) {
    if (const char* error = duckdb_result_error(&result_); error != nullptr) {
      return engine_error(duckdb_result_error_type(&result_), error);
    }
    return std::optional<Chunk>();
  }
  Chunk out;
  out.rows = duckdb_data_chunk_get_size(chunk);
  out.columns.resize(columns_.size());
  Status status;
  for (size_t c = 0; c < columns_.size() && status.ok(); ++c) {
    status = read_column(duckdb_data_chunk_get_vector(chunk, c), columns_[c], out.rows, out.columns[c]);
  }
  duckdb_destroy_data_chunk(&chunk);
  if (!status.ok()) return status;
  return std::optional<Chunk>(std::move(out));
}

Result<Chunk> QueryResult::fetch_all() {
  Chunk all;
  all.columns.resize(columns_.size());
  for (size_t c = 0; c < columns_.size(); ++c) {
    MAAS_ASSIGN_OR_RETURN(all.columns[c].kind, kind_of(columns_[c].type, columns_[c].name));
  }
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(std::optional<Chunk> chunk, next_chunk());
    if (!chunk) break;
    all.rows += chunk->rows;
    for (size_t c = 0; c < columns_.size(); ++c) append_column(all.columns[c], std::move(chunk->columns[c]));
  }
  return all;
}

}  // namespace maas::data::engine
