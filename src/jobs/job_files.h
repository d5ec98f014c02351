// A job's files under <data_dir>/jobs/<id>/: the last checkpoint (replaced atomically: temp file, fsync, rename)
// and the scratch directory of the running attempt. All of it goes when the job ends.
//
// Thread-safety: stateless besides the root; the calls block on disk (run them on a blocking pool).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace maas::jobs {

class JobFiles {
 public:
  explicit JobFiles(std::filesystem::path root) : root_(std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path scratch_dir(std::string_view id) const;
  // The checkpoint's location as the store records it: relative to the root.
  std::string checkpoint_ref(std::string_view id) const;

  Status write_checkpoint(std::string_view id, std::string_view bytes) const;
  // nullopt when the job has none.
  Result<std::optional<std::string>> read_checkpoint(std::string_view id, uint64_t max_bytes) const;
  // An empty scratch directory for a new attempt.
  Result<std::filesystem::path> reset_scratch(std::string_view id) const;
  // Everything of the job (after it ended).
  void remove(std::string_view id) const;

 private:
  std::filesystem::path dir(std::string_view id) const { return root_ / std::string(id); }

  std::filesystem::path root_;
};

}  // namespace maas::jobs
