// The rows a train.cv job splits, read in maas-job: the training table of the whole dataset version (in its file's
// row order, or in time order for a time-series split), each row's group for a grouped split, and the table of a
// fold's rows.
//
// Thread-safety: plain functions; read_fold_rows uses the connection it is given on the calling thread.
#pragma once

#include <cstdint>
#include <vector>

#include "data/engine/connection.h"
#include "training/cv/cv_spec.h"
#include "training/xgboost/training_table.h"

namespace maas::training::cv {

struct FoldRows {
  TrainingTable table;
  std::vector<int64_t> groups;  // the grouped split: each row's rank among the sorted distinct group values
};

// Every row of spec.train.file, sorted by cv.time_column (NULLs last, ties in file order) when there is one.
Result<FoldRows> read_fold_rows(data::engine::Connection& connection, const TrainSpec& spec, const CvSpec& cv);

// The rows `rows` of `table` (features, label, weight), in that order.
TrainingTable table_rows(const TrainingTable& table, const std::vector<size_t>& rows);

}  // namespace maas::training::cv
