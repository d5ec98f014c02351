// How a DuckDB database is opened: its memory limit, threads, spill directory, and which files it may touch. Plain
// data with a validator; copied freely.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace maas::data::engine {

// The files a sandboxed database may read or write. Everything else is refused by DuckDB itself
// (enable_external_access=false), and the configuration is locked so that SQL cannot lift the restriction.
struct FileAccess {
  // Exact files (a source file, an output file).
  std::vector<std::filesystem::path> paths;
  // Directories whose whole subtree is allowed (an output folder). Give them without `..`.
  std::vector<std::filesystem::path> directories;
};

struct EngineOptions {
  // DuckDB's buffer-manager limit; operators past it spill to temp_directory (or fail when it is empty).
  uint64_t memory_limit_bytes = uint64_t{1} << 30;
  // Worker threads of one query; 0: one per core.
  int threads = 0;
  // Where sorts, joins and aggregates spill; empty: no spilling (a query past the memory limit fails).
  std::filesystem::path temp_directory;
  // A bound on the spill files; 0: DuckDB's default (90% of the free disk).
  uint64_t max_temp_directory_bytes = 0;
  // Keep the input's row order in imports and exports (costs some memory in parallel scans).
  bool preserve_insertion_order = true;
  // Set for a database that runs a user's SQL: only these files are reachable.
  std::optional<FileAccess> file_access;

  // INVALID_ARGUMENT naming the first bad field.
  Status validate() const;
};

}  // namespace maas::data::engine
