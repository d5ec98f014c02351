// The executor of predict.batch jobs, run in maas-job: a registered tensor model version over the rows of a dataset
// version, chunk by chunk. It loads the version's backend plugin (bin/backends/) in this process, as maas-worker
// does, and feeds each chunk either through the attached feature pipeline exactly as serving does (raw columns in,
// the model's one input out: features/serving/) or as the model's feature matrix; it writes the chosen passthrough
// columns beside one column per prediction (prediction_columns.h) as zstd Parquet in the job's scratch directory
// and reports {file, rows, prediction_columns}. maasd's half (predict_kind.h) records the file as a dataset version.
//
// Thread-safety: runs on the job's one thread.
#pragma once

#include "jobs/executor.h"

namespace maas::training::batch {

inline constexpr const char* kPredictBatchKind = "predict.batch";

// Params (from predict_kind's validate): model, model_version, framework, backend_library, model_file,
// model_digest, dataset, version, file, into, columns ([passthrough]), features ([{name, categories?}], without a
// pipeline), pipeline ({name, version, spec, state_file, state_digest, columns}, when attached), parameters
// ({name: value}, the backend's request parameters), chunk_rows, memory_limit_bytes.
Status run_predict_batch(jobs::JobContext& job);

}  // namespace maas::training::batch
