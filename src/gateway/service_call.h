// A request through a service, with the service's rules: who may call it, its body limit, its concurrency limit,
// the buckets and quotas (Gateway::admit), the choice of route (split, stickiness, override, canary), the fallback
// version when the chosen one fails, and the shadow copy. The protocol (parsing and encoding tensors) is the
// caller's: it hands in how to prepare a call for a version's runner and gets back outputs or a refusal.
// Runs on the request's strand; the shadow copy is spawned onto the same executor and outlives the call.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/status.h"
#include "gateway/gateway.h"
#include "gateway/service.h"
#include "http/request.h"
#include "runtime/model_manager.h"
#include "runtime/model_runner.h"

namespace maas::gateway {

// What a runner executes for one request: the protocol's parsed call.
struct Invocation {
  runtime::ExecuteRequest execute;
  int priority = 5;
  std::chrono::steady_clock::time_point deadline;
};

// Parses the request against the chosen version's signature; an error is the client's (400), not the version's.
using PrepareInvocation = std::function<Result<Invocation>(const runtime::ModelRunner&)>;

struct ServiceOutcome {
  // Not ok: the call failed or was refused; `rejection` then names the gateway's reason (a label of
  // maas_gateway_rejections_total) when the gateway refused it, and `limit` the bucket that did.
  Status status;
  std::string rejection;
  std::optional<LimitDecision> limit;
  std::vector<runtime::Tensor> outputs;
  std::string model;             // the version that answered (or was chosen), for labels and headers
  std::string version;
  std::string fallback_reason;  // non-empty: the chosen version failed with this, and the fallback answered
};

boost::asio::awaitable<ServiceOutcome> call_service(Gateway& gateway, runtime::ModelManager& models,
                                                    std::shared_ptr<const ServiceSnapshot> svc,
                                                    const http::Request& req, const PrepareInvocation& prepare);

}  // namespace maas::gateway
