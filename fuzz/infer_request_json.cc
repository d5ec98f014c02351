// The infer request's JSON body (POST /v2/models/{m}/infer without Inference-Header-Content-Length): the whole input
// is the body.
#include "fuzz_input.h"
#include "protocol/kserve_v2.h"
#include "runtime/tensor.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto body = maas::runtime::Buffer::copy_of(data, size);
  (void)maas::protocol::parse_infer_request(body, std::nullopt, 1 << 20);
  return 0;
}
