#include "backends/plugin_loader.h"

#include <dlfcn.h>

#include <cstring>

namespace maas::backends {

Result<const BackendPlugin*> load_backend_plugin(const std::filesystem::path& path, std::string_view framework) {
  // RTLD_LOCAL: what the plugin links (LibTorch, OpenCV, libxgboost, llama.cpp) stays its own.
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* error = ::dlerror();
    return failed_precondition("cannot load the backend plugin " + path.string() + ": " +
                               (error ? error : "unknown error"));
  }
  auto entry = reinterpret_cast<MaasBackendPluginEntry>(::dlsym(handle, kBackendEntryPoint));
  if (entry == nullptr) {
    return failed_precondition("the backend plugin " + path.string() + " has no " + kBackendEntryPoint +
                               " (declare it with MAAS_TENSOR_BACKEND_PLUGIN or MAAS_GENERATIVE_BACKEND_PLUGIN, "
                               "backends/plugin.h)");
  }
  const BackendPlugin* plugin = nullptr;
  int version = entry(kBackendAbiVersion, &plugin);
  if (version != kBackendAbiVersion || plugin == nullptr) {
    return failed_precondition("the backend plugin " + path.string() + " was built for backend ABI " +
                               std::to_string(version) + ", this worker has " + std::to_string(kBackendAbiVersion) +
                               ": rebuild it against this version");
  }
  if (plugin->framework == nullptr || (!framework.empty() && framework != plugin->framework)) {
    return failed_precondition("the backend plugin " + path.string() + " serves framework '" +
                               (plugin->framework ? plugin->framework : "") + "', not '" + std::string(framework) +
                               "'");
  }
  if ((plugin->create_tensor == nullptr) == (plugin->create_generative == nullptr)) {
    return failed_precondition("the backend plugin " + path.string() +
                               " must make either a tensor backend or a generative one");
  }
  return plugin;
}

}  // namespace maas::backends
