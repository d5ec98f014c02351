// maas-job: runs one job for maasd in a process of its own. maasd starts it with a connected Unix socket on file
// descriptor 3 and sends the job; the executor runs here, built in (below) or from the plugin the job's kind
// names, so that whatever it loads (LibTorch, DuckDB) never enters maasd. A crash here fails only this attempt.
#include "artifacts/verify_job.h"
#include "compression/xgboost_job.h"
#include "data/prep/prep_job.h"
#include "data/rules/rule_job.h"
#include "data/sources/snapshot_job.h"
#include "features/jobs/fit_job.h"
#include "features/jobs/transform_job.h"
#include "features/search/search_job.h"
#include "features/timeseries/timeseries_job.h"
#include "jobs/host/job_host.h"
#include "training/batch/predict_job.h"
#include "training/compare/compare_job.h"
#include "training/cv/cv_job.h"
#include "training/validation/validate_job.h"
#include "training/xgboost/evaluate_job.h"
#include "training/xgboost/train_job.h"

int main() {
  // The executors built into maas-job: light ones only (each adds to every job process's size).
  return maas::jobs::run_job_host({
      {maas::artifacts::kVerifyJobKind, maas::artifacts::verify_artifacts},
      // Snapshots read databases and files (libpq, SQLite, DuckDB for files): libduckdb is mapped only when used.
      {maas::data::sources::kSnapshotJobKind, maas::data::sources::run_snapshot},
      {maas::data::rules::kRuleJobKind, maas::data::rules::run_rule_job},
      {maas::data::prep::kCleanJobKind, maas::data::prep::run_clean_job},
      {maas::data::prep::kSplitJobKind, maas::data::prep::run_split_job},
      {maas::data::prep::kDriftJobKind, maas::data::prep::run_drift_job},
      {maas::features::timeseries::kTimeseriesJobKind, maas::features::timeseries::run_timeseries_job},
      {maas::features::kFitJobKind, maas::features::run_fit_job},
      {maas::features::kTransformJobKind, maas::features::run_transform_job},
      {maas::features::search::kSearchJobKind, maas::features::search::run_search_job},
      // Training reads its dataset through DuckDB and trains through libxgboost.
      {maas::training::kTrainXgboostKind, maas::training::run_train_xgboost},
      {maas::training::kEvaluateKind, maas::training::run_evaluate},
      {maas::training::cv::kCvKind, maas::training::cv::run_cv},
      {maas::training::compare::kCompareKind, maas::training::compare::run_compare},
      // Batch prediction loads the model's backend plugin (and so its framework) only in its own processes.
      {maas::training::batch::kPredictBatchKind, maas::training::batch::run_predict_batch},
      {maas::compression::kCompressXgboostKind, maas::compression::run_compress_xgboost},
      {maas::training::validation::kValidateKind, maas::training::validation::run_validate},
  });
}
