#include "training/torch/train_job.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <optional>
#include <random>

#include "data/engine/database.h"
#include "training/evaluation.h"
#include "training/torch/checkpoint.h"
#include "training/torch/script_net.h"
#include "training/torch/train_spec.h"
#include "training/xgboost/training_table.h"

namespace maas::training {
namespace {

namespace fs = std::filesystem;
namespace F = torch::nn::functional;
using nlohmann::json;
using torchnet::RunState;

// A table's rows as tensors: x [rows, features] float32; y int64 [rows] (cross entropy) or float32 [rows, 1].
struct Rows {
  torch::Tensor x, y;
  std::vector<double> label;
  int64_t count() const { return x.size(0); }
};

Result<Rows> rows_of(const TrainingTable& table, const TorchTrainSpec& spec, int64_t classes) {
  const int64_t n = static_cast<int64_t>(table.rows()), f = static_cast<int64_t>(table.features.size());
  for (size_t i = 0; i < table.values.size(); ++i) {
    if (std::isnan(table.values[i])) {
      return invalid_argument("the feature column '" + table.features[i % f].name +
                              "' has a NULL value; a network needs every value: fill or drop them in a rule");
    }
  }
  Rows rows;
  rows.x = torch::from_blob(const_cast<float*>(table.values.data()), {n, f}, torch::kFloat32).clone();
  rows.label.assign(table.label.begin(), table.label.end());
  for (float y : table.label) {
    if (!std::isfinite(y)) return invalid_argument("the label column '" + spec.label + "' has a non-finite value");
    const bool is_class = y >= 0 && y == std::floor(y);
    if (spec.task() == Task::kMulticlass && (!is_class || y >= static_cast<float>(classes))) {
      return invalid_argument("the label column '" + spec.label + "' has the value " + std::to_string(y) +
                              "; cross_entropy with " + std::to_string(classes) + " outputs needs classes 0 to " +
                              std::to_string(classes - 1));
    }
    if (spec.task() == Task::kBinary && y != 0 && y != 1) {
      return invalid_argument("the label column '" + spec.label + "' has the value " + std::to_string(y) +
                              "; bce_with_logits needs labels 0 and 1");
    }
  }
  torch::Tensor y = torch::from_blob(const_cast<float*>(table.label.data()), {n}, torch::kFloat32).clone();
  rows.y = spec.task() == Task::kMulticlass ? y.to(torch::kInt64) : y.unsqueeze(1);
  return rows;
}

torch::Tensor loss_of(const TorchTrainSpec& spec, const torch::Tensor& out, const torch::Tensor& y) {
  switch (spec.loss) {
    case TorchLoss::kCrossEntropy:
      return F::cross_entropy(out, y);
    case TorchLoss::kBceWithLogits:
      return F::binary_cross_entropy_with_logits(out, y);
    case TorchLoss::kMae:
      return F::l1_loss(out, y);
    case TorchLoss::kHuber:
      return F::huber_loss(out, y, F::HuberLossFuncOptions().delta(spec.huber_delta));
    case TorchLoss::kMse:
      break;
  }
  return F::mse_loss(out, y);
}

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const TorchOptimizer& o, std::vector<torch::Tensor> params) {
  if (o.type == "sgd") {
    return std::make_unique<torch::optim::SGD>(
        params, torch::optim::SGDOptions(o.lr).momentum(o.momentum).nesterov(o.nesterov).weight_decay(o.weight_decay));
  }
  if (o.type == "adamw") {
    return std::make_unique<torch::optim::AdamW>(
        params, torch::optim::AdamWOptions(o.lr).betas({o.beta1, o.beta2}).eps(o.eps).weight_decay(o.weight_decay));
  }
  return std::make_unique<torch::optim::Adam>(
      params, torch::optim::AdamOptions(o.lr).betas({o.beta1, o.beta2}).eps(o.eps).weight_decay(o.weight_decay));
}

// The order of an epoch's rows: a Fisher-Yates shuffle seeded by (seed, epoch), so a resumed epoch replays it.
std::vector<int64_t> epoch_order(const TorchTrainSpec& spec, int64_t epoch, int64_t rows) {
  std::vector<int64_t> order(rows);
  for (int64_t i = 0; i < rows; ++i) order[i] = i;
  if (!spec.shuffle) return order;
  std::mt19937_64 rng(static_cast<uint64_t>(spec.seed) * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(epoch));
  for (int64_t i = rows - 1; i > 0; --i) {
    std::uniform_int_distribution<int64_t> pick(0, i);
    std::swap(order[i], order[pick(rng)]);
  }
  return order;
}

// A method of the module over all rows in eval mode, in chunks.
torch::Tensor run_method(torch::jit::Module& module, const char* method, const torch::Tensor& x) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> parts;
  for (int64_t start = 0; start < x.size(0); start += 4096) {
    parts.push_back(
        module.run_method(method, x.narrow(0, start, std::min<int64_t>(4096, x.size(0) - start))).toTensor());
  }
  return torch::cat(parts);
}

// The loss and evaluation.h's metrics of the module on `rows`, as the served forward() predicts them.
Result<json> score(torch::jit::Module& module, const TorchTrainSpec& spec, const Rows& rows) {
  module.eval();
  torch::Tensor logits = run_method(module, "logits", rows.x);
  torch::Tensor output = run_method(module, "forward", rows.x).to(torch::kFloat64).contiguous();
  Predictions predictions;
  predictions.label = rows.label;
  predictions.columns = static_cast<size_t>(output.size(1));
  predictions.values.assign(output.data_ptr<double>(), output.data_ptr<double>() + output.numel());
  MAAS_ASSIGN_OR_RETURN(json metrics, evaluate(spec.task(), predictions));
  torch::NoGradGuard no_grad;
  metrics["loss"] = loss_of(spec, logits, rows.y).item<double>();
  return metrics;
}

struct Tables {
  TrainingTable train;
  std::optional<TrainingTable> validation;
};

Result<Tables> read_tables(jobs::JobContext& job, const TorchTrainSpec& spec) {
  std::vector<fs::path> files = {spec.train.file};
  if (spec.validation) files.emplace_back(spec.validation->file);
  MAAS_ASSIGN_OR_RETURN(TrainingDatabase db, open_training_database(job.cpu_slots(), job.scratch_dir(), files));
  data::engine::Connection& connection = db.connection;
  const TrainSpec columns = table_spec(spec);
  Tables t;
  MAAS_ASSIGN_OR_RETURN(t.train, read_table(connection, spec.train.file, columns, "train", nullptr));
  if (spec.validation) {
    MAAS_ASSIGN_OR_RETURN(t.validation, read_table(connection, spec.validation->file, columns, "", nullptr));
  } else if (!spec.split_column.empty()) {
    MAAS_ASSIGN_OR_RETURN(t.validation, read_table(connection, spec.train.file, columns, "validation", nullptr));
  }
  return t;
}

Result<std::string> export_module(torch::jit::Module& module, const fs::path& file) {
  module.eval();
  try {
    module.save(file.string());
  } catch (const std::exception& e) {
    return internal_error("cannot write " + file.string() + ": " + e.what());
  }
  return file.string();
}

// The largest difference between the exported file's forward() and the trained module's on `x`: 0 unless saving
// changed what the module computes.
double export_difference(torch::jit::Module& module, const fs::path& file, const torch::Tensor& x) {
  torch::jit::Module loaded = torch::jit::load(file.string());
  loaded.eval();
  return (run_method(loaded, "forward", x) - run_method(module, "forward", x)).abs().max().item<double>();
}

}  // namespace

Status run_train_torch(jobs::JobContext& job) {
  MAAS_ASSIGN_OR_RETURN(TorchTrainSpec spec, torch_spec_from_json(job.params()));
  const int threads = std::max(1, job.cpu_slots());
  torch::set_num_threads(threads);
  job.progress(0, "reading dataset " + spec.train.dataset + " version " + spec.train.version);
  MAAS_ASSIGN_OR_RETURN(Tables tables, read_tables(job, spec));
  const int64_t features = static_cast<int64_t>(tables.train.features.size());
  torch::manual_seed(static_cast<uint64_t>(spec.seed));
  MAAS_ASSIGN_OR_RETURN(torch::jit::Module module, torchnet::build_network(spec, features));
  MAAS_ASSIGN_OR_RETURN(auto shapes, torchnet::infer_shapes(spec.network, features));
  const int64_t outputs = shapes.back()[0];
  MAAS_ASSIGN_OR_RETURN(Rows train, rows_of(tables.train, spec, outputs));
  std::optional<Rows> validation;
  if (tables.validation) {
    MAAS_ASSIGN_OR_RETURN(validation, rows_of(*tables.validation, spec, outputs));
  }

  std::vector<torch::Tensor> parameters;
  for (const auto& p : module.parameters()) parameters.push_back(p);
  std::unique_ptr<torch::optim::Optimizer> optimizer = make_optimizer(spec.optimizer, parameters);
  RunState state;
  std::vector<torch::Tensor> best;
  if (auto saved = job.checkpoint()) {
    MAAS_ASSIGN_OR_RETURN(state, torchnet::decode_checkpoint(*saved, module, *optimizer, best));
    job.log(jobs::LogLevel::kInfo,
            "resuming at epoch " + std::to_string(state.epoch + 1) + ", step " + std::to_string(state.step));
  }
  const int64_t batches = (train.count() + spec.batch_size - 1) / spec.batch_size;
  const int64_t total_steps = batches * spec.epochs;
  const bool stopping = spec.early_stopping.patience > 0 && validation;
  const std::string& watched = spec.early_stopping.metric;
  bool stopped_early = false;
  json last_metrics = json::object();
  const auto loop_start = std::chrono::steady_clock::now();
  while (state.epoch < spec.epochs && !stopped_early) {
    const std::vector<int64_t> order = epoch_order(spec, state.epoch, train.count());
    const torch::Tensor order_tensor = torch::tensor(order, torch::kInt64);
    module.train(true);
    for (; state.batch < batches; ++state.batch) {
      if (job.cancelled()) return unavailable("cancelled at step " + std::to_string(state.step));
      const int64_t start = state.batch * spec.batch_size;
      const torch::Tensor index = order_tensor.narrow(0, start, std::min(spec.batch_size, train.count() - start));
      const torch::Tensor x = train.x.index_select(0, index), y = train.y.index_select(0, index);
      const double lr = spec.learning_rate(state.step, state.epoch, total_steps);
      for (auto& group : optimizer->param_groups()) group.options().set_lr(lr);
      optimizer->zero_grad();
      torch::Tensor loss = loss_of(spec, module.run_method("logits", x).toTensor(), y);
      loss.backward();
      if (spec.clip_grad_norm > 0) torch::nn::utils::clip_grad_norm_(parameters, spec.clip_grad_norm);
      optimizer->step();
      state.loss_sum += loss.item<double>() * static_cast<double>(index.size(0));
      ++state.step;
      if (state.step % spec.checkpoint_every == 0 && state.step < total_steps) {
        RunState at = state;
        ++at.batch;
        MAAS_RETURN_IF_ERROR(job.save_checkpoint(torchnet::encode_checkpoint(at, module, *optimizer, best)));
      }
    }
    std::map<std::string, double> progress = {{"epoch", static_cast<double>(state.epoch + 1)},
                                              {"train_loss", state.loss_sum / static_cast<double>(train.count())},
                                              {"lr", spec.learning_rate(state.step - 1, state.epoch, total_steps)}};
    if (validation) {
      MAAS_ASSIGN_OR_RETURN(last_metrics, score(module, spec, *validation));
      for (const auto& [name, value] : last_metrics.items()) {
        if (value.is_number()) progress["validation_" + name] = value.get<double>();
      }
    }
    if (stopping) {
      if (!last_metrics.contains(watched) || !last_metrics[watched].is_number()) {
        return invalid_argument("params.early_stopping.metric '" + watched + "' is not defined on the validation rows");
      }
      const double value = last_metrics[watched].get<double>();
      const bool maximize = higher_is_better(watched);
      const bool better = state.best_epoch < 0 || (maximize ? value > state.best_score : value < state.best_score);
      if (better) {
        state.best_epoch = state.epoch, state.best_score = value, state.bad_epochs = 0;
        best.clear();
        for (const torch::Tensor& t : torchnet::module_tensors(module)) best.push_back(t.detach().clone());
      } else {
        stopped_early = ++state.bad_epochs >= spec.early_stopping.patience;
      }
    }
    ++state.epoch;
    state.batch = 0;
    state.loss_sum = 0;
    job.progress(static_cast<double>(state.epoch) / static_cast<double>(spec.epochs),
                 "epoch " + std::to_string(state.epoch) + " of " + std::to_string(spec.epochs), progress);
  }
  const double train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - loop_start).count();
  if (stopping && !best.empty()) {
    torch::NoGradGuard no_grad;
    std::vector<torch::Tensor> tensors = torchnet::module_tensors(module);
    for (size_t i = 0; i < tensors.size(); ++i) tensors[i].copy_(best[i]);
    job.log(jobs::LogLevel::kInfo, std::string(stopped_early ? "stopped early; " : "") + "keeping epoch " +
                                       std::to_string(state.best_epoch + 1) + " (" + watched + " " +
                                       std::to_string(state.best_score) + ")");
  }
  const fs::path model_file = fs::path(job.scratch_dir()) / "model.pt";
  MAAS_RETURN_IF_ERROR(export_module(module, model_file).status());
  const Rows& evaluated = validation ? *validation : train;
  MAAS_ASSIGN_OR_RETURN(json metrics, score(module, spec, evaluated));
  json feature_names = json::array();
  for (const FeatureColumn& f : tables.train.features) feature_names.push_back(f.name);
  json result = {{"model_file", model_file.string()},
                 {"epochs", state.epoch},
                 {"steps", state.step},
                 {"metrics", metrics},
                 {"evaluated_on", validation ? "validation" : "train"},
                 {"features", feature_names},
                 {"num_outputs", outputs},
                 {"train_rows", train.count()},
                 {"validation_rows", validation ? validation->count() : 0},
                 {"threads", threads},
                 {"train_seconds", train_seconds},
                 {"export_max_abs_diff", export_difference(module, model_file, evaluated.x)}};
  if (stopping) {
    result["best_epoch"] = state.best_epoch + 1;
    result["best_score"] = state.best_score;
  }
  job.set_result(result);
  return {};
}

}  // namespace maas::training
