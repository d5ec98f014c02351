// Durable file operations: atomic replace (temp file, fsync, rename, fsync of the directory).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.h"

namespace maas {

// Writes `data` to `path` so that after a crash the file holds either the old or the new content, never a mix.
Status write_file_atomic(const std::filesystem::path& path, std::string_view data, int mode = 0600);
// fsyncs a directory so that a rename or unlink inside it is durable.
Status fsync_directory(const std::filesystem::path& dir);
Result<std::string> read_file(const std::filesystem::path& path, size_t max_bytes);
// Creates the directory and its missing parents, each mode 0700 (only the owner may enter or list them).
Status ensure_directory(const std::filesystem::path& dir);
// Takes the group's and others' permissions off `root` and everything under it (symbolic links are neither
// followed nor changed): what maasd keeps — keys' hashes, models, logs — is its owner's alone. Returns how many
// entries it changed.
Result<size_t> restrict_to_owner(const std::filesystem::path& root);

// A directory made for one piece of work and removed, with what is in it, when this goes out of scope.
class ScopedDirectory {
 public:
  static Result<ScopedDirectory> create(std::filesystem::path path);
  ~ScopedDirectory();
  ScopedDirectory(ScopedDirectory&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  ScopedDirectory& operator=(ScopedDirectory&&) = delete;
  ScopedDirectory(const ScopedDirectory&) = delete;
  ScopedDirectory& operator=(const ScopedDirectory&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  explicit ScopedDirectory(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

}  // namespace maas
