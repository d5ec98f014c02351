// Job plugins: a shared library (libmaas_jobs_<name>.so) that registers job kinds and executors through one C
// entry point, as Envoy's dynamic extensions register filters. maasd loads the plugins named in jobs.plugins
// (their kinds: that code runs inside maasd) and maas-job loads the plugin a kind names for its executor. A
// plugin with a heavy executor (LibTorch, DuckDB) keeps its kind in a separate, light plugin or in maasd itself,
// so that maasd never loads the heavy library.
//
//   MAAS_JOBS_PLUGIN(registrar) {
//     registrar.add_kind(my_kind());             // kept by maasd
//     registrar.add_executor("my.kind", run_it);  // kept by maas-job
//   }
//
// Thread-safety: the entry point is called once per process, at start, on one thread. Plugins are never unloaded.
#pragma once

#include <filesystem>
#include <string>

#include "jobs/executor.h"
#include "jobs/job_kind.h"

namespace maas::jobs {

// Bumped whenever JobKind, JobContext or this registrar change shape: a plugin built against another version is
// refused with a message instead of crashing.
inline constexpr int kPluginAbiVersion = 1;
inline constexpr const char* kPluginEntryPoint = "maas_jobs_plugin_init";

class PluginRegistrar {
 public:
  virtual ~PluginRegistrar() = default;
  // maasd keeps kinds and ignores executors; maas-job keeps executors and ignores kinds. A kind without an
  // executor_plugin gets this plugin's path.
  virtual void add_kind(JobKind kind) = 0;
  virtual void add_executor(std::string name, Executor executor) = 0;
};

}  // namespace maas::jobs

// The entry point: returns kPluginAbiVersion after registering, or without registering anything when the
// host's version differs.
extern "C" {
typedef int (*MaasJobsPluginInit)(int host_abi_version, maas::jobs::PluginRegistrar* registrar);
}

#define MAAS_JOBS_PLUGIN(registrar)                                                                          \
  static void maas_jobs_plugin_register_(::maas::jobs::PluginRegistrar& registrar);                         \
  extern "C" __attribute__((visibility("default"))) int maas_jobs_plugin_init(                              \
      int host_abi_version, ::maas::jobs::PluginRegistrar* maas_registrar_) {                               \
    if (host_abi_version == ::maas::jobs::kPluginAbiVersion) maas_jobs_plugin_register_(*maas_registrar_); \
    return ::maas::jobs::kPluginAbiVersion;                                                                  \
  }                                                                                                          \
  static void maas_jobs_plugin_register_(::maas::jobs::PluginRegistrar& registrar)
