// A logs source's rows: its LogQL query run over maasd's own log center (on the caller's thread: a blocking scan)
// from its watermark (the last entry's timestamp) or its range to now, oldest first, each entry a JSON Lines row
// with its timestamp, line, stream labels and, when the line is a JSON object, its top-level fields. Internal to
// data/api/.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/status.h"
#include "data/sources/source.h"
#include "logs/log_store.h"

namespace maas::data::api {

struct LogRows {
  std::filesystem::path file;
  int64_t rows = 0;
  int64_t last_ts_ns = 0;  // the last entry's timestamp (the watermark); 0 when none
};

// Writes the rows to a new file in `dir`. INVALID_ARGUMENT for a query that is not a log query.
Result<LogRows> write_log_rows(logs::LogStore& store, const sources::Source& source, const nlohmann::json& since,
                               const std::filesystem::path& dir);

}  // namespace maas::data::api
