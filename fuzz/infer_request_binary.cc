// The infer request with Triton's binary tensor data extension: the first 2 bytes (little-endian) are the value of
// Inference-Header-Content-Length, the rest the body (that many bytes of JSON, then the binary tensors). A length
// past the body's end is left as it is: the parser must refuse it.
#include "fuzz_input.h"
#include "protocol/kserve_v2.h"
#include "runtime/tensor.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  size_t json_length = data[0] | (size_t{data[1]} << 8);
  auto body = maas::runtime::Buffer::copy_of(data + 2, size - 2);
  (void)maas::protocol::parse_infer_request(body, json_length, 1 << 20);
  return 0;
}
