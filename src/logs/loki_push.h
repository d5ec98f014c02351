// Loki's push API body (JSON: {"streams": [{"stream": {labels}, "values": [["<ns>", "line", {metadata}?], ...]}]})
// decoded into stream batches, the rules a pushed stream must follow, and the gzip Content-Encoding Loki's
// clients may use.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "logs/record.h"

namespace maas::logs {

// INVALID_ARGUMENT naming the stream and entry at fault. An entry's structured metadata (an optional third
// element) is accepted and not stored: maas keeps an entry's fields in its line.
Result<std::vector<StreamBatch>> decode_loki_push(std::string_view json);
// What a push may write, checked after decoding and before anything is stored.
struct PushRules {
  int64_t now_ns = 0;
  // Entries newer than now + this are refused (Loki's creation_grace_period): a far-future timestamp would keep a
  // segment out of age-based retention for ever.
  int64_t creation_grace_ns = 600'000'000'000;
  // job="maasd" is maasd's own (record.h). False: a stream that claims it is refused. True (a maasd that is
  // another maasd's Loki): it is kept, relabelled pushed_by=`pusher`, so it never reads as this maasd's own.
  bool accept_maasd_streams = false;
  std::string pusher;  // the pushing key's id
};

// Applies `rules` to decoded batches, in place. INVALID_ARGUMENT naming the stream and the label or timestamp at
// fault; nothing is changed then.
Status apply_push_rules(std::vector<StreamBatch>& batches, const PushRules& rules);

// Inflates a gzip body; PAYLOAD_TOO_LARGE past `max_bytes` of output, INVALID_ARGUMENT when corrupt.
Result<std::string> gunzip(std::string_view compressed, size_t max_bytes);

}  // namespace maas::logs
