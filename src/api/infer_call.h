// One inference call in the Open Inference Protocol: the request parsed against a version's signature (JSON or
// Triton's binary tensors) with its priority and deadline, and the outputs encoded back. Internal to src/api.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/infer_input_hook.h"
#include "api/shared_memory_regions.h"
#include "gateway/service_call.h"
#include "http/request.h"
#include "protocol/kserve_v2.h"
#include "runtime/model_runner.h"

namespace maas::api {

struct PreparedCall {
  protocol::InferRequest request;        // what the client asked for (outputs, binary or JSON), for the encoding
  gateway::Invocation invocation;        // what the runner executes, at which priority, by when
  // The regions the requested outputs go to, by output name: held from the request's start, so that an
  // unregister meanwhile does not lose them.
  std::map<std::string, std::shared_ptr<const SharedMemoryRegion>> output_regions;
};

// What a request is prepared for: the version's name, number and signature, and the tensor bound.
struct CallTarget {
  const std::string& model;
  int64_t version;
  std::shared_ptr<const runtime::ModelSignature> signature;
  uint64_t max_tensor_elements;
  // Only the inputs' names are checked (a graph's steps check their own inputs, and a switch's untaken branch
  // needs none of its own).
  bool names_only = false;
};

// Takes the request's body (it is moved into the call's tensors). `started` is when the request arrived: Triton's
// "timeout" parameter counts from it.
// `hook` (may be null) rewrites the inputs before the signature check (infer_input_hook.h). `regions` (may be null:
// then no tensor may name one) are the shared memory regions inputs are read from and outputs will be written to.
Result<PreparedCall> prepare_call(http::Request& req, const CallTarget& target,
                                  std::chrono::steady_clock::time_point started, InferInputHook* hook,
                                  const SharedMemoryRegions* regions);
Result<PreparedCall> prepare_call(http::Request& req, const runtime::ModelRunner& runner,
                                  std::chrono::steady_clock::time_point started, InferInputHook* hook,
                                  const SharedMemoryRegions* regions);

// `parameters` (may be null): the response's parameters object. Outputs asked for in shared memory are written to
// their regions first.
Result<http::Response> encode_outputs(const std::string& name, const std::string& version, const PreparedCall& call,
                                      std::vector<runtime::Tensor> outputs, const nlohmann::json* parameters = nullptr);

// The W3C Server-Timing header of an answer: this request's queue, batch and compute time in the version and
// maasd's total since `started` (when the request arrived), in milliseconds. The parts never sum past the total.
void add_server_timing(http::Response& response, const runtime::RequestTiming& timing,
                       std::chrono::steady_clock::time_point started);

}  // namespace maas::api
