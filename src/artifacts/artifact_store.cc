#include "artifacts/artifact_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "artifacts/blob_layout.h"
#include "common/files.h"
#include "common/random.h"

namespace maas::artifacts {
namespace fs = std::filesystem;
namespace {

constexpr const char* kTempPrefix = "upload-";

Status errno_error(const std::string& what) { return internal_error(what + ": " + std::strerror(errno)); }

}  // namespace

Upload::~Upload() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) {
    std::error_code ec;
    fs::remove(temp_path_, ec);
  }
}

Status Upload::write(const void* data, size_t size) {
  if (fd_ < 0) return failed_precondition("upload already finished");
  if (bytes_ + size > max_bytes_) {
    return payload_too_large("the artifact is larger than the limit of " + std::to_string(max_bytes_) +
                             " bytes (limits.max_artifact_bytes)");
  }
  const char* p = static_cast<const char*>(data);
  size_t left = size;
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ENOSPC) return unavailable("the artifact store's disk is full");
      return errno_error("cannot write " + temp_path_.string());
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  hasher_.update(data, size);
  bytes_ += size;
  return {};
}

Result<std::string> Upload::finish() {
  if (fd_ < 0) return digest_;
  if (::fsync(fd_) != 0) return errno_error("cannot fsync " + temp_path_.string());
  ::fchmod(fd_, 0400);  // read-only, and the owner's alone
  ::close(fd_);
  fd_ = -1;
  digest_ = hasher_.hex_digest();
  return digest_;
}

Result<std::string> Upload::adopt_written_file() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  int fd = ::open(temp_path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno_error("cannot open " + temp_path_.string());
  Sha256 hasher;
  std::vector<char> buffer(size_t{1} << 20);
  uint64_t bytes = 0;
  Status status;
  for (;;) {
    ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = errno_error("cannot read " + temp_path_.string());
      break;
    }
    if (n == 0) break;
    bytes += static_cast<uint64_t>(n);
    if (bytes > max_bytes_) {
      status = payload_too_large("the artifact is larger than the limit of " + std::to_string(max_bytes_) +
                                 " bytes (limits.max_artifact_bytes)");
      break;
    }
    hasher.update(buffer.data(), static_cast<size_t>(n));
  }
  // The bytes must be durable before the rename that publishes them under their digest.
  if (status.ok() && ::fsync(fd) != 0) status = errno_error("cannot fsync " + temp_path_.string());
  ::fchmod(fd, 0444);
  ::close(fd);
  MAAS_RETURN_IF_ERROR(status);
  bytes_ = bytes;
  digest_ = hasher.hex_digest();
  return digest_;
}

Result<bool> move_into_upload(const fs::path& file, const fs::path& temp_path) {
  if (::rename(file.c_str(), temp_path.c_str()) == 0) return true;
  if (errno != EXDEV) return errno_error("cannot move " + file.string() + " into the artifact store");
  std::error_code ec;
  fs::copy_file(file, temp_path, fs::copy_options::overwrite_existing, ec);
  if (ec) return internal_error("cannot copy " + file.string() + " into the artifact store: " + ec.message());
  fs::remove(file, ec);  // the copy is what counts now; a leftover goes with its directory
  return false;
}

Pin::~Pin() {
  if (store_ != nullptr) store_->unpin(digest_);
}

Result<std::unique_ptr<ArtifactStore>> ArtifactStore::open(const fs::path& root, uint64_t max_artifact_bytes) {
  MAAS_RETURN_IF_ERROR(ensure_directory(root / "blobs" / "sha256"));
  MAAS_RETURN_IF_ERROR(ensure_directory(root / "tmp"));
  // Temp files are uploads that a crash interrupted; no version refers to them.
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root / "tmp", ec)) fs::remove(entry.path(), ec);
  return std::unique_ptr<ArtifactStore>(new ArtifactStore(root, max_artifact_bytes));
}

Result<std::unique_ptr<Upload>> ArtifactStore::begin_upload() {
  fs::path path = root_ / "tmp" / (std::string(kTempPrefix) + random_hex(12));
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return errno_error("cannot create upload file " + path.string());
  return std::unique_ptr<Upload>(new Upload(path, fd, max_artifact_bytes_));
}

fs::path ArtifactStore::blob_path(const std::string& digest) const { return artifacts::blob_path(root_, digest); }

bool ArtifactStore::contains(const std::string& digest) const {
  std::error_code ec;
  return is_hex_digest(digest) && fs::exists(blob_path(digest), ec);
}

Pin ArtifactStore::pin(const std::string& digest) {
  std::lock_guard lock(mu_);
  pinned_.insert(digest);
  return Pin(this, digest);
}

void ArtifactStore::unpin(const std::string& digest) {
  std::lock_guard lock(mu_);
  auto it = pinned_.find(digest);
  if (it != pinned_.end()) pinned_.erase(it);
}

Result<Pin> ArtifactStore::commit(Upload& upload) {
  MAAS_ASSIGN_OR_RETURN(std::string digest, upload.finish());
  Pin guard = pin(digest);
  fs::path target = blob_path(digest);
  MAAS_RETURN_IF_ERROR(ensure_directory(target.parent_path()));
  std::error_code ec;
  auto existing = fs::file_size(target, ec);
  if (!ec && existing == upload.bytes_written()) {
    // Same content already stored: keep that copy; the temp file is removed with the upload.
    return guard;
  }
  if (::rename(upload.temp_path().c_str(), target.c_str()) != 0) return errno_error("cannot move the upload into place");
  upload.committed_ = true;
  MAAS_RETURN_IF_ERROR(fsync_directory(target.parent_path()));
  return guard;
}

Result<fs::path> ArtifactStore::open_verified(const std::string& digest) {
  if (!is_hex_digest(digest)) return invalid_argument("'" + digest + "' is not a SHA-256 hex digest");
  fs::path path = blob_path(digest);
  auto actual = sha256_file(path);
  if (!actual.ok()) return internal_error("artifact sha256:" + digest + " is missing from the store");
  if (*actual != digest) {
    return internal_error("artifact sha256:" + digest + " is corrupt on disk (its content hashes to sha256:" +
                          *actual + ")");
  }
  return path;
}

std::vector<std::pair<std::string, fs::path>> ArtifactStore::list_blobs() const {
  std::vector<std::pair<std::string, fs::path>> out;
  for (auto& blob : list_blob_files(root_)) out.emplace_back(std::move(blob.digest), std::move(blob.path));
  return out;
}

Result<GcReport> ArtifactStore::collect_garbage(const std::function<Result<std::set<std::string>>()>& referenced) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(std::set<std::string> keep, referenced());
  GcReport report;
  for (const auto& [digest, path] : list_blobs()) {
    if (keep.count(digest) != 0 || pinned_.count(digest) != 0) continue;
    std::error_code ec;
    uint64_t size = fs::file_size(path, ec);
    if (fs::remove(path, ec)) {
      report.removed_blobs++;
      report.removed_bytes += ec ? 0 : size;
    }
  }
  return report;
}

Result<StoreStats> ArtifactStore::stats() const {
  StoreStats s;
  std::error_code ec;
  for (const auto& [digest, path] : list_blobs()) {
    s.blobs++;
    s.bytes += fs::file_size(path, ec);
  }
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(root_ / "tmp", ec)) s.temp_files++;
  return s;
}

Result<VerifyReport> ArtifactStore::verify_all() {
  VerifyReport report;
  for (const auto& [digest, path] : list_blobs()) {
    report.checked++;
    auto actual = sha256_file(path);
    if (!actual.ok() || *actual != digest) report.corrupt.push_back(digest);
  }
  return report;
}

}  // namespace maas::artifacts
