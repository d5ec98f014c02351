#include "data/datasets/jsonl_scan.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <simdjson.h>

#include "common/utf8.h"

namespace maas::data {
namespace {

constexpr size_t kBlockBytes = size_t{1} << 20;
constexpr size_t kMaxKeptText = size_t{64} << 10;

// A file descriptor that closes itself.
class File {
 public:
  explicit File(int fd) : fd_(fd) {}
  ~File() {
    if (fd_ >= 0) ::close(fd_);
  }
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

Status write_all(int fd, const char* data, size_t size, const std::filesystem::path& path) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return internal_error("cannot write " + path.string() + ": " + std::strerror(errno));
    data += n;
    size -= static_cast<size_t>(n);
  }
  return {};
}

bool is_blank(const std::vector<char>& line, size_t size) {
  for (size_t i = 0; i < size; ++i) {
    char c = line[i];
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

}  // namespace

Result<JsonlScan> scan_jsonl(const std::filesystem::path& input, uint64_t max_line_bytes,
                             const std::function<Status(const RejectedLine&)>& on_reject,
                             const std::optional<std::filesystem::path>& clean_copy) {
  File in(::open(input.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return invalid_argument("cannot open " + input.string() + ": " + std::strerror(errno));
  std::optional<File> out;
  if (clean_copy) {
    out.emplace(::open(clean_copy->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (out->get() < 0) return internal_error("cannot create " + clean_copy->string() + ": " + std::strerror(errno));
  }

  simdjson::dom::parser parser;
  JsonlScan scan;
  std::vector<char> block(kBlockBytes);
  // The current line, with simdjson's padding after it.
  std::vector<char> line;
  size_t line_size = 0;
  bool too_long = false;
  int64_t line_number = 0;

  auto finish_line = [&]() -> Status {
    ++line_number;
    size_t size = line_size;
    line_size = 0;
    bool was_too_long = too_long;
    too_long = false;
    if (!was_too_long && is_blank(line, size)) return {};
    ++scan.lines;
    RejectedLine reject;
    if (was_too_long) {
      reject.reason = "the line is longer than max_line_bytes (" + std::to_string(max_line_bytes) + ")";
    } else {
      if (line.size() < size + simdjson::SIMDJSON_PADDING) line.resize(size + simdjson::SIMDJSON_PADDING);
      auto document = parser.parse(line.data(), size, false);
      if (document.error() != simdjson::SUCCESS) {
        reject.reason = std::string("not valid JSON: ") + simdjson::error_message(document.error());
      } else if (document.value().type() != simdjson::dom::element_type::OBJECT) {
        reject.reason = "not a JSON object (each line must be one {...} record)";
      }
    }
    if (reject.reason.empty()) {
      if (out) {
        MAAS_RETURN_IF_ERROR(write_all(out->get(), line.data(), size, *clean_copy));
        MAAS_RETURN_IF_ERROR(write_all(out->get(), "\n", 1, *clean_copy));
      }
      return {};
    }
    ++scan.rejected;
    reject.line = line_number;
    // Kept as text in a VARCHAR column, which takes only valid UTF-8.
    reject.text = to_valid_utf8(std::string_view(line.data(), std::min(size, kMaxKeptText)));
    return on_reject(reject);
  };

  for (;;) {
    ssize_t n = ::read(in.get(), block.data(), block.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return invalid_argument("cannot read " + input.string() + ": " + std::strerror(errno));
    if (n == 0) break;
    const char* p = block.data();
    const char* end = p + n;
    while (p < end) {
      const char* newline = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
      const char* stop = newline != nullptr ? newline : end;
      size_t piece = static_cast<size_t>(stop - p);
      if (!too_long) {
        if (line_size + piece > max_line_bytes) {
          too_long = true;
          // Keep the start of the line for the reject record, not the whole of it.
          piece = std::min(piece, kMaxKeptText > line_size ? kMaxKeptText - line_size : 0);
        }
        if (piece > 0) {  // an empty line may come before the buffer has any storage
          if (line.size() < line_size + piece) line.resize(line_size + piece);
          std::memcpy(line.data() + line_size, p, piece);
          line_size += piece;
        }
      }
      p = stop;
      if (newline != nullptr) {
        MAAS_RETURN_IF_ERROR(finish_line());
        ++p;
      }
    }
  }
  if (line_size > 0 || too_long) MAAS_RETURN_IF_ERROR(finish_line());
  return scan;
}

}  // namespace maas::data
