// Loading a backend plugin (plugin.h): dlopen, find the entry point, check the ABI version and the framework.
// Thread-safety: call at start, from one thread. Plugins stay loaded for the life of the process.
#pragma once

#include <filesystem>
#include <string_view>

#include "backends/plugin.h"
#include "common/status.h"

namespace maas::backends {

// The plugin's table. FAILED_PRECONDITION naming the file and what went wrong: it cannot be opened (or a library
// it needs cannot), it has no entry point, it was built for another ABI, it serves another framework than
// `framework` (when not empty), or its table sets no factory.
Result<const BackendPlugin*> load_backend_plugin(const std::filesystem::path& path, std::string_view framework = {});

}  // namespace maas::backends
