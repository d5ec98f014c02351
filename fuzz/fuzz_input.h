// What the fuzz targets share: the input as text, as parsed JSON, and as a file (the inspectors and the YAML reader
// take a path). Header-only; each target is one process running one input at a time.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/json_parse.h"

namespace maas::fuzz {

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The input as JSON, read as maasd reads a body (depth bounded first); nullopt when it is not JSON, which the
// parser under test would never see.
inline std::optional<nlohmann::json> as_json(const uint8_t* data, size_t size) {
  auto parsed = parse_json(as_text(data, size));
  if (!parsed.ok()) return std::nullopt;
  return std::move(parsed).value();
}

// The input as a regular file in memory (memfd: no disk writes), named by /proc/self/fd/N while this lives.
class MemoryFile {
 public:
  MemoryFile(const uint8_t* data, size_t size) : fd_(memfd_create("fuzz-input", 0)) {
    size_t done = 0;
    while (fd_ >= 0 && done < size) {
      ssize_t n = ::write(fd_, data + done, size - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
  }
  ~MemoryFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  bool ok() const { return fd_ >= 0; }
  std::filesystem::path path() const { return "/proc/self/fd/" + std::to_string(fd_); }

 private:
  int fd_;
};

}  // namespace maas::fuzz
