// Which backends this maasd serves, and for each framework what serves it: the kind of runner (a batched tensor
// execute, or streamed generation), the Open Inference Protocol's platform name, and the worker that runs it. The
// one place that knows framework names on maasd's side: everything else asks the registry.
//
// Thread-safety: filled at start, read-only afterwards; share freely then.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace maas::runtime {

// How a version of a framework is served: requests batched into one execute per batch (ModelRunner, the Open
// Inference Protocol), or streams of generated text (llm::LlmRunner, the OpenAI-compatible API).
enum class ServingKind { kTensor, kGenerative };
std::string_view serving_kind_name(ServingKind kind);  // "tensor", "generative"

struct BackendInfo {
  std::string framework;   // as the model registry records a version: "xgboost"
  std::string platform;    // the Open Inference Protocol's platform name: "xgboost_json"
  ServingKind kind = ServingKind::kTensor;
  std::filesystem::path worker;  // the worker binary that runs it
};

class BackendRegistry {
 public:
  // The backends of this build: XGBoost, ONNX and TorchScript in `bin_dir`/maas-worker, GGUF in
  // `bin_dir`/maas-llm-worker when that binary exists (a build with llama.cpp).
  static BackendRegistry builtin(const std::filesystem::path& bin_dir);

  void add(BackendInfo info);
  // Null when no backend serves the framework.
  const BackendInfo* find(std::string_view framework) const;
  // FAILED_PRECONDITION saying that this maasd cannot serve the framework.
  Result<const BackendInfo*> require(std::string_view framework) const;
  std::vector<BackendInfo> list() const;

 private:
  std::map<std::string, BackendInfo, std::less<>> backends_;
};

}  // namespace maas::runtime
