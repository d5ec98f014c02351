// A step that may rewrite an Open Inference Protocol request's inputs before they are checked against the model
// version's signature and sent to its worker — the online feature store (features/online) puts a version's
// windowed features there. maasd's inference component takes one from the services; with none, inputs pass as sent.
//
// Thread-safety: called from any I/O thread, concurrently; an implementation is thread-safe and outlives the routes.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "protocol/kserve_v2.h"
#include "runtime/tensor.h"

namespace maas::api {

class InferInputHook {
 public:
  virtual ~InferInputHook() = default;
  // Rewrites `request` for `model` version `version`, whose signature is `signature`. An error is the client's:
  // the request is answered with it and goes no further.
  virtual Status before_infer(const std::string& model, int64_t version, const runtime::ModelSignature& signature,
                              protocol::InferRequest& request) = 0;
};

}  // namespace maas::api
