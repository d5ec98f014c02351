// What `maas jobs` prints: tables of jobs and kinds, one job's details, its progress line, its log lines, and the
// parameters built from --param flags. Pure functions of the server's JSON, so they are unit-tested; a missing or
// mistyped field shows as "-" (the client must keep working against a newer or older server).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace maas::cli {

// ID, KIND, STATE, PRIORITY, PROGRESS, ATTEMPTS, OWNER, CREATED: one row per element of a `jobs` array (or one
// job object).
std::string render_jobs_table(const nlohmann::json& body);
// NAME, SLOTS, MEMORY, ATTEMPTS, DESCRIPTION: one row per element of a `kinds` array.
std::string render_kinds_table(const nlohmann::json& body);
// One job, one field per line: state, progress, attempts, times, params, result, error.
std::string render_job_details(const nlohmann::json& job);
// "[##########..............]  42%  step 4 of 10  ETA 6.0s  loss=0.25" for a running job; its state otherwise.
std::string format_job_progress(const nlohmann::json& job);
// "2026-11-25 01:02:03Z  stderr  info  the line" for one entry of a job's `lines`.
std::string format_job_log_line(const nlohmann::json& line);
// True for succeeded, failed and cancelled.
bool job_state_is_final(const nlohmann::json& job);

// `--param k=v` flags (a value that reads as JSON is sent typed: 3, true, [1,2]; anything else as a string)
// merged over `--params JSON` (an object). INVALID_ARGUMENT for a malformed flag or a key given twice.
Result<nlohmann::json> build_job_params(const std::string& params_json, const std::vector<std::string>& params);
// "name" or "name:ref" -> {<name_key>: name, <version_key>: ref} (a numeric ref is sent as a number): how the
// training and prediction commands name a dataset or model version.
nlohmann::json named_version(const std::string& text, const char* name_key, const char* version_key);

}  // namespace maas::cli
