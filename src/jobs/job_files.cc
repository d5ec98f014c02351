#include "jobs/job_files.h"

#include "common/files.h"

namespace maas::jobs {
namespace fs = std::filesystem;

fs::path JobFiles::scratch_dir(std::string_view id) const { return dir(id) / "scratch"; }

std::string JobFiles::checkpoint_ref(std::string_view id) const { return std::string(id) + "/checkpoint"; }

Status JobFiles::write_checkpoint(std::string_view id, std::string_view bytes) const {
  MAAS_RETURN_IF_ERROR(ensure_directory(dir(id)));
  return write_file_atomic(root_ / checkpoint_ref(id), bytes, 0600);
}

Result<std::optional<std::string>> JobFiles::read_checkpoint(std::string_view id, uint64_t max_bytes) const {
  fs::path path = root_ / checkpoint_ref(id);
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::optional<std::string>();
  MAAS_ASSIGN_OR_RETURN(std::string bytes, read_file(path, static_cast<size_t>(max_bytes)));
  return std::optional<std::string>(std::move(bytes));
}

Result<fs::path> JobFiles::reset_scratch(std::string_view id) const {
  fs::path scratch = scratch_dir(id);
  std::error_code ec;
  fs::remove_all(scratch, ec);
  MAAS_RETURN_IF_ERROR(ensure_directory(scratch));
  return scratch;
}

void JobFiles::remove(std::string_view id) const {
  std::error_code ec;
  fs::remove_all(dir(id), ec);
}

}  // namespace maas::jobs
