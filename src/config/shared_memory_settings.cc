// The shared_memory.* settings (Triton's system shared memory extension: docs/SHARED_MEMORY.md).
#include "config/setting.h"

namespace maas::config {

std::vector<Setting> shared_memory_settings() {
  return {
      {{"shared_memory.max_regions", "MAAS_SHARED_MEMORY_MAX_REGIONS", "--shared-memory-max-regions",
        "system shared memory regions registered at once (/v2/systemsharedmemory); 0 turns the extension off"},
       whole_number(&ServerConfig::shared_memory_max_regions, "shared_memory.max_regions", 0, 4096)},
      {{"shared_memory.max_region_bytes", "MAAS_SHARED_MEMORY_MAX_REGION_BYTES", "--shared-memory-max-region-bytes",
        "bytes one registered shared memory region may span (e.g. 1GiB)"},
       size_bytes(&ServerConfig::shared_memory_max_region_bytes, "shared_memory.max_region_bytes")},
  };
}

}  // namespace maas::config
