// The Open Inference Protocol (KServe v2) over REST, with Triton's binary tensor data extension: requests in,
// responses out, model metadata, and the check of a request against a model's signature. A pure codec: no I/O.
//
// Thread-safety: every function is safe to call concurrently. Lifetime: a parsed request's binary inputs are
// slices of `body` (they share its owner), so they stay valid after the caller drops its own Buffer. Such a slice
// starts wherever the client put it in the body and may be unaligned: read elements with memcpy, or copy.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/element_count.h"
#include "common/status.h"
#include "runtime/tensor.h"

namespace maas::protocol {

// The header naming the length of the JSON part of a body that carries binary tensors.
inline constexpr std::string_view kInferenceHeaderContentLength = "Inference-Header-Content-Length";

// Triton's shared memory extension: where a tensor's bytes lie in a registered region ("shared_memory_region",
// "shared_memory_offset", "shared_memory_byte_size" among an input's or a requested output's parameters).
struct SharedMemoryRef {
  std::string region;
  uint64_t offset = 0;
  uint64_t byte_size = 0;
};

struct RequestedOutput {
  std::string name;
  std::optional<bool> binary_data;  // unset: follow InferRequest::binary_data_output
};

struct InferRequest {
  std::string id;
  // Top-level parameters as strings (a number keeps the client's text, a boolean is "true"/"false"), minus
  // binary_data_output.
  std::map<std::string, std::string> parameters;
  bool binary_data_output = false;
  std::vector<runtime::Tensor> inputs;
  // Inputs whose bytes are in shared memory, by name: their tensors' data is empty until the caller reads the
  // region (the codec does no I/O) and checks the bytes with check_shared_memory_input.
  std::map<std::string, SharedMemoryRef> shared_memory_inputs;
  std::vector<RequestedOutput> outputs;  // empty: all outputs
  // Requested outputs to be written to shared memory, by name: the caller writes them there, and the response
  // names the region instead of carrying the data.
  std::map<std::string, SharedMemoryRef> shared_memory_outputs;
};

// Parses a request. `body` is the whole HTTP body; `json_length` is the Inference-Header-Content-Length value
// when the header is present (the JSON is then the first json_length bytes and binary tensors follow).
// INVALID_ARGUMENT, naming the input and the problem, for anything malformed, and for an input whose shape
// claims more than `max_tensor_elements` (limits.max_tensor_elements; a 0 dimension counts as 1).
Result<InferRequest> parse_infer_request(const runtime::Buffer& body, std::optional<size_t> json_length,
                                         uint64_t max_tensor_elements = kDefaultMaxTensorElements);

// Checks the bytes read from shared memory for `input` against its datatype and shape, as a binary input's.
Status check_shared_memory_input(const runtime::Tensor& input);

struct InferResponse {
  std::string model_name;
  std::string model_version;  // empty: omitted
  std::string id;             // empty: omitted
  std::vector<runtime::Tensor> outputs;
  std::string parameters_json;  // a JSON object written as the response's "parameters"; empty: omitted
};

struct EncodedResponse {
  std::string body;
  std::optional<size_t> json_length;  // set when binary outputs follow the JSON: send it as the header above
  std::string content_type;           // application/json, or application/octet-stream with binary outputs
};

// Writes a response. Only the outputs the request asked for (all, in the response's order, when it asked for
// none) are written, in the order asked, each in binary when its binary_data (or else the request's
// binary_data_output) says so. An output asked for in shared memory carries no data: its parameters name the region
// and the bytes the caller wrote there (shared_memory_byte_size). INVALID_ARGUMENT when a JSON output holds what JSON
// cannot carry (NaN, infinity, BYTES that are not UTF-8: the message tells the client to ask for binary_data); INTERNAL
// when an asked-for output is missing or a tensor is inconsistent.
Result<EncodedResponse> encode_infer_response(const InferResponse& response, const InferRequest& request);

// Checks a parsed request against a model's signature: unknown or missing inputs, datatype, rank and dimension
// mismatches (-1 in the signature matches any size), unknown requested outputs. INVALID_ARGUMENT on the first.
Status check_against_signature(const InferRequest& request, const runtime::ModelSignature& signature);
// Its first check alone: every input of the request is one the signature names (a graph's infer: its steps check
// the rest).
Status check_input_names(const InferRequest& request, const runtime::ModelSignature& signature);

// The body of GET /v2/models/{m}[/versions/{v}]:
// {"name","versions":[...],"platform","inputs":[{"name","datatype","shape"}],"outputs":[...]}.
std::string model_metadata_json(const std::string& name, const std::vector<std::string>& versions,
                                const std::string& platform, const runtime::ModelSignature& signature);

}  // namespace maas::protocol
