// Triton's system shared memory extension: the POSIX shared memory regions clients registered by name, read for
// inputs and written for outputs in place of tensor bytes in the HTTP body (docs/SHARED_MEMORY.md).
//
// Thread-safety: every method may be called from any I/O thread. A region found for a request is held by that
// request (shared_ptr): unregistering it only removes the name, and its descriptor closes when the last request
// using it ends.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "runtime/tensor.h"

namespace maas::api {

struct SharedMemoryLimits {
  int64_t max_regions = 16;                // shared_memory.max_regions; 0: the extension is off
  uint64_t max_region_bytes = 1ull << 30;  // shared_memory.max_region_bytes
};

// One registered region: `byte_size` bytes from `offset` in the shm object `key`. Reads and writes go through the
// object's descriptor (pread/pwrite), never a mapping: a client that shrinks its object after registering gets a
// 400, where a mapping would take maasd down with SIGBUS.
class SharedMemoryRegion {
 public:
  SharedMemoryRegion(std::string name, std::string key, uint64_t offset, uint64_t byte_size, int fd)
      : name_(std::move(name)), key_(std::move(key)), offset_(offset), byte_size_(byte_size), fd_(fd) {}
  ~SharedMemoryRegion();
  SharedMemoryRegion(const SharedMemoryRegion&) = delete;
  SharedMemoryRegion& operator=(const SharedMemoryRegion&) = delete;

  const std::string& name() const { return name_; }
  const std::string& key() const { return key_; }
  uint64_t offset() const { return offset_; }
  uint64_t byte_size() const { return byte_size_; }

  // A copy of `size` bytes from `offset` within the region (a copy: the client may change the region while the
  // request runs, and what was checked must be what the model gets). INVALID_ARGUMENT when the range does not lie
  // within the region, or the object no longer holds it.
  Result<runtime::Buffer> read(uint64_t offset, uint64_t size) const;
  // Writes `bytes` at `offset` within the region; `capacity` is how many bytes the request set aside there.
  Status write(uint64_t offset, uint64_t capacity, std::span<const std::byte> bytes) const;
  // INVALID_ARGUMENT unless `size` bytes from `offset` lie within the region and its object still holds them.
  Status check_range(uint64_t offset, uint64_t size) const;

 private:
  std::string name_;
  std::string key_;
  uint64_t offset_;
  uint64_t byte_size_;
  int fd_;
};

struct SharedMemoryStatus {
  std::string name;
  std::string key;
  uint64_t offset = 0;
  uint64_t byte_size = 0;
};

class SharedMemoryRegions {
 public:
  explicit SharedMemoryRegions(SharedMemoryLimits limits) : limits_(limits) {}

  bool enabled() const { return limits_.max_regions > 0; }
  // shared_memory.max_region_bytes: also what one request's inputs may read from regions in all.
  uint64_t max_region_bytes() const { return limits_.max_region_bytes; }
  // Opens `key` (a POSIX shm name: '/' then letters, digits, '.', '_' or '-') read/write and registers the range
  // as `name`. INVALID_ARGUMENT, saying why, for a bad name or key, a range past the object's end, a region over
  // shared_memory.max_region_bytes, a name already registered or shared_memory.max_regions reached.
  Status register_region(const std::string& name, const std::string& key, uint64_t offset, uint64_t byte_size);
  // Unregisters `name` (every region when nullopt). INVALID_ARGUMENT for a name not registered.
  Status unregister(const std::optional<std::string>& name);
  // Every region, or `name`'s alone (INVALID_ARGUMENT when not registered).
  Result<std::vector<SharedMemoryStatus>> status(const std::optional<std::string>& name) const;
  // The region a request names; INVALID_ARGUMENT when it is not registered.
  Result<std::shared_ptr<const SharedMemoryRegion>> find(const std::string& name) const;

 private:
  SharedMemoryLimits limits_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const SharedMemoryRegion>> regions_;
};

// A region name as a URL segment may carry it: 1 to 128 letters, digits, '.', '_' or '-'.
Status check_region_name(const std::string& name);

}  // namespace maas::api
