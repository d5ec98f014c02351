// An upload without framework=: the format detected from the file's head (maas-graph documents included), then
// inspected.
#include "inspect.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return maas::fuzz::inspect(data, size, std::nullopt);
}
