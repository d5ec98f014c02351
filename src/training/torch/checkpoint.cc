#include "training/torch/checkpoint.h"

#include <sstream>

namespace maas::training::torchnet {

std::vector<torch::Tensor> module_tensors(const torch::jit::Module& module) {
  std::vector<torch::Tensor> out;
  for (const auto& p : module.parameters()) out.push_back(p);
  for (const auto& b : module.buffers()) out.push_back(b);
  return out;
}

std::string encode_checkpoint(const RunState& state, const torch::jit::Module& module,
                              torch::optim::Optimizer& optimizer, const std::vector<torch::Tensor>& best) {
  torch::serialize::OutputArchive archive;
  archive.write("counts", torch::tensor({state.epoch, state.batch, state.step, state.best_epoch, state.bad_epochs},
                                        torch::kInt64));
  archive.write("scores", torch::tensor({state.loss_sum, state.best_score}, torch::kFloat64));
  const std::vector<torch::Tensor> tensors = module_tensors(module);
  for (size_t i = 0; i < tensors.size(); ++i) archive.write("tensor_" + std::to_string(i), tensors[i].detach(), true);
  for (size_t i = 0; i < best.size(); ++i) archive.write("best_" + std::to_string(i), best[i], true);
  archive.write("best_count", torch::tensor({static_cast<int64_t>(best.size())}, torch::kInt64));
  torch::serialize::OutputArchive optimizer_archive;
  optimizer.save(optimizer_archive);
  archive.write("optimizer", optimizer_archive);
  at::Generator generator = at::detail::getDefaultCPUGenerator();
  {
    std::lock_guard<std::mutex> lock(generator.mutex());
    archive.write("generator", generator.get_state(), true);
  }
  std::ostringstream out;
  archive.save_to(out);
  return out.str();
}

Result<RunState> decode_checkpoint(const std::string& bytes, torch::jit::Module& module,
                                   torch::optim::Optimizer& optimizer, std::vector<torch::Tensor>& best) {
  RunState state;
  try {
    torch::serialize::InputArchive archive;
    std::istringstream in(bytes);
    archive.load_from(in);
    torch::Tensor counts, scores, best_count, generator_state;
    archive.read("counts", counts, true);
    archive.read("scores", scores, true);
    archive.read("best_count", best_count, true);
    archive.read("generator", generator_state, true);
    state.epoch = counts[0].item<int64_t>();
    state.batch = counts[1].item<int64_t>();
    state.step = counts[2].item<int64_t>();
    state.best_epoch = counts[3].item<int64_t>();
    state.bad_epochs = counts[4].item<int64_t>();
    state.loss_sum = scores[0].item<double>();
    state.best_score = scores[1].item<double>();
    torch::NoGradGuard no_grad;
    std::vector<torch::Tensor> tensors = module_tensors(module);
    for (size_t i = 0; i < tensors.size(); ++i) {
      torch::Tensor saved;
      archive.read("tensor_" + std::to_string(i), saved, true);
      tensors[i].copy_(saved);
    }
    best.clear();
    for (int64_t i = 0; i < best_count[0].item<int64_t>(); ++i) {
      torch::Tensor saved;
      archive.read("best_" + std::to_string(i), saved, true);
      best.push_back(saved);
    }
    torch::serialize::InputArchive optimizer_archive;
    archive.read("optimizer", optimizer_archive);
    optimizer.load(optimizer_archive);
    at::Generator generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_state(generator_state);
  } catch (const std::exception& e) {
    return internal_error(std::string("the checkpoint is not a train.torch checkpoint of this network: ") + e.what());
  }
  return state;
}

}  // namespace maas::training::torchnet
