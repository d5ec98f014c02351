// The work behind each maas-data command: plain functions over the data library that return the JSON to print.
// Shared by main.cc only; each call opens what it needs and closes it before returning.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "data/datasets/dataset_registry.h"

namespace maas::data::tool {

// Options every command shares: the engine's limits.
struct EngineFlags {
  std::string memory_limit = "1GiB";
  int threads = 0;
  std::filesystem::path temp_dir;  // empty: a directory of its own under the system temp dir
};

Result<engine::EngineOptions> engine_options(const EngineFlags& flags);

struct ImportArgs {
  std::filesystem::path input;
  std::filesystem::path snapshot;
  std::filesystem::path rejects;  // empty: <snapshot>.rejects.parquet
  std::string format;             // empty: from the extension
  std::string options_json;       // ImportOptions as JSON
  bool profile = false;
};
Result<nlohmann::json> run_import(const EngineFlags& flags, const ImportArgs& args);

// options.memory_limit_bytes is taken from the flags.
Result<nlohmann::json> run_profile(const EngineFlags& flags, const std::filesystem::path& snapshot,
                                   ProfileOptions options);
Result<nlohmann::json> run_preview(const EngineFlags& flags, const std::filesystem::path& snapshot,
                                   const PreviewOptions& options);
Result<nlohmann::json> run_export(const EngineFlags& flags, const std::filesystem::path& snapshot,
                                  const ExportOptions& options, const std::filesystem::path& out);

// The dataset registry in a data directory laid out as maasd's (metadata.db, artifacts/).
struct RegistryArgs {
  std::filesystem::path data_dir;
  std::string dataset;
  std::string ref = "latest";
  std::string description;
  // import
  std::filesystem::path input;
  std::string format;
  std::string options_json;
  // Called at each import stage (the tool's test hook kills the process at a named one).
  std::function<void(std::string_view)> on_stage;
  // preview / export
  PreviewOptions preview;
  std::string export_format = "csv";  // parquet (the snapshot itself), csv or jsonl
  ExportOptions export_options;       // format set from export_format
  std::filesystem::path out;
};
Result<nlohmann::json> run_registry(const EngineFlags& flags, const std::string& command, const RegistryArgs& args);

}  // namespace maas::data::tool
