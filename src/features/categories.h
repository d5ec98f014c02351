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

}  // namespace maas::features
