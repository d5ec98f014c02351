// The check every backend makes before handing a file to its framework: the file exists and is a well-formed
// model of that framework (formats/ reads it with bounded memory, so a corrupt or hostile file is rejected with a
// precise message before a framework's loader can misread a length field and allocate without limit).
#pragma once

#include <filesystem>
#include <string_view>

#include "common/status.h"
#include "formats/format.h"

namespace maas::backends {

// NOT_FOUND when there is no regular file at `artifact`; otherwise formats::inspect_artifact's verdict, its
// message starting with "<backend>: ".
Result<formats::ArtifactInfo> inspect_before_load(std::string_view backend, const std::filesystem::path& artifact,
                                                  formats::Framework framework);

}  // namespace maas::backends
