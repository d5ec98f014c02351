#include "training/batch/predict_job.h"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>

#include "backends/plugin_loader.h"
#include "common/sha256.h"
#include "data/engine/sql_text.h"
#include "features/dataset/table_io.h"
#include "features/serving/raw_columns.h"
#include "features/serving/serving_pipeline.h"
#include "jobs/params.h"
#include "training/batch/prediction_columns.h"
#include "training/xgboost/training_table.h"

namespace maas::training::batch {
namespace {

namespace engine = data::engine;
namespace fs = std::filesystem;
using jobs::string_param;
using nlohmann::json;

constexpr const char* kRowColumn = "__maas_row";

// What the job reads from its params, checked once.
struct BatchParams {
  std::string framework, backend_library, model_file, model_digest, file;
  std::vector<std::string> passthrough;
  std::vector<InputFeature> features;  // without a pipeline
  std::optional<json> pipeline;
  std::map<std::string, std::string> parameters;
  size_t chunk_rows = 4096;
};

Result<std::vector<std::string>> names(const json& params, const char* key) {
  std::vector<std::string> out;
  auto it = params.find(key);
  if (it == params.end()) return out;
  if (!it->is_array()) return invalid_argument(std::string("params.") + key + " must be an array");
  for (const json& name : *it) {
    if (!name.is_string()) return invalid_argument(std::string("params.") + key + " must hold column names");
    out.push_back(name.get<std::string>());
  }
  return out;
}

Result<BatchParams> read_params(const json& params) {
  BatchParams p;
  MAAS_ASSIGN_OR_RETURN(p.framework, string_param(params, "framework"));
  MAAS_ASSIGN_OR_RETURN(p.backend_library, string_param(params, "backend_library"));
  MAAS_ASSIGN_OR_RETURN(p.model_file, string_param(params, "model_file"));
  MAAS_ASSIGN_OR_RETURN(p.model_digest, string_param(params, "model_digest"));
  MAAS_ASSIGN_OR_RETURN(p.file, string_param(params, "file"));
  MAAS_ASSIGN_OR_RETURN(p.passthrough, names(params, "columns"));
  p.chunk_rows = static_cast<size_t>(std::max<uint64_t>(1, jobs::unsigned_param(params, "chunk_rows", 4096)));
  if (auto it = params.find("pipeline"); it != params.end() && it->is_object()) p.pipeline = *it;
  if (auto it = params.find("parameters"); it != params.end() && it->is_object()) {
    for (const auto& [name, value] : it->items()) {
      if (value.is_string()) p.parameters[name] = value.get<std::string>();
    }
  }
  if (auto it = params.find("features"); it != params.end() && it->is_array()) {
    for (const json& f : *it) {
      InputFeature feature;
      MAAS_ASSIGN_OR_RETURN(feature.name, string_param(f, "name"));
      if (auto c = f.find("categories"); c != f.end() && c->is_array()) {
        feature.categorical = true;
        for (const json& value : *c) {
          if (value.is_string()) feature.categories.push_back(value.get<std::string>());
        }
        std::sort(feature.categories.begin(), feature.categories.end());
      }
      p.features.push_back(std::move(feature));
    }
  }
  if (!p.pipeline && p.features.empty()) return invalid_argument("params.features or params.pipeline is required");
  return p;
}

// The model, loaded through its framework's plugin as a worker loads it: the artifact re-verified first.
Result<std::unique_ptr<runtime::Backend>> load_model(const BatchParams& p, int threads) {
  MAAS_ASSIGN_OR_RETURN(const backends::BackendPlugin* plugin,
                        backends::load_backend_plugin(p.backend_library, p.framework));
  if (!plugin->create_tensor) {
    return invalid_argument("framework '" + p.framework + "' is generative: batch prediction runs tensor models");
  }
  MAAS_ASSIGN_OR_RETURN(std::string digest, sha256_file(p.model_file));
  if (digest != p.model_digest) {
    return internal_error("the model file " + p.model_file + " does not match its digest sha256:" + p.model_digest);
  }
  std::unique_ptr<runtime::Backend> backend = plugin->create_tensor();
  runtime::BackendConfig config;
  config.threads = std::max(1, threads);
  MAAS_RETURN_IF_ERROR(backend->load(p.model_file, config));
  if (backend->signature().inputs.size() != 1) {
    return invalid_argument("batch prediction feeds a model's one input (the feature matrix); this model has " +
                            std::to_string(backend->signature().inputs.size()) + " inputs");
  }
  return backend;
}

// Turns chunks of rows into predictions and appends them, with their row numbers, to the table `predictions`.
class ChunkPredictor {
 public:
  ChunkPredictor(const BatchParams& p, runtime::Backend& backend, const features::ServingPipeline* pipeline,
                 engine::Connection& connection)
      : params_(p), backend_(backend), pipeline_(pipeline), connection_(connection) {}

  // `raw`: the model's columns (the pipeline's inputs, or the features) of rows `row_numbers`.
  Status predict(features::Table raw, std::vector<double> row_numbers) {
    const runtime::TensorSpec& input = backend_.signature().inputs.front();
    const runtime::DataType datatype =
        input.datatype == runtime::DataType::kFp64 ? runtime::DataType::kFp64 : runtime::DataType::kFp32;
    runtime::ExecuteRequest request;
    request.parameters = params_.parameters;
    if (pipeline_ != nullptr) {
      MAAS_ASSIGN_OR_RETURN(runtime::Tensor tensor, pipeline_->transform_table(raw, input));
      request.inputs.push_back(std::move(tensor));
    } else {
      MAAS_ASSIGN_OR_RETURN(features::Table coded, code_features(params_.features, std::move(raw)));
      MAAS_ASSIGN_OR_RETURN(runtime::Tensor tensor, features::matrix_from_table(coded, input.name, datatype));
      request.inputs.push_back(std::move(tensor));
    }
    MAAS_ASSIGN_OR_RETURN(std::vector<runtime::Tensor> outputs, backend_.execute(request));
    const size_t rows = row_numbers.size();
    MAAS_ASSIGN_OR_RETURN(std::vector<features::Column> predicted, prediction_columns(outputs, rows));
    features::Table out;
    out.columns.push_back(features::Column::of_numbers(kRowColumn, std::move(row_numbers)));
    out.columns.back().integral = true;
    for (auto& column : predicted) out.columns.push_back(std::move(column));
    if (column_names_.empty()) {
      for (size_t c = 1; c < out.columns.size(); ++c) {
        const std::string& name = out.columns[c].name;
        if (std::find(params_.passthrough.begin(), params_.passthrough.end(), name) != params_.passthrough.end()) {
          return invalid_argument("the passthrough column '" + name + "' has the name of a prediction column");
        }
        column_names_.push_back(name);
      }
      MAAS_RETURN_IF_ERROR(features::create_table(connection_, out, "predictions"));
    } else if (out.columns.size() != column_names_.size() + 1) {
      return internal_error("the model's outputs changed shape between chunks");
    }
    return features::append_table(connection_, out, "predictions");
  }

  const std::vector<std::string>& column_names() const { return column_names_; }

 private:
  const BatchParams& params_;
  runtime::Backend& backend_;
  const features::ServingPipeline* pipeline_;
  engine::Connection& connection_;
  std::vector<std::string> column_names_;
};

std::string source(const std::string& file) {
  return "read_parquet(" + engine::quote_literal(file) + ", file_row_number = true)";
}

// The model's columns of every row, with the row's number first: raw for a pipeline, numbers or text otherwise.
std::string select_sql(const BatchParams& p) {
  std::string sql = "SELECT file_row_number";
  if (p.pipeline) {
    for (const json& name : (*p.pipeline)["columns"]) {
      sql += ", " + engine::quote_identifier(name.get<std::string>());
    }
  } else {
    for (const InputFeature& f : p.features) {
      sql += ", CAST(" + engine::quote_identifier(f.name) + (f.categorical ? " AS VARCHAR)" : " AS DOUBLE)");
    }
  }
  return sql + " FROM " + source(p.file);
}

// The output: the passthrough columns of each row beside its predictions, in the input's row order.
std::string copy_sql(const BatchParams& p, const std::vector<std::string>& predictions, const fs::path& out) {
  std::string select = "SELECT ";
  for (const std::string& name : p.passthrough) select += "i." + engine::quote_identifier(name) + ", ";
  for (size_t c = 0; c < predictions.size(); ++c) {
    select += (c ? ", p." : "p.") + engine::quote_identifier(predictions[c]);
  }
  select += " FROM predictions p";
  if (!p.passthrough.empty()) {
    select += " JOIN " + source(p.file) + " i ON i.file_row_number = p." + engine::quote_identifier(kRowColumn);
  }
  select += " ORDER BY p." + std::string(engine::quote_identifier(kRowColumn));
  return "COPY (" + select + ") TO " + engine::quote_literal(out.string()) +
         " (FORMAT parquet, COMPRESSION zstd, USE_TMP_FILE false)";
}

Result<int64_t> count_rows(engine::Connection& connection, const std::string& file) {
  MAAS_ASSIGN_OR_RETURN(engine::QueryResult result,
                        connection.query("SELECT count(*) FROM read_parquet(" + engine::quote_literal(file) + ")"));
  MAAS_ASSIGN_OR_RETURN(engine::Chunk chunk, result.fetch_all());
  if (chunk.rows != 1 || chunk.columns.empty()) return internal_error("cannot count the dataset's rows");
  return chunk.columns[0].ints[0];
}

}  // namespace

Status run_predict_batch(jobs::JobContext& job) {
  MAAS_ASSIGN_OR_RETURN(BatchParams p, read_params(job.params()));
  job.progress(0.0, "loading the model");
  MAAS_ASSIGN_OR_RETURN(std::unique_ptr<runtime::Backend> backend, load_model(p, job.cpu_slots()));
  std::optional<features::ServingPipeline> pipeline;
  if (p.pipeline) {
    MAAS_ASSIGN_OR_RETURN(std::string state_file, string_param(*p.pipeline, "state_file"));
    MAAS_ASSIGN_OR_RETURN(std::string state_digest, string_param(*p.pipeline, "state_digest"));
    MAAS_ASSIGN_OR_RETURN(
        auto loaded, features::ServingPipeline::load_files((*p.pipeline)["spec"].dump(), state_file, state_digest));
    MAAS_RETURN_IF_ERROR(loaded.check_model(backend->signature()));
    pipeline.emplace(std::move(loaded));
  }
  const fs::path out_file = job.scratch_dir() / "predictions.parquet";
  MAAS_ASSIGN_OR_RETURN(TrainingDatabase db,
                        open_training_database(job.cpu_slots(), job.scratch_dir(), {p.file, out_file}));
  MAAS_ASSIGN_OR_RETURN(const int64_t total, count_rows(db.connection, p.file));
  if (total == 0) return invalid_argument("the dataset version has no rows");
  // Two connections: one streams the rows while the other appends the predictions.
  MAAS_ASSIGN_OR_RETURN(engine::Connection writer, db.database->connect());
  ChunkPredictor predictor(p, *backend, pipeline ? &*pipeline : nullptr, writer);
  MAAS_ASSIGN_OR_RETURN(engine::QueryResult rows, db.connection.query(select_sql(p)));
  features::Table pending;
  std::vector<double> row_numbers;
  auto reset = [&] {
    pending = features::Table();
    for (size_t c = 1; c < rows.columns().size(); ++c) {
      pending.columns.emplace_back();
      pending.columns.back().name = rows.columns()[c].name;
    }
    row_numbers.clear();
  };
  reset();
  int64_t done = 0;
  auto flush = [&]() -> Status {
    const size_t n = row_numbers.size();
    MAAS_RETURN_IF_ERROR(predictor.predict(std::move(pending), std::move(row_numbers)));
    done += static_cast<int64_t>(n);
    job.progress(0.95 * static_cast<double>(done) / static_cast<double>(total),
                 std::to_string(done) + " of " + std::to_string(total) + " rows predicted",
                 {{"rows", static_cast<double>(done)}});
    reset();
    return {};
  };
  for (;;) {
    if (job.cancelled()) return unavailable("cancelled after " + std::to_string(done) + " rows");
    MAAS_ASSIGN_OR_RETURN(std::optional<engine::Chunk> chunk, rows.next_chunk());
    if (!chunk) break;
    const engine::Column& numbers = chunk->columns.front();
    for (size_t r = 0; r < chunk->rows; ++r) row_numbers.push_back(static_cast<double>(numbers.ints[r]));
    chunk->columns.erase(chunk->columns.begin());
    features::append_chunk(*chunk, pending);
    if (row_numbers.size() >= p.chunk_rows) MAAS_RETURN_IF_ERROR(flush());
  }
  if (!row_numbers.empty()) MAAS_RETURN_IF_ERROR(flush());
  job.progress(0.96, "writing the predictions");
  MAAS_RETURN_IF_ERROR(writer.execute(copy_sql(p, predictor.column_names(), out_file)));
  job.progress(1.0, std::to_string(done) + " rows predicted", {{"rows", static_cast<double>(done)}});
  job.set_result({{"file", out_file.string()},
                  {"rows", done},
                  {"prediction_columns", predictor.column_names()},
                  {"model", job.params()["model"]},
                  {"model_version", job.params()["model_version"]}});
  return {};
}

}  // namespace maas::training::batch
