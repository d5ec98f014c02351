// Buffered, bounds-checked reads over a file descriptor (pread, so a seek is only a number).
#include "formats/file_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace maas::formats {

Result<FileReader> FileReader::open(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return not_found("cannot open " + path.string() + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    std::string error = std::strerror(errno);
    ::close(fd);
    return internal_error("cannot stat " + path.string() + ": " + error);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return invalid_argument(path.string() + " is not a regular file");
  }
  return FileReader(fd, static_cast<uint64_t>(st.st_size));
}

FileReader::FileReader(int fd, uint64_t size) : fd_(fd), size_(size), buffer_(kBufferBytes) {}

FileReader::FileReader(FileReader&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      size_(other.size_),
      position_(other.position_),
      buffer_(std::move(other.buffer_)),
      buffer_offset_(other.buffer_offset_),
      buffer_length_(std::exchange(other.buffer_length_, 0)) {}

FileReader& FileReader::operator=(FileReader&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    size_ = other.size_;
    position_ = other.position_;
    buffer_ = std::move(other.buffer_);
    buffer_offset_ = other.buffer_offset_;
    buffer_length_ = std::exchange(other.buffer_length_, 0);
  }
  return *this;
}

FileReader::~FileReader() {
  if (fd_ >= 0) ::close(fd_);
}

Status FileReader::seek(uint64_t offset) {
  if (offset > size_) {
    return invalid_argument("offset " + std::to_string(offset) + " is past the end of the file (" +
                            std::to_string(size_) + " bytes)");
  }
  position_ = offset;
  return {};
}

Status FileReader::check_remaining(uint64_t count) const {
  if (count <= remaining()) return {};
  return invalid_argument("unexpected end of file: " + std::to_string(count) + " bytes needed at byte " +
                          std::to_string(position_) + ", but the file has " + std::to_string(size_) + " bytes");
}

Status FileReader::skip(uint64_t count) {
  MAAS_RETURN_IF_ERROR(check_remaining(count));
  position_ += count;
  return {};
}

Status FileReader::fill(uint64_t offset) {
  buffer_offset_ = offset;
  buffer_length_ = 0;
  size_t want = static_cast<size_t>(std::min<uint64_t>(buffer_.size(), size_ - offset));
  while (buffer_length_ < want) {
    ssize_t n = ::pread(fd_, buffer_.data() + buffer_length_, want - buffer_length_,
                        static_cast<off_t>(offset + buffer_length_));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return internal_error(std::string("cannot read the file: ") + std::strerror(errno));
    // The file shrank under us; report it like any other short file.
    if (n == 0) break;
    buffer_length_ += static_cast<size_t>(n);
  }
  if (buffer_length_ < want) {
    return invalid_argument("the file shrank while it was being read (at byte " +
                            std::to_string(offset + buffer_length_) + ")");
  }
  return {};
}

Status FileReader::read(void* out, size_t count) {
  MAAS_RETURN_IF_ERROR(check_remaining(count));
  auto* dest = static_cast<char*>(out);
  while (count > 0) {
    bool in_buffer = position_ >= buffer_offset_ && position_ < buffer_offset_ + buffer_length_;
    if (!in_buffer) MAAS_RETURN_IF_ERROR(fill(position_));
    size_t start = static_cast<size_t>(position_ - buffer_offset_);
    size_t n = std::min(count, buffer_length_ - start);
    std::memcpy(dest, buffer_.data() + start, n);
    dest += n;
    count -= n;
    position_ += n;
  }
  return {};
}

Result<std::string> FileReader::read_string(uint64_t count) {
  MAAS_RETURN_IF_ERROR(check_remaining(count));
  std::string out(static_cast<size_t>(count), '\0');
  MAAS_RETURN_IF_ERROR(read(out.data(), out.size()));
  return out;
}

Result<std::string> read_head(const std::filesystem::path& path, size_t count) {
  MAAS_ASSIGN_OR_RETURN(auto reader, FileReader::open(path));
  return reader.read_string(std::min<uint64_t>(count, reader.size()));
}

}  // namespace maas::formats
