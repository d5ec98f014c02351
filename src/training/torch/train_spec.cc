#include "training/torch/train_spec.h"

#include <cmath>
#include <numbers>
#include <set>

namespace maas::training {
namespace {

using nlohmann::json;

// Strict readers of one object's fields; `prefix` names the object in messages ("params.optimizer.").
struct Fields {
  const json& object;
  std::string prefix;

  Status only(const std::set<std::string>& keys) const {
    for (const auto& [key, value] : object.items()) {
      if (!keys.contains(key)) return invalid_argument(prefix + key + " is not a field of train.torch");
    }
    return {};
  }
  Result<double> number(const char* key, double fallback, double low, double high) const {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return fallback;
    if (!it->is_number() || !(it->get<double>() >= low) || !(it->get<double>() <= high)) {
      return invalid_argument(prefix + key + " must be a number from " + json(low).dump() + " to " + json(high).dump());
    }
    return it->get<double>();
  }
  Result<int64_t> count(const char* key, int64_t fallback, int64_t low, int64_t high) const {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return fallback;
    if (!it->is_number_integer() || it->get<int64_t>() < low || it->get<int64_t>() > high) {
      return invalid_argument(prefix + key + " must be an integer from " + std::to_string(low) + " to " +
                              std::to_string(high));
    }
    return it->get<int64_t>();
  }
  Result<bool> flag(const char* key, bool fallback) const {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) return invalid_argument(prefix + key + " must be true or false");
    return it->get<bool>();
  }
  Result<std::string> text(const char* key, bool required, const std::set<std::string>& allowed = {}) const {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
      if (required) return invalid_argument(prefix + key + " is required");
      return std::string();
    }
    if (!it->is_string() || it->get<std::string>().empty()) {
      return invalid_argument(prefix + key + " must be a non-empty string");
    }
    std::string value = it->get<std::string>();
    if (!allowed.empty() && !allowed.contains(value)) {
      std::string names;
      for (const std::string& a : allowed) names += (names.empty() ? "" : ", ") + a;
      return invalid_argument(prefix + key + " '" + value + "' is not supported; use one of " + names);
    }
    return value;
  }
};

const std::map<std::string, TorchLoss>& losses() {
  static const std::map<std::string, TorchLoss> kLosses = {{"cross_entropy", TorchLoss::kCrossEntropy},
                                                           {"bce_with_logits", TorchLoss::kBceWithLogits},
                                                           {"mse", TorchLoss::kMse},
                                                           {"mae", TorchLoss::kMae},
                                                           {"huber", TorchLoss::kHuber}};
  return kLosses;
}

// "loss": "mse" or {"type": "huber", "delta": 1.0}.
Status read_loss(const json& params, TorchTrainSpec& spec) {
  auto it = params.find("loss");
  if (it == params.end()) return invalid_argument("params.loss is required (cross_entropy, bce_with_logits, mse, ...)");
  json object = it->is_string() ? json{{"type", *it}} : *it;
  if (!object.is_object()) return invalid_argument("params.loss must be a name or {type, delta?}");
  Fields f{object, "params.loss."};
  MAAS_RETURN_IF_ERROR(f.only({"type", "delta"}));
  std::set<std::string> names;
  for (const auto& [name, loss] : losses()) names.insert(name);
  MAAS_ASSIGN_OR_RETURN(std::string type, f.text("type", true, names));
  spec.loss = losses().at(type);
  MAAS_ASSIGN_OR_RETURN(spec.huber_delta, f.number("delta", 1.0, 1e-9, 1e9));
  return {};
}

Status read_optimizer(const json& params, TorchTrainSpec& spec) {
  auto it = params.find("optimizer");
  if (it == params.end() || it->is_null()) return {};
  if (!it->is_object()) return invalid_argument("params.optimizer must be an object {type, lr, ...}");
  Fields f{*it, "params.optimizer."};
  MAAS_RETURN_IF_ERROR(f.only({"type", "lr", "weight_decay", "momentum", "nesterov", "betas", "eps"}));
  TorchOptimizer& o = spec.optimizer;
  MAAS_ASSIGN_OR_RETURN(o.type, f.text("type", true, {"sgd", "adam", "adamw"}));
  MAAS_ASSIGN_OR_RETURN(o.lr, f.number("lr", o.type == "sgd" ? 0.01 : 1e-3, 1e-12, 100));
  MAAS_ASSIGN_OR_RETURN(o.weight_decay, f.number("weight_decay", o.type == "adamw" ? 0.01 : 0, 0, 10));
  MAAS_ASSIGN_OR_RETURN(o.eps, f.number("eps", 1e-8, 1e-20, 1));
  if (o.type == "sgd") {
    MAAS_ASSIGN_OR_RETURN(o.momentum, f.number("momentum", 0, 0, 1));
    MAAS_ASSIGN_OR_RETURN(o.nesterov, f.flag("nesterov", false));
    if (o.nesterov && o.momentum <= 0) return invalid_argument("params.optimizer.nesterov needs a momentum above 0");
  } else if (it->contains("momentum") || it->contains("nesterov")) {
    return invalid_argument("params.optimizer.momentum and nesterov are for sgd; " + o.type + " takes betas");
  }
  if (auto b = it->find("betas"); b != it->end()) {
    if (o.type == "sgd") return invalid_argument("params.optimizer.betas are for adam and adamw");
    if (!b->is_array() || b->size() != 2 || !(*b)[0].is_number() || !(*b)[1].is_number() ||
        !((*b)[0].get<double>() >= 0 && (*b)[0].get<double>() < 1) ||
        !((*b)[1].get<double>() >= 0 && (*b)[1].get<double>() < 1)) {
      return invalid_argument("params.optimizer.betas must be two numbers in [0, 1)");
    }
    o.beta1 = (*b)[0].get<double>();
    o.beta2 = (*b)[1].get<double>();
  }
  return {};
}

Status read_schedule(const json& params, TorchTrainSpec& spec) {
  auto it = params.find("schedule");
  if (it == params.end() || it->is_null()) return {};
  if (!it->is_object()) return invalid_argument("params.schedule must be an object {type, ...}");
  Fields f{*it, "params.schedule."};
  MAAS_RETURN_IF_ERROR(f.only({"type", "step_size", "gamma", "min_lr", "warmup_steps"}));
  TorchSchedule& s = spec.schedule;
  MAAS_ASSIGN_OR_RETURN(s.type, f.text("type", true, {"constant", "step", "cosine"}));
  MAAS_ASSIGN_OR_RETURN(s.step_size, f.count("step_size", 1, 1, 100000));
  MAAS_ASSIGN_OR_RETURN(s.gamma, f.number("gamma", 0.1, 0, 1));
  MAAS_ASSIGN_OR_RETURN(s.min_lr, f.number("min_lr", 0, 0, 100));
  MAAS_ASSIGN_OR_RETURN(s.warmup_steps, f.count("warmup_steps", 0, 0, 100'000'000));
  return {};
}

Status read_early_stopping(const json& params, TorchTrainSpec& spec) {
  auto it = params.find("early_stopping");
  if (it == params.end() || it->is_null()) return {};
  if (!it->is_object()) return invalid_argument("params.early_stopping must be an object {patience, metric?}");
  Fields f{*it, "params.early_stopping."};
  MAAS_RETURN_IF_ERROR(f.only({"patience", "metric"}));
  MAAS_ASSIGN_OR_RETURN(spec.early_stopping.patience, f.count("patience", -1, 1, 100000));
  MAAS_ASSIGN_OR_RETURN(std::string metric, f.text("metric", false));
  if (!metric.empty()) spec.early_stopping.metric = metric;
  static const std::map<Task, std::set<std::string>> kMetrics = {
      {Task::kBinary,
       {"loss", "accuracy", "precision", "recall", "f1", "roc_auc", "average_precision", "log_loss", "brier"}},
      {Task::kMulticlass, {"loss", "accuracy", "f1_macro", "f1_weighted", "log_loss", "roc_auc_ovr"}},
      {Task::kRegression, {"loss", "rmse", "mae", "r2", "mape"}}};
  const std::set<std::string>& allowed = kMetrics.at(spec.task());
  if (!allowed.contains(spec.early_stopping.metric)) {
    std::string names;
    for (const std::string& name : allowed) names += (names.empty() ? "" : ", ") + name;
    return invalid_argument("params.early_stopping.metric '" + spec.early_stopping.metric + "' is not a metric of " +
                            spec.loss_name() + "; use one of " + names);
  }
  if (!spec.validation && spec.split_column.empty()) {
    return invalid_argument("params.early_stopping needs a validation set: params.validation or params.split_column");
  }
  return {};
}

constexpr const char* kLossNames[] = {"cross_entropy", "bce_with_logits", "mse", "mae", "huber"};

}  // namespace

Task TorchTrainSpec::task() const {
  if (loss == TorchLoss::kCrossEntropy) return Task::kMulticlass;
  if (loss == TorchLoss::kBceWithLogits) return Task::kBinary;
  return Task::kRegression;
}

std::string TorchTrainSpec::loss_name() const { return kLossNames[static_cast<int>(loss)]; }

double TorchTrainSpec::learning_rate(int64_t step, int64_t epoch, int64_t total_steps) const {
  const double lr = optimizer.lr;
  if (step < schedule.warmup_steps)
    return lr * static_cast<double>(step + 1) / static_cast<double>(schedule.warmup_steps);
  if (schedule.type == "step") {
    const int64_t decays = epoch / schedule.step_size;  // whole periods: the rate drops at each period's start
    return lr * std::pow(schedule.gamma, static_cast<double>(decays));
  }
  if (schedule.type == "cosine") {
    const double span = static_cast<double>(std::max<int64_t>(1, total_steps - schedule.warmup_steps));
    const double t = static_cast<double>(step - schedule.warmup_steps) / span;
    return schedule.min_lr + (lr - schedule.min_lr) * 0.5 * (1 + std::cos(std::numbers::pi * t));
  }
  return lr;
}

Result<TorchTrainSpec> torch_spec_from_json(const json& params) {
  if (!params.is_object()) return invalid_argument("params must be a JSON object");
  Fields f{params, "params."};
  MAAS_RETURN_IF_ERROR(
      f.only({"model",      "dataset", "version", "file",           "validation",       "split_column",   "label",
              "features",   "network", "loss",    "optimizer",      "schedule",         "clip_grad_norm", "epochs",
              "batch_size", "shuffle", "seed",    "early_stopping", "checkpoint_every", "description"}));
  TorchTrainSpec spec;
  MAAS_ASSIGN_OR_RETURN(spec.model, f.text("model", true));
  MAAS_ASSIGN_OR_RETURN(spec.train, dataset_input_from_json(params, "params."));
  if (auto v = params.find("validation"); v != params.end() && !v->is_null()) {
    if (!v->is_object()) return invalid_argument("params.validation must be {dataset, version?}");
    MAAS_ASSIGN_OR_RETURN(spec.validation, dataset_input_from_json(*v, "params.validation."));
  }
  MAAS_ASSIGN_OR_RETURN(spec.split_column, f.text("split_column", false));
  if (spec.validation && !spec.split_column.empty()) {
    return invalid_argument("give either params.validation or params.split_column, not both");
  }
  MAAS_ASSIGN_OR_RETURN(spec.label, f.text("label", true));
  if (auto it = params.find("features"); it != params.end() && !it->is_null()) {
    if (!it->is_array() || it->empty()) return invalid_argument("params.features must be a non-empty array of columns");
    for (const json& name : *it) {
      if (!name.is_string() || name.get<std::string>().empty()) {
        return invalid_argument("params.features must hold column names");
      }
      spec.features.push_back(name.get<std::string>());
    }
  }
  auto network = params.find("network");
  if (network == params.end()) return invalid_argument("params.network is required: {input?, layers: [...]}");
  MAAS_ASSIGN_OR_RETURN(spec.network, torchnet::net_from_json(*network));
  MAAS_RETURN_IF_ERROR(read_loss(params, spec));
  MAAS_RETURN_IF_ERROR(read_optimizer(params, spec));
  MAAS_RETURN_IF_ERROR(read_schedule(params, spec));
  MAAS_ASSIGN_OR_RETURN(spec.clip_grad_norm, f.number("clip_grad_norm", 0, 0, 1e9));
  MAAS_ASSIGN_OR_RETURN(spec.epochs, f.count("epochs", 10, 1, 100000));
  MAAS_ASSIGN_OR_RETURN(spec.batch_size, f.count("batch_size", 32, 1, 1'000'000));
  MAAS_ASSIGN_OR_RETURN(spec.shuffle, f.flag("shuffle", true));
  MAAS_ASSIGN_OR_RETURN(spec.seed, f.count("seed", 0, 0, int64_t{1} << 53));
  MAAS_RETURN_IF_ERROR(read_early_stopping(params, spec));
  MAAS_ASSIGN_OR_RETURN(spec.checkpoint_every, f.count("checkpoint_every", 100, 1, 100'000'000));
  MAAS_ASSIGN_OR_RETURN(spec.description, f.text("description", false));
  return spec;
}

json torch_spec_to_json(const TorchTrainSpec& spec) {
  json out = dataset_input_to_json(spec.train);
  out["model"] = spec.model;
  out["label"] = spec.label;
  if (!spec.features.empty()) out["features"] = spec.features;
  if (spec.validation) out["validation"] = dataset_input_to_json(*spec.validation);
  if (!spec.split_column.empty()) out["split_column"] = spec.split_column;
  out["network"] = torchnet::net_to_json(spec.network);
  out["loss"] = {{"type", spec.loss_name()}};
  if (spec.loss == TorchLoss::kHuber) out["loss"]["delta"] = spec.huber_delta;
  const TorchOptimizer& o = spec.optimizer;
  out["optimizer"] = {{"type", o.type}, {"lr", o.lr}, {"weight_decay", o.weight_decay}, {"eps", o.eps}};
  if (o.type == "sgd") {
    out["optimizer"]["momentum"] = o.momentum;
    out["optimizer"]["nesterov"] = o.nesterov;
  } else {
    out["optimizer"]["betas"] = {o.beta1, o.beta2};
  }
  const TorchSchedule& s = spec.schedule;
  out["schedule"] = {{"type", s.type},
                     {"step_size", s.step_size},
                     {"gamma", s.gamma},
                     {"min_lr", s.min_lr},
                     {"warmup_steps", s.warmup_steps}};
  out["clip_grad_norm"] = spec.clip_grad_norm;
  out["epochs"] = spec.epochs;
  out["batch_size"] = spec.batch_size;
  out["shuffle"] = spec.shuffle;
  out["seed"] = spec.seed;
  if (spec.early_stopping.patience > 0) {
    out["early_stopping"] = {{"patience", spec.early_stopping.patience}, {"metric", spec.early_stopping.metric}};
  }
  out["checkpoint_every"] = spec.checkpoint_every;
  if (!spec.description.empty()) out["description"] = spec.description;
  return out;
}

TrainSpec table_spec(const TorchTrainSpec& spec) {
  TrainSpec table;
  table.label = spec.label;
  table.features = spec.features;
  table.split_column = spec.split_column;
  return table;
}

Status check_network(const TorchTrainSpec& spec, int64_t features) {
  MAAS_ASSIGN_OR_RETURN(auto shapes, torchnet::infer_shapes(spec.network, features));
  const std::vector<int64_t>& out = shapes.back();
  const std::string loss = spec.loss_name();
  if (out.size() != 1) {
    return invalid_argument("the network's output has " + std::to_string(out.size()) +
                            " dimensions; end with a flatten and a linear layer (one output per class or value)");
  }
  if (spec.loss == TorchLoss::kCrossEntropy && out[0] < 2) {
    return invalid_argument("cross_entropy needs one output per class (at least 2); the last layer gives " +
                            std::to_string(out[0]));
  }
  if (spec.loss != TorchLoss::kCrossEntropy && out[0] != 1) {
    return invalid_argument(loss + " needs one output; the last layer gives " + std::to_string(out[0]));
  }
  return {};
}

}  // namespace maas::training
