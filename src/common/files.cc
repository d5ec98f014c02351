#include "common/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/random.h"

namespace maas {
namespace {

Status errno_status(const std::string& what, const std::filesystem::path& path) {
  return internal_error(what + " " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

Status fsync_directory(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno_status("cannot open directory", dir);
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return errno_status("cannot fsync directory", dir);
  return {};
}

Status write_file_atomic(const std::filesystem::path& path, std::string_view data, int mode) {
  auto tmp = path;
  tmp += ".tmp-" + random_hex(8);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return errno_status("cannot create", tmp);
  size_t written = 0;
  while (written < data.size()) {
    ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status s = errno_status("cannot write", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return s;
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Status s = errno_status("cannot fsync", tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return s;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Status s = errno_status("cannot rename into", path);
    ::unlink(tmp.c_str());
    return s;
  }
  return fsync_directory(path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path());
}

Result<std::string> read_file(const std::filesystem::path& path, size_t max_bytes) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return not_found("cannot read " + path.string() + ": " + ec.message());
  if (size > max_bytes) {
    return payload_too_large(path.string() + " is " + std::to_string(size) + " bytes; the limit is " +
                             std::to_string(max_bytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("cannot open " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status ensure_directory(const std::filesystem::path& dir) {
  std::filesystem::path partial;
  for (const auto& part : dir) {
    partial /= part;
    if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) return errno_status("cannot create directory", partial);
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return internal_error("cannot create directory " + dir.string() + ": a file is in the way");
  return {};
}

Result<size_t> restrict_to_owner(const std::filesystem::path& root) {
  size_t changed = 0;
  auto restrict_one = [&changed](const std::filesystem::path& path) -> Status {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return errno == ENOENT ? Status() : errno_status("cannot stat", path);
    if (S_ISLNK(st.st_mode) || (st.st_mode & 077) == 0) return {};
    if (::chmod(path.c_str(), st.st_mode & 07700) != 0) return errno_status("cannot change the mode of", path);
    ++changed;
    return {};
  };
  MAAS_RETURN_IF_ERROR(restrict_one(root));
  std::error_code ec;
  std::filesystem::recursive_directory_iterator it(root, std::filesystem::directory_options::none, ec), end;
  for (; !ec && it != end; it.increment(ec)) MAAS_RETURN_IF_ERROR(restrict_one(it->path()));
  if (ec) return internal_error("cannot walk " + root.string() + ": " + ec.message());
  return changed;
}

Result<ScopedDirectory> ScopedDirectory::create(std::filesystem::path path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return internal_error("cannot create " + path.string() + ": " + ec.message());
  return ScopedDirectory(std::move(path));
}

ScopedDirectory::~ScopedDirectory() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace maas
