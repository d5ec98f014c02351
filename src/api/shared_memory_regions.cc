#include "api/shared_memory_regions.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace maas::api {
namespace {

constexpr size_t kMaxRegionNameBytes = 128;
// NAME_MAX of /dev/shm, less the leading '/'.
constexpr size_t kMaxKeyBytes = 255;
// maasd's own shared memory objects start with this; a client may not register them.
constexpr std::string_view kReservedKeyPrefix = "/maas-";

bool is_name_char(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
         ch == '-';
}

bool only_name_chars(std::string_view text) {
  for (char ch : text) {
    if (!is_name_char(ch)) return false;
  }
  return true;
}

// A key names an object in /dev/shm and nothing else: no second '/', no "." or "..", nothing that is not a name
// character.
Status check_key(const std::string& key) {
  const std::string_view rest = std::string_view(key).substr(key.empty() ? 0 : 1);
  if (key.empty() || key[0] != '/' || rest.empty() || rest.size() > kMaxKeyBytes || !only_name_chars(rest) ||
      rest[0] == '.') {
    return invalid_argument("shared memory key must be '/' then 1 to " + std::to_string(kMaxKeyBytes) +
                            " letters, digits, '.', '_' or '-' (not starting with '.'), as shm_open takes it");
  }
  if (std::string_view(key).starts_with(kReservedKeyPrefix)) {
    return invalid_argument("shared memory keys starting with '" + std::string(kReservedKeyPrefix) +
                            "' are maasd's own");
  }
  return {};
}

Status errno_status(const std::string& what, int error) { return invalid_argument(what + ": " + std::strerror(error)); }

// Bytes the object behind `fd` holds now.
Result<uint64_t> object_size(int fd) {
  struct stat info {};
  if (::fstat(fd, &info) != 0) return errno_status("cannot stat the shared memory object", errno);
  return static_cast<uint64_t>(info.st_size);
}

}  // namespace

Status check_region_name(const std::string& name) {
  if (name.empty() || name.size() > kMaxRegionNameBytes || !only_name_chars(name)) {
    return invalid_argument("shared memory region name must be 1 to " + std::to_string(kMaxRegionNameBytes) +
                            " letters, digits, '.', '_' or '-'");
  }
  return {};
}

SharedMemoryRegion::~SharedMemoryRegion() { ::close(fd_); }

Status SharedMemoryRegion::check_range(uint64_t offset, uint64_t size) const {
  if (offset > byte_size_ || size > byte_size_ - offset) {
    return invalid_argument("shared memory region '" + name_ + "' holds " + std::to_string(byte_size_) +
                            " bytes; offset " + std::to_string(offset) + " and byte size " + std::to_string(size) +
                            " reach past its end");
  }
  MAAS_ASSIGN_OR_RETURN(uint64_t object_bytes, object_size(fd_));
  if (offset_ + offset + size > object_bytes) {
    return invalid_argument("shared memory region '" + name_ + "': its object '" + key_ + "' now holds only " +
                            std::to_string(object_bytes) + " bytes");
  }
  return {};
}

Result<runtime::Buffer> SharedMemoryRegion::read(uint64_t offset, uint64_t size) const {
  MAAS_RETURN_IF_ERROR(check_range(offset, size));
  std::vector<std::byte> bytes(size);
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::pread(fd_, bytes.data() + done, size - done, static_cast<off_t>(offset_ + offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_status("cannot read shared memory region '" + name_ + "'", errno);
    if (n == 0) return invalid_argument("shared memory region '" + name_ + "' was shrunk while it was read");
    done += static_cast<size_t>(n);
  }
  return runtime::Buffer::adopt(std::move(bytes));
}

Status SharedMemoryRegion::write(uint64_t offset, uint64_t capacity, std::span<const std::byte> bytes) const {
  if (bytes.size() > capacity) {
    return invalid_argument("it needs " + std::to_string(bytes.size()) + " bytes but its shared_memory_byte_size is " +
                            std::to_string(capacity));
  }
  MAAS_RETURN_IF_ERROR(check_range(offset, capacity));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::pwrite(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset_ + offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return errno_status("cannot write shared memory region '" + name_ + "'", n < 0 ? errno : ENOSPC);
    done += static_cast<size_t>(n);
  }
  return {};
}

Status SharedMemoryRegions::register_region(const std::string& name, const std::string& key, uint64_t offset,
                                            uint64_t byte_size) {
  if (!enabled()) {
    return invalid_argument("the system shared memory extension is off (shared_memory.max_regions is 0)");
  }
  MAAS_RETURN_IF_ERROR(check_region_name(name));
  MAAS_RETURN_IF_ERROR(check_key(key));
  if (byte_size == 0 || byte_size > limits_.max_region_bytes) {
    return invalid_argument("byte_size must be from 1 to " + std::to_string(limits_.max_region_bytes) +
                            " (shared_memory.max_region_bytes)");
  }
  {
    std::lock_guard lock(mutex_);
    if (regions_.contains(name)) return invalid_argument("shared memory region '" + name + "' is already registered");
  }
  // O_NOFOLLOW as glibc's shm_open sets it too; the key's charset already keeps it inside /dev/shm.
  const int fd = ::shm_open(key.c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0);
  if (fd < 0) return errno_status("cannot open shared memory key '" + key + "'", errno);
  auto region = std::make_shared<const SharedMemoryRegion>(name, key, offset, byte_size, fd);
  struct stat info {};
  if (::fstat(fd, &info) != 0) return errno_status("cannot stat shared memory key '" + key + "'", errno);
  if (!S_ISREG(info.st_mode)) return invalid_argument("shared memory key '" + key + "' is not a memory object");
  const auto object_bytes = static_cast<uint64_t>(info.st_size);
  if (offset > object_bytes || byte_size > object_bytes - offset) {
    return invalid_argument("shared memory key '" + key + "' holds " + std::to_string(object_bytes) +
                            " bytes; offset " + std::to_string(offset) + " and byte_size " + std::to_string(byte_size) +
                            " reach past its end");
  }
  std::lock_guard lock(mutex_);
  if (static_cast<int64_t>(regions_.size()) >= limits_.max_regions) {
    return invalid_argument("already " + std::to_string(regions_.size()) +
                            " shared memory regions registered, the most allowed (shared_memory.max_regions)");
  }
  if (!regions_.emplace(name, std::move(region)).second) {
    return invalid_argument("shared memory region '" + name + "' is already registered");
  }
  return {};
}

Status SharedMemoryRegions::unregister(const std::optional<std::string>& name) {
  std::lock_guard lock(mutex_);
  if (!name) {
    regions_.clear();
    return {};
  }
  if (regions_.erase(*name) == 0) {
    return invalid_argument("shared memory region '" + *name + "' is not registered");
  }
  return {};
}

Result<std::vector<SharedMemoryStatus>> SharedMemoryRegions::status(const std::optional<std::string>& name) const {
  std::vector<SharedMemoryStatus> out;
  if (name) {
    MAAS_ASSIGN_OR_RETURN(auto region, find(*name));
    out.push_back({region->name(), region->key(), region->offset(), region->byte_size()});
    return out;
  }
  std::lock_guard lock(mutex_);
  for (const auto& [_, region] : regions_) {
    out.push_back({region->name(), region->key(), region->offset(), region->byte_size()});
  }
  return out;
}

Result<std::shared_ptr<const SharedMemoryRegion>> SharedMemoryRegions::find(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = regions_.find(name);
  if (it == regions_.end()) return invalid_argument("shared memory region '" + name + "' is not registered");
  return it->second;
}

}  // namespace maas::api
