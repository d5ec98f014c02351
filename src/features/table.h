// The columns a feature step reads and writes: numbers (NaN is missing) or text (nullopt is missing), by name.
// Plain values; no threading.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace maas::features {

enum class ColumnType { kNumber, kText };

struct Column {
  std::string name;
  ColumnType type = ColumnType::kNumber;
  // The numbers came from an integer column: categories are named "3", as Python's str(int), not "3.0".
  bool integral = false;
  std::vector<double> numbers;                    // kNumber; NaN is missing
  std::vector<std::optional<std::string>> texts;  // kText; nullopt is missing

  size_t size() const { return type == ColumnType::kNumber ? numbers.size() : texts.size(); }
  static Column of_numbers(std::string name, std::vector<double> values);
  static Column of_texts(std::string name, std::vector<std::optional<std::string>> values);
};

struct Table {
  std::vector<Column> columns;

  // Rows of the first column (0 without columns); check_shape says whether all columns agree.
  size_t rows() const { return columns.empty() ? 0 : columns.front().size(); }
  const Column* find(std::string_view name) const;
  Status check_shape() const;
};

const char* type_name(ColumnType type);

// INVALID_ARGUMENT naming the column when it holds +/-inf, or NaN unless `allow_nan` (sklearn's check_array).
Status check_finite(const Column& column, bool allow_nan, std::string_view step);
// INVALID_ARGUMENT naming the column unless it holds numbers.
Status check_numeric(const Column& column, std::string_view step);

}  // namespace maas::features
