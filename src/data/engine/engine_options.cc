#include "data/engine/engine_options.h"

namespace maas::data::engine {

Status EngineOptions::validate() const {
  // DuckDB needs room for at least a few 256 KiB blocks per thread; below this nothing useful runs.
  constexpr uint64_t kMinMemory = uint64_t{16} << 20;
  if (memory_limit_bytes < kMinMemory) {
    return invalid_argument("the data engine's memory limit must be at least 16 MiB, got " +
                            std::to_string(memory_limit_bytes) + " bytes");
  }
  if (threads < 0 || threads > 1024) {
    return invalid_argument("the data engine's threads must be between 0 (one per core) and 1024, got " +
                            std::to_string(threads));
  }
  if (file_access) {
    for (const auto& dir : file_access->directories) {
      if (!dir.is_absolute()) return invalid_argument("allowed directory '" + dir.string() + "' must be absolute");
      for (const auto& part : dir) {
        if (part == "..") return invalid_argument("allowed directory '" + dir.string() + "' must not contain '..'");
      }
    }
    for (const auto& path : file_access->paths) {
      if (!path.is_absolute()) return invalid_argument("allowed path '" + path.string() + "' must be absolute");
    }
  }
  return {};
}

}  // namespace maas::data::engine
