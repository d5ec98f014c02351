// The TorchScript backend: scripted or traced PyTorch modules run in process by LibTorch on the CPU.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "common/status.h"
#include "runtime/backend.h"

namespace maas::backends {

// Loads a TorchScript archive and runs its forward() in inference mode. Inputs are forward's Tensor arguments,
// by name or position; TorchScript records neither their dtype nor their rank, so the signature declares FP32
// of shape [-1] and any numeric datatype and shape is passed through for the module to check. Outputs follow
// Triton's naming: output__0 for a Tensor, output__0..output__N-1 for a tuple of N Tensors.
//
// Owned by one worker; not thread-safe. LibTorch's thread pools are process-wide: the intra-op count follows
// the last load, and the inter-op count is set once per process by the first load.
class TorchscriptBackend final : public runtime::Backend {
 public:
  TorchscriptBackend();
  ~TorchscriptBackend() override;
  TorchscriptBackend(const TorchscriptBackend&) = delete;
  TorchscriptBackend& operator=(const TorchscriptBackend&) = delete;

  Status load(const std::filesystem::path& artifact, const runtime::BackendConfig& config) override;
  const runtime::ModelSignature& signature() const override { return signature_; }
  Result<std::vector<runtime::Tensor>> execute(const runtime::ExecuteRequest& request) override;

 private:
  struct Module;  // the torch::jit::Module, kept out of this header: LibTorch's headers are slow to compile
  std::unique_ptr<Module> module_;
  int threads_ = 1;
  runtime::ModelSignature signature_;
};

}  // namespace maas::backends
