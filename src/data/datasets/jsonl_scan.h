// One pass over a JSON Lines file that finds the lines which are not a JSON object (malformed, a bare value, too long)
// so that an import can reject them by line number with a reason, and optionally writes the file again without them.
// Streams in 1 MiB blocks: memory is one block plus one line (at most max_line_bytes). Stateless functions.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "common/status.h"

namespace maas::data {

struct RejectedLine {
  int64_t line = 0;  // 1-based, counting every line of the file
  std::string reason;
  std::string text;  // the line, cut at 64 KiB, invalid UTF-8 bytes replaced by U+FFFD
};

struct JsonlScan {
  int64_t lines = 0;     // lines that are not blank
  int64_t rejected = 0;  // of those, not a JSON object
};

// Calls `on_reject` for each rejected line, in order. With `clean_copy` set, writes every accepted line there.
Result<JsonlScan> scan_jsonl(const std::filesystem::path& input, uint64_t max_line_bytes,
                             const std::function<Status(const RejectedLine&)>& on_reject,
                             const std::optional<std::filesystem::path>& clean_copy = std::nullopt);

}  // namespace maas::data
