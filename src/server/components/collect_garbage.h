// Garbage collection of the artifact store, logged: periodic, and after a dataset is deleted.
// Threading: any thread (the registry serializes collections).
#pragma once

#include <spdlog/spdlog.h>

#include "registry/registry.h"

namespace maas::server {

inline void collect_garbage(registry::Registry& registry) {
  auto report = registry.collect_garbage();
  if (!report.ok()) {
    spdlog::warn("garbage collection failed: {}", report.status().to_string());
  } else if (report->removed_blobs > 0) {
    spdlog::info("garbage collection removed {} blobs ({} bytes)", report->removed_blobs, report->removed_bytes);
  }
}

}  // namespace maas::server
