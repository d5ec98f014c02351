// A dataset version's rows as libxgboost takes them: features as a dense row-major float matrix (NaN where a value
// is missing; string columns as category codes), the label, optional weights and query groups. Read in maas-job
// through DuckDB from the version's Parquet snapshot.
//
// Thread-safety: plain data; read_table uses the connection it is given on the calling thread.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "data/engine/connection.h"
#include "data/engine/database.h"
#include "training/xgboost/train_spec.h"

namespace maas::training {

struct FeatureColumn {
  std::string name;
  bool categorical = false;
  std::vector<std::string> categories;  // ascending; a value's code is its index here
};

struct TrainingTable {
  std::vector<FeatureColumn> features;
  std::vector<float> values;  // rows() x features.size()
  std::vector<float> label;
  std::vector<float> weight;          // empty: every row weighs 1
  std::vector<unsigned> group_sizes;  // ranking: the rows of each query, in order
  size_t rows() const { return label.size(); }
};

// What a training job reads its rows with: a DuckDB database with `threads` threads that may read only `files`
// and spills under `scratch_dir`/spill, and a connection to it (declared after it, so closed first).
struct TrainingDatabase {
  std::unique_ptr<data::engine::Database> database;
  data::engine::Connection connection;
};
Result<TrainingDatabase> open_training_database(int threads, const std::filesystem::path& scratch_dir,
                                                std::vector<std::filesystem::path> files);

// The rows of `file` (those whose split column is `split_value`, when the spec names one). With `categories`
// (the training table's features), string values are coded by those categories and unseen ones are missing;
// without, the categories are this table's own values. INVALID_ARGUMENT naming the column for a NULL label or
// weight, a query whose rows are not contiguous, or no rows.
Result<TrainingTable> read_table(data::engine::Connection& connection, const std::string& file, const TrainSpec& spec,
                                 const std::string& split_value, const std::vector<FeatureColumn>* categories);

}  // namespace maas::training
