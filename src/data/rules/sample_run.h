// Testing a rule before it is saved: a sample (lines, or rows as JSON objects) runs through the same code a run does
// (apply.h) on a database of its own that may touch only the sample's and the outputs' files, and the rows produced
// and rejected come back as JSON. Nothing is recorded.
//
// Thread-safety: each call opens its own database; call from a blocking pool, never an event loop.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "data/engine/engine_options.h"
#include "data/rules/rule.h"

namespace maas::data::rules {

struct Sample {
  std::vector<std::string> lines;    // each becomes a row {"line": text}
  std::vector<nlohmann::json> rows;  // JSON objects (when lines is empty)
};

// Temp files the run may write: the sample, the produced rows, the rejected rows, and scratch (and <scratch>.*).
struct SampleFiles {
  std::filesystem::path sample, snapshot, rejects, scratch;
};

// {"columns": [{"name", "type"}], "rows": [[...]], "rows_produced", "rows_rejected",
//  "rejected": [{"line", "column", "error_type", "message", "raw"}]}, at most `max_rows` of each list.
Result<nlohmann::json> run_on_sample(const RuleSpec& rule, const RuleLimits& limits, const Sample& sample,
                                     const SampleFiles& files, engine::EngineOptions engine, int64_t max_rows);

// The files a rule's database may touch besides its inputs: the outputs and the scratch files apply.h writes.
std::vector<std::filesystem::path> rule_output_files(const std::filesystem::path& snapshot,
                                                     const std::filesystem::path& rejects,
                                                     const std::filesystem::path& scratch);

}  // namespace maas::data::rules
