#include "features/table_json.h"

#include <cmath>
#include <limits>

#include "common/json_fields.h"
#include "features/step.h"

namespace maas::features {
namespace {

Result<Column> column_from_json(const nlohmann::json& j, size_t index) {
  const std::string where = "columns[" + std::to_string(index) + "]";
  MAAS_RETURN_IF_ERROR(check_known_fields(j, where, {"name", "type", "values"}));
  const auto name = j.find("name"), type = j.find("type"), values = j.find("values");
  if (name == j.end() || !name->is_string() || name->get_ref<const std::string&>().empty()) {
    return invalid_argument(where + ": 'name' must be a non-empty string");
  }
  if (type == j.end() || !type->is_string() || (*type != "number" && *type != "integer" && *type != "text")) {
    return invalid_argument(where + ": 'type' must be number, integer or text");
  }
  if (values == j.end() || !values->is_array()) return invalid_argument(where + ": 'values' must be an array");
  Column c;
  c.name = name->get<std::string>();
  const std::string what = "column '" + c.name + "'";
  if (*type == "text") {
    c.type = ColumnType::kText;
    for (size_t row = 0; row < values->size(); ++row) {
      const auto& v = (*values)[row];
      if (!v.is_null() && !v.is_string()) {
        return invalid_argument(what + " is text, but row " + std::to_string(row) + " holds " + v.dump());
      }
      c.texts.push_back(v.is_null() ? std::nullopt : std::optional(v.get<std::string>()));
    }
    return c;
  }
  c.integral = *type == "integer";
  for (size_t row = 0; row < values->size(); ++row) {
    const auto& v = (*values)[row];
    if (!v.is_null() && !(c.integral ? v.is_number_integer() : v.is_number())) {
      return invalid_argument(what + " is " + type->get<std::string>() + ", but row " + std::to_string(row) +
                              " holds " + v.dump());
    }
    c.numbers.push_back(v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.get<double>());
  }
  return c;
}

}  // namespace

Result<Table> table_from_json(const nlohmann::json& j) {
  MAAS_RETURN_IF_ERROR(check_known_fields(j, "", {"columns"}));
  const auto columns = j.find("columns");
  if (columns == j.end() || !columns->is_array()) return invalid_argument("'columns' must be an array");
  Table t;
  for (size_t i = 0; i < columns->size(); ++i) {
    MAAS_ASSIGN_OR_RETURN(Column c, column_from_json((*columns)[i], i));
    if (t.find(c.name) != nullptr) return invalid_argument("column '" + c.name + "' is named twice");
    t.columns.push_back(std::move(c));
  }
  MAAS_RETURN_IF_ERROR(t.check_shape());
  return t;
}

nlohmann::json table_to_json(const Table& table) {
  nlohmann::json columns = nlohmann::json::array();
  for (const Column& c : table.columns) {
    nlohmann::json values = nlohmann::json::array();
    if (c.type == ColumnType::kText) {
      for (const auto& v : c.texts) values.push_back(v ? nlohmann::json(*v) : nlohmann::json());
    } else {
      for (double v : c.numbers) values.push_back(number_json(v));
    }
    columns.push_back({{"name", c.name},
                       {"type", c.type == ColumnType::kText ? "text"
                                : c.integral                ? "integer"
                                                            : "number"},
                       {"values", std::move(values)}});
  }
  return {{"columns", std::move(columns)}};
}

}  // namespace maas::features
