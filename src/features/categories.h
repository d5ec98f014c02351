// The distinct values of a column as scikit-learn 1.2's encoders order them (numbers ascending, text by code point,
// a missing value last) and the lookup of a value's index. Plain values; read-only after construction.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "features/table.h"

namespace maas::features {

class Categories {
 public:
  // The categories of `column` (numbers must be finite or NaN: the caller checks).
  static Categories of(const Column& column);
  static Categories from_json(const nlohmann::json& state);
  nlohmann::json to_json() const;

  size_t size() const { return (type_ == ColumnType::kNumber ? numbers_.size() : texts_.size()) + (missing_ ? 1 : 0); }
  bool has_missing() const { return missing_; }
  // The index of the value at `row` of `column` (typed as at fit), nullopt when it was not seen when fitting.
  std::optional<size_t> index_of(const Column& column, size_t row) const;
  // Whether category `index` is `value` (a string, a number, or null for the missing category).
  bool matches(size_t index, const nlohmann::json& value) const;
  // The category's name as sklearn's get_feature_names_out writes it (str() of the value; "nan" when missing).
  std::string name(size_t index) const;
  // The value at `row` for messages: 'text', 1.5 or a missing value.
  static std::string describe(const Column& column, size_t row);

 private:
  ColumnType type_ = ColumnType::kNumber;
  bool integral_ = false;
  bool missing_ = false;
  std::vector<double> numbers_;
  std::vector<std::string> texts_;
};

// OK when every column holds text, or numbers that are finite or NaN (missing); else names the column.
Status check_categorical(const Table& input, const char* step);
// INVALID_ARGUMENT: column's value at `row` is a category not seen when fitting.
Status unknown_category(const char* step, const Column& column, size_t row);

// Each column of `input` replaced one for one by code(column index, category index or nullopt when unseen), with
// `categories` learned per column; an unseen value is unknown_category instead when `error_on_unknown`.
template <typename Code>
Result<Table> encode_columns(const Table& input, const std::vector<Categories>& categories, const char* step,
                             bool error_on_unknown, Code code) {
  MAAS_RETURN_IF_ERROR(check_categorical(input, step));
  Table out;
  for (size_t i = 0; i < input.columns.size(); ++i) {
    const Column& in = input.columns[i];
    Column encoded = Column::of_numbers(in.name, std::vector<double>(in.size()));
    for (size_t row = 0; row < in.size(); ++row) {
      const std::optional<size_t> k = categories[i].index_of(in, row);
      if (!k && error_on_unknown) return unknown_category(step, in, row);
      encoded.numbers[row] = code(i, k);
    }
    out.columns.push_back(std::move(encoded));
  }
  return out;
}

}  // namespace maas::features
