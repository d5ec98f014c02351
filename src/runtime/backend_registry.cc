#include "runtime/backend_registry.h"

namespace maas::runtime {

std::string_view serving_kind_name(ServingKind kind) {
  switch (kind) {
    case ServingKind::kTensor: return "tensor";
    case ServingKind::kGenerative: return "generative";
  }
  return "unknown";
}

BackendRegistry BackendRegistry::builtin(const std::filesystem::path& bin_dir) {
  BackendRegistry registry;
  const auto tensor_worker = bin_dir / "maas-worker";
  registry.add({"xgboost", "xgboost_json", ServingKind::kTensor, tensor_worker});
  registry.add({"onnx", "onnx_opencv", ServingKind::kTensor, tensor_worker});
  registry.add({"torchscript", "pytorch_libtorch", ServingKind::kTensor, tensor_worker});
  const auto llm_worker = bin_dir / "maas-llm-worker";
  std::error_code ec;
  if (std::filesystem::exists(llm_worker, ec)) registry.add({"gguf", "llama_cpp", ServingKind::kGenerative, llm_worker});
  return registry;
}

void BackendRegistry::add(BackendInfo info) {
  std::string framework = info.framework;
  backends_[framework] = std::move(info);
}

const BackendInfo* BackendRegistry::find(std::string_view framework) const {
  auto it = backends_.find(framework);
  return it == backends_.end() ? nullptr : &it->second;
}

Result<const BackendInfo*> BackendRegistry::require(std::string_view framework) const {
  if (const BackendInfo* info = find(framework)) return info;
  std::string known;
  for (const auto& [name, info] : backends_) known += (known.empty() ? "" : ", ") + name;
  return failed_precondition("no backend serves framework '" + std::string(framework) + "' in this maasd (it serves " +
                             (known.empty() ? std::string("none") : known) + ")");
}

std::vector<BackendInfo> BackendRegistry::list() const {
  std::vector<BackendInfo> out;
  for (const auto& [name, info] : backends_) out.push_back(info);
  return out;
}

}  // namespace maas::runtime
