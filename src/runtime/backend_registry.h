// Which backends this maasd serves, and for each framework what serves it: the kind of runner (a batched tensor
// execute, or streamed generation), the Open Inference Protocol's platform name, and the plugin a worker loads for
// it. The one place that knows framework names on maasd's side: everything else asks the registry. It learns them
// from the manifests the build writes beside the plugins (bin/backends/<framework>.json, src/backends/
// CMakeLists.txt), never by loading a plugin: maasd itself never maps a framework's libraries.
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
// Inference Protocol), streams of generated text (llm::LlmRunner, the OpenAI-compatible API), or an inference
// graph run in maasd over other versions (graph::GraphModel; built in, never from a manifest).
enum class ServingKind { kTensor, kGenerative, kGraph };
std::string_view serving_kind_name(ServingKind kind);  // "tensor", "generative", "graph"

struct BackendInfo {
  std::string framework;   // as the model registry records a version: "xgboost"
  std::string platform;    // the Open Inference Protocol's platform name: "xgboost_json"
  ServingKind kind = ServingKind::kTensor;
  std::filesystem::path library;  // the plugin: libmaas_backend_<framework>.so
  std::filesystem::path worker;   // the worker binary that loads it (maas-worker)
};

class BackendRegistry {
 public:
  // The backends whose manifests are in `dir` ({"framework", "kind", "platform", "library"}; the library relative
  // to the manifest), each run by `worker`. FAILED_PRECONDITION naming the manifest that is not valid or whose
  // library is missing; a missing `dir` is a registry with no backends.
  static Result<BackendRegistry> discover(const std::filesystem::path& dir, const std::filesystem::path& worker);

  void add(BackendInfo info);
  // Null when no backend serves the framework.
  const BackendInfo* find(std::string_view framework) const;
  // FAILED_PRECONDITION saying that this maasd cannot serve the framework, and which it can.
  Result<const BackendInfo*> require(std::string_view framework) const;
  std::vector<BackendInfo> list() const;

 private:
  std::map<std::string, BackendInfo, std::less<>> backends_;
};

}  // namespace maas::runtime
