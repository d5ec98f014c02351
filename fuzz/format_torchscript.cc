// TorchScript archives: the zip reader (directory, entries, stored and deflated data) and what is read from the
// archive, as an upload with framework=torchscript inspects them.
#include "inspect.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return maas::fuzz::inspect(data, size, maas::formats::Framework::kTorchscript);
}
