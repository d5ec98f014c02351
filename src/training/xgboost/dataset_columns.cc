#include "training/xgboost/dataset_columns.h"

#include <filesystem>

namespace maas::training {

namespace fs = std::filesystem;
using nlohmann::json;

ColumnType column_type(const std::string& type) {
  static constexpr const char* kNumeric[] = {"TINYINT",  "SMALLINT",  "INTEGER",  "BIGINT",  "HUGEINT",
                                             "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "FLOAT",
                                             "DOUBLE",   "REAL",      "BOOLEAN"};
  for (const char* t : kNumeric) {
    if (type == t) return ColumnType::kNumeric;
  }
  if (type.starts_with("DECIMAL")) return ColumnType::kNumeric;
  if (type == "VARCHAR") return ColumnType::kString;
  return ColumnType::kOther;
}

Result<DatasetColumns> resolve_dataset(data::api::DataApi& api, DatasetInput& input, const char* what) {
  MAAS_ASSIGN_OR_RETURN(data::DatasetVersionView view, api.registry().get_version(input.dataset, input.version));
  if (view.version.row_count == 0) {
    return invalid_argument(std::string(what) + " dataset '" + input.dataset + "' version " +
                            std::to_string(view.version.version) + " has no rows");
  }
  input.version = std::to_string(view.version.version);
  input.file = fs::absolute(api.artifacts().blob_path(view.version.digest)).lexically_normal().string();
  DatasetColumns out;
  for (const json& field : view.version.schema) {
    if (!field.is_object() || !field.contains("name") || !field.contains("type")) continue;
    out.order.push_back(field["name"].get<std::string>());
    out.types[out.order.back()] = field["type"].get<std::string>();
  }
  return out;
}

Status check_column(const DatasetColumns& columns, const DatasetInput& input, const std::string& name, const char* role,
                    bool numeric_only) {
  auto it = columns.types.find(name);
  if (it == columns.types.end()) {
    std::string names;
    for (const std::string& c : columns.order) names += (names.empty() ? "" : ", ") + c;
    return invalid_argument(std::string("the ") + role + " column '" + name + "' is not in dataset '" + input.dataset +
                            "' version " + input.version + " (columns: " + names + ")");
  }
  ColumnType type = column_type(it->second);
  if (type == ColumnType::kOther || (numeric_only && type != ColumnType::kNumeric)) {
    return invalid_argument(std::string("the ") + role + " column '" + name + "' is " + it->second + "; it must be " +
                            (numeric_only ? "numeric" : "numeric or a string (categorical)") +
                            ": cast it in a rule or leave it out");
  }
  return {};
}

}  // namespace maas::training
