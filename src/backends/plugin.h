// The backend plugin boundary, as Triton's libtriton_<name>.so: each backend folder builds
// libmaas_backend_<framework>.so exporting one C entry point, maas_backend_plugin, which hands the worker a
// versioned table naming the framework and a factory for its backend — a tensor backend (runtime/backend.h: a
// batched execute) or a generative one (llm/generative_backend.h: streams). maas-worker links no backend; it loads
// the one plugin its model needs (the path maasd passes from its backend registry), so a worker serving XGBoost
// never maps LibTorch.
//
//   MAAS_TENSOR_BACKEND_PLUGIN("xgboost", XgboostBackend)        // in src/backends/xgboost/plugin.cc
//   MAAS_GENERATIVE_BACKEND_PLUGIN("gguf", GgufBackend)
//
// The table holds C++ factories: a plugin must be built by the same compiler against the same headers as the
// worker (this tree builds both); kBackendAbiVersion refuses one built against other headers. Plugins are never
// unloaded: objects they made may outlive any scope.
#pragma once

#include <memory>

#include "llm/generative_backend.h"
#include "runtime/backend.h"

namespace maas::backends {

// Bumped whenever runtime::Backend, llm::GenerativeBackend, the types they pass or this table change shape.
inline constexpr int kBackendAbiVersion = 1;
inline constexpr const char* kBackendEntryPoint = "maas_backend_plugin";

struct BackendPlugin {
  const char* framework = nullptr;
  // Exactly one is set.
  std::unique_ptr<runtime::Backend> (*create_tensor)() = nullptr;
  std::unique_ptr<llm::GenerativeBackend> (*create_generative)() = nullptr;
};

}  // namespace maas::backends

// The entry point: returns the plugin's kBackendAbiVersion, and sets *plugin only when it equals the host's.
extern "C" {
typedef int (*MaasBackendPluginEntry)(int host_abi_version, const maas::backends::BackendPlugin** plugin);
}

#define MAAS_BACKEND_PLUGIN_(framework_name, tensor_factory, generative_factory)                                 \
  extern "C" __attribute__((visibility("default"))) int maas_backend_plugin(                                    \
      int host_abi_version, const ::maas::backends::BackendPlugin** plugin) {                                   \
    static const ::maas::backends::BackendPlugin table{framework_name, tensor_factory, generative_factory};     \
    if (host_abi_version == ::maas::backends::kBackendAbiVersion) *plugin = &table;                            \
    return ::maas::backends::kBackendAbiVersion;                                                                \
  }

#define MAAS_TENSOR_BACKEND_PLUGIN(framework_name, Class)                                                  \
  MAAS_BACKEND_PLUGIN_(                                                                                    \
      framework_name,                                                                                      \
      []() -> std::unique_ptr<::maas::runtime::Backend> { return std::make_unique<Class>(); }, nullptr)

#define MAAS_GENERATIVE_BACKEND_PLUGIN(framework_name, Class)                                                   \
  MAAS_BACKEND_PLUGIN_(framework_name, nullptr,                                                                 \
                       []() -> std::unique_ptr<::maas::llm::GenerativeBackend> { return std::make_unique<Class>(); })
