#include "data/sources/file_roots.h"

#include <glob.h>

#include <algorithm>
#include <system_error>

namespace maas::data::sources {
namespace {

bool inside(const std::filesystem::path& path, const std::filesystem::path& root) {
  auto [r, p] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return r == root.end();
}

bool inside_any(const std::filesystem::path& path, const FileRoots& roots) {
  return std::any_of(roots.begin(), roots.end(), [&](const auto& root) { return inside(path, root); });
}

// A root as it is on disk (symlinks resolved), so a resolved file compares with it.
FileRoots resolved_roots(const FileRoots& roots) {
  FileRoots out;
  for (const auto& root : roots) {
    std::error_code ec;
    auto real = std::filesystem::canonical(root, ec);
    out.push_back(ec ? root.lexically_normal() : real);
  }
  return out;
}

Result<std::filesystem::path> checked_real_path(const std::filesystem::path& path, const FileRoots& roots,
                                                const std::string& shown) {
  std::error_code ec;
  auto real = std::filesystem::canonical(path, ec);
  if (ec) return invalid_argument("'" + shown + "' does not exist or cannot be read");
  if (!inside_any(real, resolved_roots(roots))) {
    return invalid_argument("'" + shown + "' leads outside sources.file_roots (through a symlink)");
  }
  if (!std::filesystem::is_regular_file(real, ec)) return invalid_argument("'" + shown + "' is not a regular file");
  return real;
}

}  // namespace

Status check_under_roots(const std::string& pattern, const FileRoots& roots) {
  if (roots.empty()) {
    return invalid_argument("file sources are off: set sources.file_roots to the directories they may read");
  }
  if (pattern.empty() || pattern.front() != '/') return invalid_argument("'" + pattern + "' is not an absolute path");
  if (pattern.find('\0') != std::string::npos) return invalid_argument("a path must not contain a NUL byte");
  std::filesystem::path path(pattern);
  for (const auto& part : path) {
    if (part == "..") return invalid_argument("'" + pattern + "' must not contain '..'");
  }
  if (!inside_any(path.lexically_normal(), roots)) {
    return invalid_argument("'" + pattern + "' is not under any of sources.file_roots");
  }
  return {};
}

Result<std::vector<std::filesystem::path>> expand_files(const std::string& pattern, const FileRoots& roots) {
  MAAS_RETURN_IF_ERROR(check_under_roots(pattern, roots));
  glob_t matches{};
  int rc = ::glob(pattern.c_str(), GLOB_ERR | GLOB_NOSORT, nullptr, &matches);
  std::vector<std::filesystem::path> found;
  for (size_t i = 0; rc == 0 && i < matches.gl_pathc; ++i) found.emplace_back(matches.gl_pathv[i]);
  ::globfree(&matches);
  if (rc == GLOB_NOMATCH || (rc == 0 && found.empty())) return invalid_argument("'" + pattern + "' matches no file");
  if (rc != 0) return invalid_argument("'" + pattern + "' cannot be read as a glob");
  std::vector<std::filesystem::path> files;
  for (const auto& path : found) {
    MAAS_ASSIGN_OR_RETURN(auto real, checked_real_path(path, roots, path.string()));
    files.push_back(std::move(real));
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

Result<std::filesystem::path> resolve_file(const std::string& path, const FileRoots& roots) {
  MAAS_RETURN_IF_ERROR(check_under_roots(path, roots));
  return checked_real_path(path, roots, path);
}

}  // namespace maas::data::sources
