// A train.torch checkpoint: where the run stands (epoch, batch, step, early stopping), the module's parameters and
// buffers, the optimizer's state, the default generator's state (dropout draws continue as if uninterrupted) and
// the best epoch's weights, as one torch::serialize archive in the job's checkpoint.
//
// Thread-safety: uses the global generator; call from the training thread.
#pragma once

#include <torch/script.h>
#include <torch/torch.h>

#include <string>
#include <vector>

#include "common/status.h"

namespace maas::training::torchnet {

struct RunState {
  int64_t epoch = 0;        // the epoch in progress
  int64_t batch = 0;        // the next batch of that epoch
  int64_t step = 0;         // optimizer steps so far
  double loss_sum = 0;      // the epoch's training loss so far, summed over its rows
  int64_t best_epoch = -1;  // early stopping: the best epoch so far and the epochs since
  double best_score = 0;
  int64_t bad_epochs = 0;
};

// `best`: the best epoch's parameters and buffers in the module's order; empty when there is none.
std::string encode_checkpoint(const RunState& state, const torch::jit::Module& module,
                              torch::optim::Optimizer& optimizer, const std::vector<torch::Tensor>& best);

// Restores the module, the optimizer and the generator in place; returns the state and fills `best`.
Result<RunState> decode_checkpoint(const std::string& bytes, torch::jit::Module& module,
                                   torch::optim::Optimizer& optimizer, std::vector<torch::Tensor>& best);

// The module's parameters then buffers, in order: what `best` holds.
std::vector<torch::Tensor> module_tensors(const torch::jit::Module& module);

}  // namespace maas::training::torchnet
