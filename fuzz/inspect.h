// The model-format targets' one step: the input as an uploaded artifact's file, inspected as `framework` (as an
// upload with framework= is), or detected from its head when nullopt. Header-only.
#pragma once

#include <optional>

#include "formats/format.h"
#include "fuzz_input.h"

namespace maas::fuzz {

inline int inspect(const uint8_t* data, size_t size, std::optional<formats::Framework> framework) {
  MemoryFile file(data, size);
  if (!file.ok()) return 0;
  auto info = framework ? formats::inspect_artifact(file.path(), *framework) : formats::inspect_artifact(file.path());
  if (info.ok()) (void)formats::signature_json(info.value()).dump();
  return 0;
}

}  // namespace maas::fuzz
