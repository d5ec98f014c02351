// What a job kind that records a dataset version needs from the data center: the version a params field names,
// the job's output files checked, the dataset created on first use, a requeued job's earlier version. Public: the
// data kinds use it, and so do the kinds of other folders (features, training). Called on maasd's job threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/status.h"
#include "data/api/data_api.h"

namespace maas::data::api {

// The version of `dataset` job `job_id` recorded already (a requeued job reaching on_succeeded twice), if any.
Result<std::optional<int64_t>> version_of_job(DatasetRegistry& registry, const std::string& dataset,
                                              const std::string& job_id);
// A file a job reported, checked to lie in the job's own directory under the data dir.
Result<std::filesystem::path> job_output_file(const DataApi& api, const std::string& job_id,
                                              const nlohmann::json& value);
// Creates the dataset when it does not exist yet.
Status ensure_dataset(DataApi& api, const std::string& name, const std::string& description);
// A job parameter naming a dataset version: a number or a reference ("latest", an alias); absent: latest
// (rule_job_kind.cc).
Result<std::string> version_ref(const nlohmann::json& params, const char* key);

}  // namespace maas::data::api
