// ONNX models (protobuf ModelProto: graph inputs, outputs, initializers), as an upload with framework=onnx inspects
// them.
#include "inspect.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return maas::fuzz::inspect(data, size, maas::formats::Framework::kOnnx);
}
