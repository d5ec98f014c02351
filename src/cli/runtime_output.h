// What `maas load` and `maas ps` print: a loaded version with its deployment config, and the table of loaded
// versions merged from the repository index, the statistics and the workers' memory metrics.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/prometheus.h"

namespace maas::cli {

// The metric whose samples (labels model, version, instance) give each worker's resident memory.
inline constexpr std::string_view kWorkerMemoryMetric = "maas_worker_resident_memory_bytes";

// MODEL, VERSION, STATE, then the deployment config one setting per line, of a load response.
std::string render_load_result(const nlohmann::json& loaded);

// The loaded versions, sorted by model then version: the entries of a repository `index` except those the server
// lists as UNAVAILABLE with reason "unloaded" (registered models with no loaded version). Each is
// {"name", "version", "state", "reason"?, "inference_count"?, "instances"?, "resident_memory_bytes"?}: the count
// from the `stats` response, and, when `worker_memory` is given, the number of workers with a memory sample and
// the sum of their samples.
nlohmann::json loaded_versions(const nlohmann::json& index, const nlohmann::json& stats,
                               const std::vector<MetricSample>* worker_memory);

// MODEL, VERSION, STATE, REASON, INSTANCES, MEMORY, INFERENCES: one row per element of loaded_versions.
std::string render_loaded_versions_table(const nlohmann::json& versions);

}  // namespace maas::cli
