// The embedded log engine: append-only segment files of zstd blocks (logs/block_format.h), one block per stream
// per append, with an in-memory index of every block's stream and time bounds rebuilt from the block headers at
// start. A torn tail left by a crash (a block whose bytes are incomplete or fail their CRC) is truncated at
// start; what an append returned OK for was fsynced and is never lost.
//
// Retention seals the active segment after `segment_max_age_ms`, then moves whole sealed segments older than
// `retention_ms` (or the oldest, while live data exceed `retention_bytes`) to the archive directory,
// recompressed at `archive_zstd_level`; archives stay queryable (ScanRequest::include_archive) until
// `archive_retention_ms`.
//
// Thread-safety: every call from any thread. Appends serialise on one writer lock (compression happens before
// it); scans take a snapshot of the index under a shared lock and read files without it; retention recompresses
// sealed (immutable) segments without blocking appends, and swaps them in the index under its lock.
#pragma once

#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "logs/log_store.h"

namespace maas::logs {

struct SegmentStoreOptions {
  std::filesystem::path dir;          // live segments
  std::filesystem::path archive_dir;  // archived segments
  uint64_t segment_bytes = 64ull << 20;
  int64_t segment_max_age_ms = 3'600'000;
  int64_t retention_ms = 7LL * 24 * 3'600'000;  // 0: no age limit
  uint64_t retention_bytes = 10ull << 30;       // 0: no size limit
  bool archive = true;                          // false: expired segments are deleted
  int64_t archive_retention_ms = 0;             // 0: archives are kept
  int zstd_level = 1;
  int archive_zstd_level = 9;
  bool fsync = true;
  size_t max_streams = 100'000;
};

class SegmentStore : public LogStore {
 public:
  static Result<std::unique_ptr<SegmentStore>> open(SegmentStoreOptions options);
  ~SegmentStore() override = default;

  Status append(const std::vector<StreamBatch>& batches) override;
  Status scan(const ScanRequest& request, BlockVisitor& visitor) override;
  std::vector<LabelSet> streams(int64_t start_ns, int64_t end_ns, bool include_archive) override;
  LogStoreStats stats() override;
  Result<RetentionReport> enforce_retention(int64_t now_ns) override;

 private:
  struct BlockRef {
    uint32_t stream = 0;
    uint32_t entries = 0;
    int64_t min_ts = 0;
    int64_t max_ts = 0;
    uint64_t header_offset = 0;  // where the block starts (its header frame)
    uint64_t frame_offset = 0;   // where its data frame starts
    uint32_t frame_bytes = 0;
    uint32_t raw_bytes = 0;
    uint32_t frame_crc = 0;
  };
  struct Segment;

  explicit SegmentStore(SegmentStoreOptions options) : options_(std::move(options)) {}
  Status load(bool archived, uint64_t id, bool verify_tail);
  // Reads a segment's block headers into `segment`; truncates a torn tail when `verify` (the newest live one).
  Status index_segment(Segment& segment, bool verify);
  Result<uint32_t> stream_id_locked(const std::string& labels_text);
  Status roll_locked();
  Status archive_segment(const std::shared_ptr<Segment>& segment);
  void drop_segment(const std::shared_ptr<Segment>& segment);
  std::filesystem::path path_of(bool archived, uint64_t id) const;

  SegmentStoreOptions options_;
  std::mutex retention_mu_;     // one retention run at a time; sealed segments are archived under it alone
  std::mutex write_mu_;         // appends and rolls of the active segment
  std::shared_mutex index_mu_;  // segments_, streams_, stream_ids_, each segment's blocks
  std::vector<std::shared_ptr<Segment>> segments_;  // by id, archived ones included
  std::shared_ptr<Segment> active_;
  std::deque<LabelSet> streams_;  // by stream id; a deque so references stay valid as it grows
  std::unordered_map<std::string, uint32_t> stream_ids_;
  uint64_t next_segment_id_ = 1;
};

}  // namespace maas::logs
