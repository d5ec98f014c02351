#include "logs/segment/segment_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "common/files.h"
#include "logs/block_format.h"

namespace maas::logs {
namespace fs = std::filesystem;

struct SegmentStore::Segment {
  uint64_t id = 0;
  bool archived = false;
  fs::path path;
  int fd = -1;
  uint64_t bytes = 0;
  uint64_t entries = 0;
  int64_t min_ts = INT64_MAX;
  int64_t max_ts = INT64_MIN;
  int64_t opened_ms = 0;
  std::vector<BlockRef> blocks;
  ~Segment() {
    if (fd >= 0) ::close(fd);
  }
};

namespace {

constexpr size_t kMaxBlockRawBytes = 1 << 20;

Status errno_status(const std::string& what) { return internal_error(what + ": " + std::strerror(errno)); }

Status read_exact(int fd, uint64_t offset, size_t n, std::string* out) {
  out->resize(n);
  size_t done = 0;
  while (done < n) {
    ssize_t r = ::pread(fd, out->data() + done, n - done, static_cast<off_t>(offset + done));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return errno_status("reading a log segment");
    if (r == 0) return internal_error("a log segment ends early");
    done += static_cast<size_t>(r);
  }
  return {};
}

Status write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t w = ::write(fd, data.data(), data.size());
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return errno_status("writing a log segment");
    data.remove_prefix(static_cast<size_t>(w));
  }
  return {};
}

bool overlaps(int64_t min_ts, int64_t max_ts, int64_t start, int64_t end) { return max_ts >= start && min_ts < end; }

std::string segment_name(uint64_t id) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%016llx.zst", static_cast<unsigned long long>(id));
  return buf;
}

// The id of "<16 hex>.zst", or 0 for anything else.
uint64_t segment_id(const fs::path& p) {
  std::string name = p.filename().string();
  if (name.size() != 20 || name.substr(16) != ".zst") return 0;
  uint64_t id = 0;
  for (size_t i = 0; i < 16; ++i) {
    char c = name[i];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return 0;
    id = id * 16 + static_cast<uint64_t>(d);
  }
  return id;
}

}  // namespace

fs::path SegmentStore::path_of(bool archived, uint64_t id) const {
  return (archived ? options_.archive_dir : options_.dir) / segment_name(id);
}

Result<std::unique_ptr<SegmentStore>> SegmentStore::open(SegmentStoreOptions options) {
  MAAS_RETURN_IF_ERROR(ensure_directory(options.dir));
  MAAS_RETURN_IF_ERROR(ensure_directory(options.archive_dir));
  std::unique_ptr<SegmentStore> store(new SegmentStore(std::move(options)));
  const auto& opt = store->options_;
  std::vector<uint64_t> live, archived;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(opt.archive_dir, ec)) {
    if (e.path().extension() == ".tmp") {
      fs::remove(e.path(), ec);  // an archival cut short by a crash; the live segment is still there
    } else if (uint64_t id = segment_id(e.path())) {
      archived.push_back(id);
    }
  }
  for (const auto& e : fs::directory_iterator(opt.dir, ec)) {
    uint64_t id = segment_id(e.path());
    if (id == 0) continue;
    if (std::find(archived.begin(), archived.end(), id) != archived.end()) {
      fs::remove(e.path(), ec);  // archived completely, the crash came before the live copy was removed
    } else {
      live.push_back(id);
    }
  }
  std::sort(live.begin(), live.end());
  std::sort(archived.begin(), archived.end());
  for (uint64_t id : archived) MAAS_RETURN_IF_ERROR(store->load(true, id, false));
  for (size_t i = 0; i < live.size(); ++i) MAAS_RETURN_IF_ERROR(store->load(false, live[i], i + 1 == live.size()));
  std::sort(store->segments_.begin(), store->segments_.end(),
            [](const auto& a, const auto& b) { return a->id < b->id; });
  for (const auto& s : store->segments_) store->next_segment_id_ = std::max(store->next_segment_id_, s->id + 1);
  if (!live.empty()) {
    for (const auto& s : store->segments_) {
      if (s->id == live.back() && !s->archived) store->active_ = s;
    }
  }
  return store;
}

Status SegmentStore::load(bool archived, uint64_t id, bool verify_tail) {
  auto segment = std::make_shared<Segment>();
  segment->id = id;
  segment->archived = archived;
  segment->path = path_of(archived, id);
  segment->fd = ::open(segment->path.c_str(), (verify_tail ? O_RDWR | O_APPEND : O_RDONLY) | O_CLOEXEC);
  if (segment->fd < 0) return errno_status("opening " + segment->path.string());
  segment->opened_ms = now_unix_ms();
  MAAS_RETURN_IF_ERROR(index_segment(*segment, verify_tail));
  segments_.push_back(std::move(segment));
  return {};
}

Status SegmentStore::index_segment(Segment& segment, bool verify) {
  struct stat st {};
  if (::fstat(segment.fd, &st) != 0) return errno_status("stat " + segment.path.string());
  const auto file_size = static_cast<uint64_t>(st.st_size);
  uint64_t offset = 0;
  std::string buf;
  Status torn;
  while (offset < file_size) {
    uint64_t block_start = offset;
    auto fail = [&](const std::string& why) { torn = internal_error(why); };
    if (file_size - offset < kHeaderPrefixBytes) { fail("a header prefix is cut short"); break; }
    MAAS_RETURN_IF_ERROR(read_exact(segment.fd, offset, kHeaderPrefixBytes, &buf));
    auto size = header_frame_size(buf);
    if (!size.ok()) { fail(size.status().message()); break; }
    if (file_size - offset - kHeaderPrefixBytes < *size) { fail("a header is cut short"); break; }
    MAAS_RETURN_IF_ERROR(read_exact(segment.fd, offset + kHeaderPrefixBytes, *size, &buf));
    auto header = decode_header(buf);
    if (!header.ok()) { fail(header.status().message()); break; }
    uint64_t frame_offset = offset + kHeaderPrefixBytes + *size;
    if (file_size - frame_offset < header->frame_bytes) { fail("a data frame is cut short"); break; }
    if (verify) {
      MAAS_RETURN_IF_ERROR(read_exact(segment.fd, frame_offset, header->frame_bytes, &buf));
      if (auto raw = decompress_frame(buf, *header); !raw.ok()) { fail(raw.status().message()); break; }
    }
    auto stream = stream_id_locked(header->labels);
    if (!stream.ok()) return stream.status();
    BlockRef ref{*stream, header->entries, header->min_ts, header->max_ts, block_start, frame_offset,
                 header->frame_bytes, header->raw_bytes, header->frame_crc};
    segment.blocks.push_back(ref);
    segment.min_ts = std::min(segment.min_ts, ref.min_ts);
    segment.max_ts = std::max(segment.max_ts, ref.max_ts);
    segment.entries += ref.entries;
    offset = frame_offset + header->frame_bytes;
  }
  if (!torn.ok()) {
    if (!verify) return internal_error(segment.path.string() + " is corrupt at byte " + std::to_string(offset) + ": " + torn.message());
    // The newest segment: what follows the last whole block is a write cut short by a crash, never acknowledged.
    spdlog::warn("log segment {}: truncating a torn tail of {} bytes at {} ({})", segment.path.string(),
                 file_size - offset, offset, torn.message());
    if (::ftruncate(segment.fd, static_cast<off_t>(offset)) != 0) return errno_status("truncating a torn log segment");
    if (::fsync(segment.fd) != 0) return errno_status("fsync of a truncated log segment");
  }
  segment.bytes = offset;
  return {};
}

Result<uint32_t> SegmentStore::stream_id_locked(const std::string& labels_text) {
  auto it = stream_ids_.find(labels_text);
  if (it != stream_ids_.end()) return it->second;
  if (streams_.size() >= options_.max_streams) {
    return Status(StatusCode::kResourceExhausted, "the log store holds " + std::to_string(options_.max_streams) +
                                                      " streams (logs.max_streams); use fewer distinct label values");
  }
  MAAS_ASSIGN_OR_RETURN(LabelSet labels, LabelSet::parse(labels_text));
  auto id = static_cast<uint32_t>(streams_.size());
  streams_.push_back(std::move(labels));
  stream_ids_.emplace(labels_text, id);
  return id;
}

Status SegmentStore::roll_locked() {
  uint64_t id;
  {
    std::shared_lock lock(index_mu_);
    id = next_segment_id_;
  }
  auto segment = std::make_shared<Segment>();
  segment->id = id;
  segment->path = path_of(false, id);
  segment->fd = ::open(segment->path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (segment->fd < 0) return errno_status("creating " + segment->path.string());
  segment->opened_ms = now_unix_ms();
  if (options_.fsync) MAAS_RETURN_IF_ERROR(fsync_directory(options_.dir));
  std::unique_lock lock(index_mu_);
  next_segment_id_ = id + 1;
  segments_.push_back(segment);
  active_ = std::move(segment);
  return {};
}

Status SegmentStore::append(const std::vector<StreamBatch>& batches) {
  // Encode and compress before taking the writer lock, so concurrent appends compress in parallel.
  struct Pending {
    std::string text;
    BlockHeader header;
    uint64_t offset_in_batch = 0;
  };
  std::vector<Pending> pending;
  std::string bytes;
  for (const auto& batch : batches) {
    size_t i = 0;
    while (i < batch.entries.size()) {
      size_t j = i, raw = 0;
      while (j < batch.entries.size() && (j == i || raw + batch.entries[j].line.size() < kMaxBlockRawBytes)) {
        raw += batch.entries[j].line.size() + 32;
        ++j;
      }
      Pending p;
      p.offset_in_batch = bytes.size();
      p.header = encode_block(batch.labels, &batch.entries[i], j - i, options_.zstd_level, &bytes);
      pending.push_back(std::move(p));
      i = j;
    }
  }
  if (pending.empty()) return {};

  std::lock_guard write_lock(write_mu_);
  std::vector<uint32_t> ids;
  {
    std::unique_lock lock(index_mu_);
    for (const auto& p : pending) {
      MAAS_ASSIGN_OR_RETURN(uint32_t id, stream_id_locked(p.header.labels));
      ids.push_back(id);
    }
  }
  if (!active_ || active_->bytes >= options_.segment_bytes) MAAS_RETURN_IF_ERROR(roll_locked());
  const uint64_t base = active_->bytes;
  if (auto s = write_all(active_->fd, bytes); !s.ok()) {
    // Leave no partial block behind for the next append to follow.
    if (::ftruncate(active_->fd, static_cast<off_t>(base)) != 0) spdlog::error("cannot truncate a failed log append");
    return s;
  }
  if (options_.fsync && ::fdatasync(active_->fd) != 0) return errno_status("fdatasync of a log segment");
  std::unique_lock lock(index_mu_);
  for (size_t k = 0; k < pending.size(); ++k) {
    const auto& h = pending[k].header;
    uint64_t header_offset = base + pending[k].offset_in_batch;
    uint64_t frame_offset = header_offset + kHeaderPrefixBytes + 40 + h.labels.size();
    active_->blocks.push_back(
        BlockRef{ids[k], h.entries, h.min_ts, h.max_ts, header_offset, frame_offset, h.frame_bytes, h.raw_bytes, h.frame_crc});
    active_->min_ts = std::min(active_->min_ts, h.min_ts);
    active_->max_ts = std::max(active_->max_ts, h.max_ts);
    active_->entries += h.entries;
  }
  active_->bytes = base + bytes.size();
  return {};
}

Status SegmentStore::scan(const ScanRequest& request, BlockVisitor& visitor) {
  struct Candidate {
    std::shared_ptr<Segment> segment;  // keeps the file open even if retention removes it meanwhile
    BlockRef block;
    const LabelSet* labels;
  };
  std::vector<Candidate> candidates;
  {
    std::shared_lock lock(index_mu_);
    std::vector<char> matched(streams_.size());
    for (size_t i = 0; i < streams_.size(); ++i) matched[i] = request.stream_filter(streams_[i]) ? 1 : 0;
    for (const auto& seg : segments_) {
      if ((seg->archived && !request.include_archive) || seg->blocks.empty() ||
          !overlaps(seg->min_ts, seg->max_ts, request.start_ns, request.end_ns)) {
        continue;
      }
      for (const auto& b : seg->blocks) {
        if (matched[b.stream] && overlaps(b.min_ts, b.max_ts, request.start_ns, request.end_ns)) {
          candidates.push_back({seg, b, &streams_[b.stream]});
        }
      }
    }
  }
  if (request.direction == Direction::kBackward) {
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.block.max_ts > b.block.max_ts; });
  } else {
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.block.min_ts < b.block.min_ts; });
  }
  std::string frame;
  for (const auto& c : candidates) {
    bool stop = false;
    if (!visitor.want(c.block.min_ts, c.block.max_ts, &stop)) {
      if (stop) break;
      continue;
    }
    MAAS_RETURN_IF_ERROR(read_exact(c.segment->fd, c.block.frame_offset, c.block.frame_bytes, &frame));
    BlockHeader h;
    h.frame_bytes = c.block.frame_bytes;
    h.frame_crc = c.block.frame_crc;
    h.raw_bytes = c.block.raw_bytes;
    MAAS_ASSIGN_OR_RETURN(std::string raw, decompress_frame(frame, h));
    visitor.entries(*c.labels, raw);
  }
  return {};
}

std::vector<LabelSet> SegmentStore::streams(int64_t start_ns, int64_t end_ns, bool include_archive) {
  std::shared_lock lock(index_mu_);
  std::vector<char> seen(streams_.size());
  for (const auto& seg : segments_) {
    if ((seg->archived && !include_archive) || !overlaps(seg->min_ts, seg->max_ts, start_ns, end_ns)) continue;
    for (const auto& b : seg->blocks) {
      if (overlaps(b.min_ts, b.max_ts, start_ns, end_ns)) seen[b.stream] = 1;
    }
  }
  std::vector<LabelSet> out;
  for (size_t i = 0; i < seen.size(); ++i) {
    if (seen[i]) out.push_back(streams_[i]);
  }
  return out;
}

LogStoreStats SegmentStore::stats() {
  std::shared_lock lock(index_mu_);
  LogStoreStats s;
  s.streams = streams_.size();
  for (const auto& seg : segments_) {
    (seg->archived ? s.archived_segments : s.segments) += 1;
    (seg->archived ? s.archived_bytes : s.bytes) += seg->bytes;
    if (!seg->archived) s.entries += seg->entries;
  }
  return s;
}

Status SegmentStore::archive_segment(const std::shared_ptr<Segment>& segment) {
  fs::path final_path = path_of(true, segment->id);
  fs::path tmp = final_path;
  tmp += ".tmp";
  int out = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0) return errno_status("creating " + tmp.string());
  Status status;
  std::string frame, block;
  for (const auto& b : segment->blocks) {
    BlockHeader h;
    h.frame_bytes = b.frame_bytes;
    h.frame_crc = b.frame_crc;
    h.raw_bytes = b.raw_bytes;
    h.min_ts = b.min_ts;
    h.max_ts = b.max_ts;
    h.entries = b.entries;
    {
      std::shared_lock lock(index_mu_);
      h.labels = streams_[b.stream].text();
    }
    status = read_exact(segment->fd, b.frame_offset, b.frame_bytes, &frame);
    if (!status.ok()) break;
    auto recompressed = recompress_block(h, frame, options_.archive_zstd_level);
    if (!recompressed.ok()) {
      status = recompressed.status();
      break;
    }
    status = write_all(out, *recompressed);
    if (!status.ok()) break;
  }
  if (status.ok() && ::fsync(out) != 0) status = errno_status("fsync of an archive");
  ::close(out);
  if (status.ok() && ::rename(tmp.c_str(), final_path.c_str()) != 0) status = errno_status("renaming an archive");
  if (status.ok()) status = fsync_directory(options_.archive_dir);
  if (!status.ok()) {
    std::error_code ec;
    fs::remove(tmp, ec);
    return status;
  }
  auto archived = std::make_shared<Segment>();
  archived->id = segment->id;
  archived->archived = true;
  archived->path = final_path;
  archived->fd = ::open(final_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (archived->fd < 0) return errno_status("opening " + final_path.string());
  {
    // Index it under the lock: block labels resolve to existing stream ids.
    std::unique_lock lock(index_mu_);
    MAAS_RETURN_IF_ERROR(index_segment(*archived, false));
    for (auto& s : segments_) {
      if (s == segment) s = archived;
    }
  }
  std::error_code ec;
  fs::remove(segment->path, ec);
  return {};
}

void SegmentStore::drop_segment(const std::shared_ptr<Segment>& segment) {
  {
    std::unique_lock lock(index_mu_);
    std::erase(segments_, segment);
  }
  std::error_code ec;
  fs::remove(segment->path, ec);
}

Result<RetentionReport> SegmentStore::enforce_retention(int64_t now_ns) {
  std::lock_guard retention_lock(retention_mu_);
  RetentionReport report;
  const int64_t now_ms = now_ns / 1'000'000;
  std::vector<std::shared_ptr<Segment>> live, archived;
  uint64_t live_bytes = 0;
  {
    std::lock_guard write_lock(write_mu_);
    bool has_blocks;
    {
      std::shared_lock lock(index_mu_);
      has_blocks = active_ && !active_->blocks.empty();
    }
    if (has_blocks && now_ms - active_->opened_ms >= options_.segment_max_age_ms) MAAS_RETURN_IF_ERROR(roll_locked());
    std::shared_lock lock(index_mu_);
    for (const auto& s : segments_) {
      if (s->archived) {
        archived.push_back(s);
      } else if (s != active_) {
        live.push_back(s);
        live_bytes += s->bytes;
      }
    }
    if (active_) live_bytes += active_->bytes;
  }
  const int64_t age_cutoff = options_.retention_ms > 0 ? now_ns - options_.retention_ms * 1'000'000 : INT64_MIN;
  for (const auto& s : live) {  // oldest first
    bool too_old = s->blocks.empty() || s->max_ts < age_cutoff;
    bool too_big = options_.retention_bytes > 0 && live_bytes > options_.retention_bytes;
    if (!too_old && !too_big) continue;
    live_bytes -= s->bytes;
    if (options_.archive && !s->blocks.empty()) {
      MAAS_RETURN_IF_ERROR(archive_segment(s));
      ++report.archived_segments;
    } else {
      drop_segment(s);
      ++report.deleted_segments;
    }
  }
  if (options_.archive_retention_ms > 0) {
    const int64_t cutoff = now_ns - options_.archive_retention_ms * 1'000'000;
    for (const auto& s : archived) {
      if (s->max_ts < cutoff) {
        drop_segment(s);
        ++report.deleted_segments;
      }
    }
  }
  return report;
}

}  // namespace maas::logs
