#include "api/graph_infer.h"

#include "api/infer_call.h"
#include "api/v2_context.h"

namespace maas::api {

boost::asio::awaitable<http::Response> infer_graph(http::Request& req, std::shared_ptr<graph::GraphModel> graph,
                                                   std::chrono::steady_clock::time_point started,
                                                   uint64_t max_tensor_elements, const SharedMemoryRegions* regions) {
  CallTarget target{graph->model(), graph->version(), graph->shared_signature(), max_tensor_elements,
                    /*names_only=*/true};
  auto call = prepare_call(req, target, started, nullptr, regions);
  if (!call.ok()) co_return v2_error(call.status());
  auto& parameters = call->request.parameters;
  auto trace_param = parameters.find("trace");
  const bool trace = trace_param != parameters.end() && trace_param->second == "true";
  if (trace_param != parameters.end() && !trace && trace_param->second != "false") {
    co_return v2_error(invalid_argument("parameter 'trace' must be true or false"));
  }
  graph::RunOptions options;
  options.priority = call->invocation.priority;
  options.deadline = call->invocation.deadline;
  options.request_id = call->request.id;
  auto ran = std::make_shared<graph::Trace>();
  auto outputs = co_await graph->infer(std::move(call->invocation.execute.inputs), options, ran);
  req.log_fields.graph_steps = ran->versions();
  if (!outputs.ok()) co_return v2_error(outputs.status());
  const std::string version = std::to_string(graph->version());
  nlohmann::json response_parameters;
  if (trace) response_parameters = {{"trace", ran->json()}};
  auto response =
      encode_outputs(graph->model(), version, *call, std::move(*outputs), trace ? &response_parameters : nullptr);
  if (!response.ok()) co_return v2_error(response.status());
  // The graph itself is never queued nor batched (its steps are, as their own versions): zero parts, maasd's total.
  add_server_timing(*response, runtime::RequestTiming{}, started);
  co_return std::move(*response);
}

}  // namespace maas::api
