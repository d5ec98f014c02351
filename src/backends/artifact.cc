// The pre-load check shared by the backends; see artifact.h.
#include "backends/artifact.h"

#include <string>
#include <system_error>

namespace maas::backends {

Result<formats::ArtifactInfo> inspect_before_load(std::string_view backend, const std::filesystem::path& artifact,
                                                  formats::Framework framework) {
  const std::string prefix = std::string(backend) + ": ";
  std::error_code error;
  if (!std::filesystem::is_regular_file(artifact, error)) {
    return not_found(prefix + "no model file at '" + artifact.string() + "'");
  }
  auto info = formats::inspect_artifact(artifact, framework);
  if (info.ok()) return info;
  const std::string& message = info.status().message();
  return Status(info.status().code(), message.rfind(prefix, 0) == 0 ? message : prefix + message);
}

}  // namespace maas::backends
