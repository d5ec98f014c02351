// The log store interface: durable appends of stream batches, and scans of the entries of selected streams in
// a time range, block by block. The embedded engine is segment/segment_store.h; a store backed by an existing
// Loki implements the same calls.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "logs/record.h"

namespace maas::logs {

enum class Direction { kForward, kBackward };

struct ScanRequest {
  std::function<bool(const LabelSet&)> stream_filter;  // which streams
  int64_t start_ns = 0;                                 // inclusive
  int64_t end_ns = INT64_MAX;                           // exclusive
  Direction direction = Direction::kBackward;
  bool include_archive = false;
};

// Receives the blocks of a scan. Blocks arrive ordered by their newest entry (backward) or oldest (forward);
// entries within a block are in append order and may lie outside the range (the visitor filters).
class BlockVisitor {
 public:
  virtual ~BlockVisitor() = default;
  // Before a block is read: false skips it; `stop` set to true ends the scan.
  virtual bool want(int64_t min_ts, int64_t max_ts, bool* stop) = 0;
  virtual void entries(const LabelSet& labels, std::string_view raw_block) = 0;
};

struct LogStoreStats {
  uint64_t streams = 0;
  uint64_t segments = 0;
  uint64_t bytes = 0;
  uint64_t archived_segments = 0;
  uint64_t archived_bytes = 0;
  uint64_t entries = 0;
};

struct RetentionReport {
  uint64_t archived_segments = 0;
  uint64_t deleted_segments = 0;
};

// Thread-safe: any call from any thread. Calls block on disk; never call them on an I/O thread.
class LogStore {
 public:
  virtual ~LogStore() = default;
  // Durable (fsynced, when configured) when it returns OK. RESOURCE_EXHAUSTED past the stream limit.
  virtual Status append(const std::vector<StreamBatch>& batches) = 0;
  virtual Status scan(const ScanRequest& request, BlockVisitor& visitor) = 0;
  // The label sets of the streams with entries overlapping [start, end).
  virtual std::vector<LabelSet> streams(int64_t start_ns, int64_t end_ns, bool include_archive) = 0;
  virtual LogStoreStats stats() = 0;
  // Seals, archives and deletes what the retention settings say, as of `now_ns`.
  virtual Result<RetentionReport> enforce_retention(int64_t now_ns) = 0;
};

}  // namespace maas::logs
