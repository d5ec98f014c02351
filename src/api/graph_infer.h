// The Open Inference Protocol's infer on a maas-graph version (graph/graph_model.h): the request parsed and its
// input names checked against the graph's derived signature, run through the graph, and answered with the root's
// outputs — with {"parameters": {"trace": ...}} when the request set parameters.trace to true. Internal to src/api.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>

#include "api/shared_memory_regions.h"
#include "graph/graph_model.h"
#include "http/request.h"

namespace maas::api {

// Records the steps that ran (model:version) in the request's log fields.
// `max_tensor_elements`: limits.max_tensor_elements. `regions` (may be null): the shared memory regions tensors may
// name.
boost::asio::awaitable<http::Response> infer_graph(http::Request& req, std::shared_ptr<graph::GraphModel> graph,
                                                   std::chrono::steady_clock::time_point started,
                                                   uint64_t max_tensor_elements, const SharedMemoryRegions* regions);

}  // namespace maas::api
