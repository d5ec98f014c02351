// The artifact store: model files addressed by their SHA-256 under <data_dir>/blobs/sha256/ab/abcd..., written
// through a temp file that is hashed while streamed, fsynced and atomically renamed, so a crash never leaves a
// partial blob under a digest. Identical content is stored once.
//
// Thread-safety: all methods may be called concurrently. Garbage collection and commits synchronize through
// pins: a digest that is pinned (an upload between its rename and its metadata commit) is never collected.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "common/sha256.h"
#include "common/status.h"

namespace maas::artifacts {

class ArtifactStore;

// An upload in progress. Owned by one request; not thread-safe. Destroying it before commit deletes the temp file.
class Upload {
 public:
  ~Upload();
  Upload(const Upload&) = delete;
  Upload& operator=(const Upload&) = delete;

  // Appends bytes; PAYLOAD_TOO_LARGE once the store's size limit would be passed.
  Status write(const void* data, size_t size);
  uint64_t bytes_written() const { return bytes_; }
  const std::filesystem::path& temp_path() const { return temp_path_; }
  // Flushes and fsyncs the temp file and returns the hex digest. Call once, after the last write.
  Result<std::string> finish();
  // For a writer that writes temp_path() by name itself (DuckDB's COPY ... TO) instead of through write(): closes
  // this upload's descriptor, then fsyncs and hashes the file now at temp_path() (PAYLOAD_TOO_LARGE past the
  // limit) and returns the hex digest, like finish(). Call once the writer is done; commit() as usual after.
  Result<std::string> adopt_written_file();

 private:
  friend class ArtifactStore;
  Upload(std::filesystem::path temp_path, int fd, uint64_t max_bytes)
      : temp_path_(std::move(temp_path)), fd_(fd), max_bytes_(max_bytes) {}

  std::filesystem::path temp_path_;
  int fd_;
  uint64_t max_bytes_;
  uint64_t bytes_ = 0;
  Sha256 hasher_;
  std::string digest_;
  bool committed_ = false;
};

// Puts `file`, finished by another writer (a job's output under the data dir), at `temp_path`, an upload's temp file,
// in place of what is there, for that upload's adopt_written_file (fsync, hash) and commit (rename under the digest,
// fsync of the directory), as for any upload. On one filesystem a rename: no byte is copied and `file` is gone;
// across filesystems a copy, and then `file` is removed. Returns true when it was renamed.
Result<bool> move_into_upload(const std::filesystem::path& file, const std::filesystem::path& temp_path);

// Keeps a digest safe from garbage collection while alive.
class Pin {
 public:
  Pin(ArtifactStore* store, std::string digest) : store_(store), digest_(std::move(digest)) {}
  ~Pin();
  Pin(Pin&& o) noexcept : store_(o.store_), digest_(std::move(o.digest_)) { o.store_ = nullptr; }
  Pin(const Pin&) = delete;
  Pin& operator=(const Pin&) = delete;
  Pin& operator=(Pin&&) = delete;
  const std::string& digest() const { return digest_; }

 private:
  ArtifactStore* store_;
  std::string digest_;
};

struct StoreStats {
  uint64_t blobs = 0;
  uint64_t bytes = 0;
  uint64_t temp_files = 0;
};

struct GcReport {
  uint64_t removed_blobs = 0;
  uint64_t removed_bytes = 0;
};

struct VerifyReport {
  uint64_t checked = 0;
  std::vector<std::string> corrupt;
};

class ArtifactStore {
 public:
  // Creates the layout under `root` if needed and removes temp files left by a crash.
  static Result<std::unique_ptr<ArtifactStore>> open(const std::filesystem::path& root, uint64_t max_artifact_bytes);

  Result<std::unique_ptr<Upload>> begin_upload();
  // Moves a finished upload under its digest (keeping the existing copy when the content is already stored)
  // and returns a pin that protects it until the caller has recorded it in the metadata store.
  Result<Pin> commit(Upload& upload);
  Pin pin(const std::string& digest);

  // The blob's path after re-hashing it and checking the digest; INTERNAL when the bytes no longer match.
  Result<std::filesystem::path> open_verified(const std::string& digest);
  std::filesystem::path blob_path(const std::string& digest) const;
  bool contains(const std::string& digest) const;

  // Removes every blob that is neither in the set `referenced` returns nor pinned. `referenced` is called under
  // the pin lock, so no commit can slip between reading the references and deleting.
  Result<GcReport> collect_garbage(const std::function<Result<std::set<std::string>>()>& referenced);
  Result<StoreStats> stats() const;
  Result<VerifyReport> verify_all();
  uint64_t max_artifact_bytes() const { return max_artifact_bytes_; }

 private:
  friend class Pin;
  ArtifactStore(std::filesystem::path root, uint64_t max_bytes) : root_(std::move(root)), max_artifact_bytes_(max_bytes) {}
  void unpin(const std::string& digest);
  std::vector<std::pair<std::string, std::filesystem::path>> list_blobs() const;

  std::filesystem::path root_;
  uint64_t max_artifact_bytes_;
  std::mutex mu_;
  std::multiset<std::string> pinned_;  // guarded by mu_
};

}  // namespace maas::artifacts
