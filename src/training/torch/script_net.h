// The network of a TorchTrainSpec as a torch::jit::Module, generated as TorchScript source: parameters registered
// with PyTorch's default initialization (what torch.nn's layers do, drawn from the default generator, so
// torch::manual_seed decides them), logits(x) to train through and forward(x) to serve: softmax probabilities for
// cross_entropy, the sigmoid for bce_with_logits, the value for regression. Training and serving run the same
// module, so what is exported is exactly what was trained.
//
// Thread-safety: build_network uses the global generator; call it from the training thread.
#pragma once

#include <torch/script.h>

#include "training/torch/train_spec.h"

namespace maas::training::torchnet {

// x: [rows, features] float32. The module has a "training" attribute (train()/eval() switch dropout and
// batch norm) and its parameters in layer order.
Result<torch::jit::Module> build_network(const TorchTrainSpec& spec, int64_t features);

// The TorchScript source of the module's methods, for the log and the tests.
Result<std::string> network_source(const TorchTrainSpec& spec, int64_t features);

}  // namespace maas::training::torchnet
