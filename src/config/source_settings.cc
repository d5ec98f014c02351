// The sources.* settings (src/data/sources/, docs/DATA.md).
#include "config/setting.h"

namespace maas::config {

std::vector<Setting> source_settings() {
  return {
      {{"sources.file_roots", "MAAS_SOURCES_FILE_ROOTS", "--sources-file-roots",
        "directories that file, sqlite and tail sources may read under (comma-separated absolute paths, or a YAML "
        "list); none: no such sources"},
       absolute_paths(&ServerConfig::sources_file_roots, "sources.file_roots")},
      {{"sources.push_max_body_bytes", "MAAS_SOURCES_PUSH_MAX_BODY_BYTES", "--sources-push-max-body-bytes",
        "largest body of POST /api/v1/sources/{name}/rows (e.g. 16MiB)"},
       size_bytes(&ServerConfig::sources_push_max_body_bytes, "sources.push_max_body_bytes")},
  };
}

}  // namespace maas::config
