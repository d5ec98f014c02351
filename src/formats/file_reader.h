// A buffered, bounds-checked reader over one file: the only way the inspectors touch artifact bytes, so that no
// length field in a malformed artifact can make them read past the end of the file.
#pragma once

#include <bit>
#include <cstdint>
#include <filesystem>
#include <string>
#include <type_traits>
#include <vector>

#include "common/status.h"

namespace maas::formats {

// Reads a file through a fixed 64 KiB buffer; seeking inside the buffer is free. Every read is checked against the
// file's size, and a short file is an INVALID_ARGUMENT that says how many bytes were needed where. Callers bound
// what they allocate themselves (read_string takes the count they have already checked). Move-only; owns its file
// descriptor; not thread-safe.
class FileReader {
 public:
  // NOT_FOUND when `path` cannot be opened; INVALID_ARGUMENT when it is not a regular file.
  static Result<FileReader> open(const std::filesystem::path& path);

  FileReader(FileReader&& other) noexcept;
  FileReader& operator=(FileReader&& other) noexcept;
  FileReader(const FileReader&) = delete;
  FileReader& operator=(const FileReader&) = delete;
  ~FileReader();

  uint64_t size() const { return size_; }
  uint64_t position() const { return position_; }
  uint64_t remaining() const { return size_ - position_; }

  // OK when at least `count` bytes remain after position(); otherwise the error a short read reports.
  Status check_remaining(uint64_t count) const;
  // Moves to `offset`, which may equal size() (the end) but not exceed it.
  Status seek(uint64_t offset);
  Status skip(uint64_t count);
  // Reads exactly `count` bytes, or fails without moving when fewer remain.
  Status read(void* out, size_t count);
  Result<std::string> read_string(uint64_t count);

  // Little-endian fixed-width values, as every format here stores them.
  template <typename T>
  Result<T> read_le() {
    static_assert(std::is_arithmetic_v<T>);
    using Unsigned = std::conditional_t<
        sizeof(T) == 8, uint64_t,
        std::conditional_t<sizeof(T) == 4, uint32_t, std::conditional_t<sizeof(T) == 2, uint16_t, uint8_t>>>;
    unsigned char bytes[sizeof(T)];
    MAAS_RETURN_IF_ERROR(read(bytes, sizeof(T)));
    Unsigned value = 0;
    for (size_t i = sizeof(T); i-- > 0;) value = static_cast<Unsigned>((value << 8) | bytes[i]);
    return std::bit_cast<T>(value);
  }

 private:
  FileReader(int fd, uint64_t size);
  // Makes the buffer hold the bytes starting at `offset`.
  Status fill(uint64_t offset);

  static constexpr size_t kBufferBytes = size_t{64} << 10;

  int fd_ = -1;
  uint64_t size_ = 0;
  uint64_t position_ = 0;
  std::vector<char> buffer_;
  uint64_t buffer_offset_ = 0;
  size_t buffer_length_ = 0;
};

// The first `count` bytes of `path`, or the whole file when it is shorter.
Result<std::string> read_head(const std::filesystem::path& path, size_t count);

}  // namespace maas::formats
