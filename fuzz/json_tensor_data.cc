// JSON tensor data: an input's "data" checked against its datatype and shape. The first byte picks the datatype, the
// second the rank (0-3), the next `rank` bytes the dimensions (0-15; with the top bit, -1); the rest is the "data"
// value's text, placed in a request that is otherwise well-formed, so that every run reaches the tensor reader.
#include <string>

#include "fuzz_input.h"
#include "protocol/kserve_v2.h"
#include "runtime/tensor.h"

namespace {
constexpr const char* kTypes[] = {"BOOL",  "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16",
                                  "INT32", "INT64", "FP16",   "FP32",   "FP64",   "BYTES"};
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  size_t rank = data[1] % 4;
  if (size < 2 + rank) return 0;
  std::string shape;
  for (size_t i = 0; i < rank; ++i) {
    uint8_t dim = data[2 + i];
    if (i > 0) shape += ',';
    shape += (dim & 0x80) ? "-1" : std::to_string(dim % 16);
  }
  std::string body = R"({"inputs":[{"name":"x","datatype":")" + std::string(kTypes[data[0] % 13]) + R"(","shape":[)" +
                     shape + R"(],"data":)" + std::string(maas::fuzz::as_text(data + 2 + rank, size - 2 - rank)) +
                     "}]}";
  (void)maas::protocol::parse_infer_request(maas::runtime::Buffer::adopt(std::move(body)), std::nullopt, 1 << 16);
  return 0;
}
