#include "jobs/plugin_loader.h"

#include <dlfcn.h>

namespace maas::jobs {

Status load_plugin(const std::filesystem::path& path, PluginRegistrar& registrar) {
  // RTLD_LOCAL: two plugins may carry their own copies of a library without one binding to the other's.
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* error = ::dlerror();
    return failed_precondition("cannot load the job plugin " + path.string() + ": " + (error ? error : "unknown error"));
  }
  auto init = reinterpret_cast<MaasJobsPluginInit>(::dlsym(handle, kPluginEntryPoint));
  if (init == nullptr) {
    return failed_precondition("the job plugin " + path.string() + " has no " + kPluginEntryPoint +
                               " (declare it with MAAS_JOBS_PLUGIN, jobs/plugin.h)");
  }
  int version = init(kPluginAbiVersion, &registrar);
  if (version != kPluginAbiVersion) {
    return failed_precondition("the job plugin " + path.string() + " was built for plugin ABI " +
                               std::to_string(version) + ", this maas has " + std::to_string(kPluginAbiVersion) +
                               ": rebuild it against this version");
  }
  return {};
}

}  // namespace maas::jobs
