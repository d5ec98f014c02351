// Loading a job plugin (plugin.h): dlopen, find the entry point, check the ABI version, let it register.
// Thread-safety: call at start, from one thread. Plugins stay loaded for the life of the process.
#pragma once

#include <filesystem>

#include "common/status.h"
#include "jobs/plugin.h"

namespace maas::jobs {

// FAILED_PRECONDITION naming the file and what went wrong (cannot be opened, no entry point, another ABI).
Status load_plugin(const std::filesystem::path& path, PluginRegistrar& registrar);

}  // namespace maas::jobs
