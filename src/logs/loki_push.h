// Loki's push API body (JSON: {"streams": [{"stream": {labels}, "values": [["<ns>", "line", {metadata}?], ...]}]})
// decoded into stream batches, and the gzip Content-Encoding Loki's clients may use.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "logs/record.h"

namespace maas::logs {

// INVALID_ARGUMENT naming the stream and entry at fault. An entry's structured metadata (an optional third
// element) is accepted and not stored: maas keeps an entry's fields in its line.
Result<std::vector<StreamBatch>> decode_loki_push(std::string_view json);
// Inflates a gzip body; PAYLOAD_TOO_LARGE past `max_bytes` of output, INVALID_ARGUMENT when corrupt.
Result<std::string> gunzip(std::string_view compressed, size_t max_bytes);

}  // namespace maas::logs
