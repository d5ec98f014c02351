#include "features/categories.h"

#include <algorithm>
#include <cmath>

#include "features/numeric.h"

namespace maas::features {

Categories Categories::of(const Column& column) {
  Categories c;
  c.type_ = column.type;
  c.integral_ = column.integral;
  if (column.type == ColumnType::kNumber) {
    for (double v : column.numbers) {
      if (std::isnan(v))
        c.missing_ = true;
      else
        c.numbers_.push_back(v);
    }
    std::sort(c.numbers_.begin(), c.numbers_.end());
    c.numbers_.erase(std::unique(c.numbers_.begin(), c.numbers_.end()), c.numbers_.end());
  } else {
    for (const auto& v : column.texts) {
      if (!v)
        c.missing_ = true;
      else
        c.texts_.push_back(*v);
    }
    // UTF-8's byte order is code point order, which is how Python sorts str.
    std::sort(c.texts_.begin(), c.texts_.end());
    c.texts_.erase(std::unique(c.texts_.begin(), c.texts_.end()), c.texts_.end());
  }
  return c;
}

nlohmann::json Categories::to_json() const {
  nlohmann::json j = {{"type", type_name(type_)}, {"integral", integral_}, {"missing", missing_}};
  if (type_ == ColumnType::kNumber)
    j["values"] = numbers_;
  else
    j["values"] = texts_;
  return j;
}

Categories Categories::from_json(const nlohmann::json& state) {
  Categories c;
  c.type_ = state.at("type").get<std::string>() == "text" ? ColumnType::kText : ColumnType::kNumber;
  c.integral_ = state.at("integral").get<bool>();
  c.missing_ = state.at("missing").get<bool>();
  if (c.type_ == ColumnType::kNumber)
    c.numbers_ = state.at("values").get<std::vector<double>>();
  else
    c.texts_ = state.at("values").get<std::vector<std::string>>();
  return c;
}

std::optional<size_t> Categories::index_of(const Column& column, size_t row) const {
  const size_t present = size() - (missing_ ? 1 : 0);
  if (type_ == ColumnType::kNumber) {
    const double v = column.numbers[row];
    if (std::isnan(v)) return missing_ ? std::optional<size_t>(present) : std::nullopt;
    const auto it = std::lower_bound(numbers_.begin(), numbers_.end(), v);
    if (it == numbers_.end() || *it != v) return std::nullopt;
    return static_cast<size_t>(it - numbers_.begin());
  }
  const auto& v = column.texts[row];
  if (!v) return missing_ ? std::optional<size_t>(present) : std::nullopt;
  const auto it = std::lower_bound(texts_.begin(), texts_.end(), *v);
  if (it == texts_.end() || *it != *v) return std::nullopt;
  return static_cast<size_t>(it - texts_.begin());
}

bool Categories::matches(size_t index, const nlohmann::json& value) const {
  const size_t present = size() - (missing_ ? 1 : 0);
  if (index >= present) return value.is_null();
  if (type_ == ColumnType::kNumber) return value.is_number() && value.get<double>() == numbers_[index];
  return value.is_string() && value.get_ref<const std::string&>() == texts_[index];
}

std::string Categories::name(size_t index) const {
  if (type_ == ColumnType::kNumber) {
    return index < numbers_.size() ? number_name(numbers_[index], integral_) : "nan";
  }
  return index < texts_.size() ? texts_[index] : "nan";
}

std::string Categories::describe(const Column& column, size_t row) {
  if (column.type == ColumnType::kNumber) {
    return std::isnan(column.numbers[row]) ? "a missing value" : python_float_repr(column.numbers[row]);
  }
  return column.texts[row] ? "'" + *column.texts[row] + "'" : "a missing value";
}

Status check_categorical(const Table& input, const char* step) {
  for (const Column& c : input.columns) {
    if (c.type == ColumnType::kNumber) MAAS_RETURN_IF_ERROR(check_finite(c, /*allow_nan=*/true, step));
  }
  return {};
}

Status unknown_category(const char* step, const Column& column, size_t row) {
  return invalid_argument(std::string(step) + ": column '" + column.name + "' has " +
                          Categories::describe(column, row) + " at row " + std::to_string(row) +
                          ", a category not seen when fitting (handle_unknown is error)");
}

}  // namespace maas::features
