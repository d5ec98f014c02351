// A job's spec read from a file for the CLI (`maas train torch --spec net.yaml`): JSON, or YAML converted to the
// same JSON (unquoted numbers, true/false and null become JSON values; quoted scalars stay strings).
//
// Thread-safety: a pure function over a file.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/status.h"

namespace maas::cli {

// INVALID_ARGUMENT naming the file (and the YAML line) when it cannot be read or parsed.
Result<nlohmann::json> read_spec_file(const std::filesystem::path& path);

}  // namespace maas::cli
