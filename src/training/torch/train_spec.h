// What a train.torch job trains: the submission read strictly into a TorchTrainSpec (a 400 naming the field), once
// in maasd (the kind's validate) and again in maas-job from the normalized JSON that validate returned. The
// network itself is net_spec.h; this adds the data, the loss, the optimizer and the training loop's settings.
//
// Thread-safety: pure functions over values.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "training/torch/net_spec.h"
#include "training/xgboost/train_spec.h"

namespace maas::training {

enum class TorchLoss { kCrossEntropy, kBceWithLogits, kMse, kMae, kHuber };

struct TorchOptimizer {
  std::string type = "adam";  // sgd, adam, adamw
  double lr = 1e-3;
  double weight_decay = 0;
  double momentum = 0;  // sgd
  bool nesterov = false;
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;  // adam, adamw
};

// The learning rate of each step: warmup_steps rising linearly to lr, then constant, step (x gamma every step_size
// epochs) or cosine (to min_lr over the remaining steps).
struct TorchSchedule {
  std::string type = "constant";
  int64_t step_size = 1;  // epochs
  double gamma = 0.1;
  double min_lr = 0;
  int64_t warmup_steps = 0;
};

struct EarlyStopping {
  int64_t patience = 0;         // 0: none
  std::string metric = "loss";  // the validation loss or a metric evaluation.h reports for the task
};

struct TorchTrainSpec {
  std::string model;
  DatasetInput train;
  std::optional<DatasetInput> validation;
  std::string split_column;
  std::string label;
  std::vector<std::string> features;  // empty when submitted: every numeric column but the label and split
  torchnet::NetSpec network;
  TorchLoss loss = TorchLoss::kMse;
  double huber_delta = 1.0;
  TorchOptimizer optimizer;
  TorchSchedule schedule;
  double clip_grad_norm = 0;  // 0: no clipping
  int64_t epochs = 10;
  int64_t batch_size = 32;
  bool shuffle = true;
  int64_t seed = 0;
  EarlyStopping early_stopping;
  int64_t checkpoint_every = 100;  // optimizer steps between checkpoints
  std::string description;

  // cross_entropy: multiclass; bce_with_logits: binary; the others: regression.
  Task task() const;
  std::string loss_name() const;
  // The learning rate of optimizer step `step` (0-based) in epoch `epoch`, of `total_steps`.
  double learning_rate(int64_t step, int64_t epoch, int64_t total_steps) const;
};

// Reads a submission: {model, dataset, version?, label, features?, validation: {dataset, version?}? |
// split_column?, network: {input?, layers}, loss, optimizer?: {type, lr, ...}, schedule?: {type, ...},
// clip_grad_norm?, epochs?, batch_size?, shuffle?, seed?, early_stopping?: {patience, metric?},
// checkpoint_every?, description?}. INVALID_ARGUMENT naming the field.
Result<TorchTrainSpec> torch_spec_from_json(const nlohmann::json& params);
nlohmann::json torch_spec_to_json(const TorchTrainSpec& spec);

// What read_table (training_table.h) reads for this spec: the same columns as a train.xgboost spec would.
TrainSpec table_spec(const TorchTrainSpec& spec);

// INVALID_ARGUMENT unless the network's output fits the loss (one value for binary and regression, at least two
// classes for cross entropy), given the number of feature columns.
Status check_network(const TorchTrainSpec& spec, int64_t features);

}  // namespace maas::training
