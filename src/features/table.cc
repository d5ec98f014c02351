#include "features/table.h"

#include <cmath>

namespace maas::features {

Column Column::of_numbers(std::string name, std::vector<double> values) {
  Column c;
  c.name = std::move(name);
  c.type = ColumnType::kNumber;
  c.numbers = std::move(values);
  return c;
}

Column Column::of_texts(std::string name, std::vector<std::optional<std::string>> values) {
  Column c;
  c.name = std::move(name);
  c.type = ColumnType::kText;
  c.texts = std::move(values);
  return c;
}

const Column* Table::find(std::string_view name) const {
  for (const Column& c : columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

Status Table::check_shape() const {
  for (const Column& c : columns) {
    if (c.size() != rows()) {
      return invalid_argument("column '" + c.name + "' has " + std::to_string(c.size()) + " rows, column '" +
                              columns.front().name + "' has " + std::to_string(rows()));
    }
  }
  return {};
}

const char* type_name(ColumnType type) { return type == ColumnType::kNumber ? "number" : "text"; }

Status check_numeric(const Column& column, std::string_view step) {
  if (column.type != ColumnType::kNumber) {
    return invalid_argument(std::string(step) + " needs numbers, but column '" + column.name + "' holds text");
  }
  return {};
}

Status check_finite(const Column& column, bool allow_nan, std::string_view step) {
  MAAS_RETURN_IF_ERROR(check_numeric(column, step));
  for (size_t row = 0; row < column.numbers.size(); ++row) {
    const double v = column.numbers[row];
    if (std::isinf(v) || (!allow_nan && std::isnan(v))) {
      return invalid_argument(std::string(step) + ": column '" + column.name + "' holds " +
                              (std::isnan(v) ? "a missing value (NaN)" : "an infinite value") + " at row " +
                              std::to_string(row) + (allow_nan ? "" : "; impute it first (SimpleImputer)"));
    }
  }
  return {};
}

}  // namespace maas::features
