// The dataset side of a training kind's validate() in maasd: a dataset version resolved to its snapshot file and
// schema, and the checks that a column exists and has a type training can read (numeric, or a string read as a
// categorical feature), each a 400 that names the column and lists what there is.
//
// Thread-safety: reads the dataset registry, which is safe from any thread.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "data/api/data_api.h"
#include "training/xgboost/train_spec.h"

namespace maas::training {

enum class ColumnType { kNumeric, kString, kOther };
// DuckDB's type name -> how training reads it.
ColumnType column_type(const std::string& type);

struct DatasetColumns {
  std::map<std::string, std::string> types;  // column -> DuckDB type
  std::vector<std::string> order;
};

// Fills input.version (the number) and input.file (the snapshot); INVALID_ARGUMENT for an empty version. `what`
// says which input it is in messages ("the training").
Result<DatasetColumns> resolve_dataset(data::api::DataApi& api, DatasetInput& input, const char* what);

// INVALID_ARGUMENT unless `name` is a column of `columns` of a type training reads (numeric only when asked).
Status check_column(const DatasetColumns& columns, const DatasetInput& input, const std::string& name, const char* role,
                    bool numeric_only);

}  // namespace maas::training
