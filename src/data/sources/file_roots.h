// Where file, sqlite and tail sources may read: under the directories of sources.file_roots only. A path is
// checked as written (absolute, no `..`) and again once symlinks are resolved, so a link cannot lead out. Pure
// functions over the filesystem; thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"

namespace maas::data::sources {

using FileRoots = std::vector<std::filesystem::path>;

// INVALID_ARGUMENT unless `pattern` is an absolute path or glob without `..` under one of `roots` (none
// configured: file sources are off). Checks the text only; the files need not exist yet.
Status check_under_roots(const std::string& pattern, const FileRoots& roots);

// The regular files `pattern` (a path or a glob: * ? [...]) names now, each resolved through its symlinks and
// re-checked against `roots`, sorted. INVALID_ARGUMENT when it matches nothing or leaves the roots.
Result<std::vector<std::filesystem::path>> expand_files(const std::string& pattern, const FileRoots& roots);

// One file (a database, a tailed file), resolved and re-checked as above; NOT_FOUND-free: INVALID_ARGUMENT when
// it does not exist.
Result<std::filesystem::path> resolve_file(const std::string& path, const FileRoots& roots);

}  // namespace maas::data::sources
