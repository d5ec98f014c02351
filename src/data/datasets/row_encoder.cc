#include "data/datasets/row_encoder.h"

#include <charconv>
#include <cmath>
#include <set>

#include "data/engine/sql_text.h"

namespace maas::data {
namespace {

using engine::ColumnKind;
using nlohmann::json;

bool is_native(const std::string& type) {
  static const std::set<std::string> kNative = {"BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT",
                                                "USMALLINT", "UINTEGER", "FLOAT", "DOUBLE", "VARCHAR"};
  if (kNative.count(type) != 0) return true;
  // DECIMAL(w,s) with w <= 18 is read as a double.
  if (type.starts_with("DECIMAL(")) return std::atoi(type.c_str() + 8) <= 18;
  return false;
}

bool is_nested(const std::string& type) {
  return type == "JSON" || type.starts_with("STRUCT") || type.starts_with("MAP") || type.starts_with("UNION") || type.ends_with("]");
}

void append_double(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "inf" : "-inf";
  } else {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
    std::string_view text(buf, static_cast<size_t>(end - buf));
    out += text;
    // 0.0 stays "0.0", not "0": a reader then types the column as floating point, as it was.
    if (text.find_first_of(".e") == std::string_view::npos) out += ".0";
  }
}

}  // namespace

void append_csv_field(std::string& out, std::string_view text, char delimiter) {
  // An empty string is quoted so that it reads back apart from NULL (an empty field).
  bool quote = text.empty() || text.front() == ' ' || text.back() == ' ';
  for (char c : text) {
    if (c == delimiter || c == '"' || c == '\n' || c == '\r') {
      quote = true;
      break;
    }
  }
  if (!quote) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

Result<RowEncoder> RowEncoder::make(const Schema& schema, const std::vector<std::string>& columns) {
  RowEncoder encoder;
  if (columns.empty()) {
    encoder.fields_ = schema;
  } else {
    for (const auto& name : columns) {
      const Field* found = nullptr;
      for (const auto& f : schema) {
        if (f.name == name) found = &f;
      }
      if (found == nullptr) {
        std::string names;
        for (const auto& f : schema) names += (names.empty() ? "" : ", ") + f.name;
        return invalid_argument("no column '" + name + "'; the columns are: " + names);
      }
      encoder.fields_.push_back(*found);
    }
  }
  for (const auto& f : encoder.fields_) {
    encoder.encodings_.push_back(is_native(f.type) ? Encoding::kNative
                                 : is_nested(f.type) ? Encoding::kJson
                                                     : Encoding::kText);
  }
  return encoder;
}

std::string RowEncoder::select_sql(const std::string& relation) const {
  std::string sql = "SELECT ";
  for (size_t i = 0; i < fields_.size(); ++i) {
    std::string column = engine::quote_identifier(fields_[i].name);
    if (i > 0) sql += ", ";
    switch (encodings_[i]) {
      case Encoding::kNative: sql += column; break;
      case Encoding::kText: sql += column + "::VARCHAR"; break;
      case Encoding::kJson: sql += "to_json(" + column + ")::VARCHAR"; break;
    }
  }
  return sql + " FROM " + relation;
}

json RowEncoder::json_cell(const engine::Chunk& chunk, size_t row, size_t column) const {
  const engine::Column& c = chunk.columns[column];
  if (c.is_null(row)) return nullptr;
  switch (c.kind) {
    case ColumnKind::kBool: return c.ints[row] != 0;
    case ColumnKind::kInt64: return c.ints[row];
    case ColumnKind::kDouble: return std::isfinite(c.doubles[row]) ? json(c.doubles[row]) : json(nullptr);
    case ColumnKind::kString:
      if (encodings_[column] == Encoding::kJson) {
        json parsed = json::parse(c.strings[row], nullptr, /*allow_exceptions=*/false);
        return parsed.is_discarded() ? json(c.strings[row]) : parsed;
      }
      return c.strings[row];
  }
  return nullptr;
}

void RowEncoder::append_csv_cell(std::string& out, const engine::Chunk& chunk, size_t row, size_t column,
                                 char delimiter) const {
  const engine::Column& c = chunk.columns[column];
  if (c.is_null(row)) return;
  switch (c.kind) {
    case ColumnKind::kBool: out += c.ints[row] != 0 ? "true" : "false"; return;
    case ColumnKind::kInt64: out += std::to_string(c.ints[row]); return;
    case ColumnKind::kDouble: append_double(out, c.doubles[row]); return;
    case ColumnKind::kString: append_csv_field(out, c.strings[row], delimiter); return;
  }
}

}  // namespace maas::data
