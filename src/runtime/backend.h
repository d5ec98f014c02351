// The tensor backend boundary: everything a framework needs to do, and nothing else. A backend loads one artifact,
// describes its inputs and outputs, executes a batch, and unloads in its destructor. Queueing, batching,
// isolation, metrics and health live outside, once (see runtime/ and worker/). A backend is built as a plugin
// (backends/plugin.h) that maas-worker loads for the one model it serves; generative (streaming) backends have
// their own boundary, llm/generative_backend.h.
//
// Ownership and threading: a Backend is owned by one worker process and called from one thread at a time;
// execute() may use `BackendConfig::threads` threads internally. Input tensors are borrowed for the call;
// outputs are owned by the caller.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "runtime/tensor.h"

namespace maas::runtime {

struct BackendConfig {
  int threads = 1;  // intra-op threads
  std::map<std::string, std::string> parameters;  // backend-specific, from the deployment's config
};

struct ExecuteRequest {
  // Batched along dimension 0 when the signature is batchable.
  std::vector<Tensor> inputs;
  // Names of the outputs wanted; empty means all.
  std::vector<std::string> outputs;
  // Request parameters that change what is computed, e.g. xgboost's {"output": "margin"}. Requests are only
  // batched together when these are equal.
  std::map<std::string, std::string> parameters;
};

class Backend {
 public:
  virtual ~Backend() = default;  // unloads

  // Loads the artifact. INVALID_ARGUMENT when the file is not a model this backend can run (for example an
  // ONNX graph with an operator it does not implement: the message names the operator).
  virtual Status load(const std::filesystem::path& artifact, const BackendConfig& config) = 0;
  virtual const ModelSignature& signature() const = 0;
  // Runs one batch. INVALID_ARGUMENT for inputs that do not fit the signature, with a message naming the input.
  virtual Result<std::vector<Tensor>> execute(const ExecuteRequest& request) = 0;
};

}  // namespace maas::runtime
