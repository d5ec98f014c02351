// GGUF files (header, metadata key-values, tensor infos), as an upload with framework=gguf inspects them.
#include "inspect.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return maas::fuzz::inspect(data, size, maas::formats::Framework::kGguf);
}
