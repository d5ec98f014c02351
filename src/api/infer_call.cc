#include "api/infer_call.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>

namespace maas::api {
namespace {
constexpr int kDefaultPriority = 5;  // 1 (first) .. 10 (last)

// The runner priority of a request that does not set its own: the API key's priority (-100 shed first .. 100 shed
// last, 0 by default) mapped onto Triton's 1 (first) .. 10 (last), so key 0 lands on the default 5.
int priority_of_key(const http::Principal* principal) {
  if (!principal) return kDefaultPriority;
  int p = std::clamp(principal->priority, -100, 100);
  return std::clamp(kDefaultPriority - p / 20, 1, 10);
}

Result<int64_t> int_parameter(const std::map<std::string, std::string>& params, const char* name, int64_t fallback,
                              int64_t min, int64_t max) {
  auto it = params.find(name);
  if (it == params.end()) return fallback;
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
  if (ec != std::errc() || ptr != it->second.data() + it->second.size() || value < min || value > max) {
    return invalid_argument(std::string("parameter '") + name + "' must be an integer from " + std::to_string(min) +
                            " to " + std::to_string(max));
  }
  return value;
}

Result<std::shared_ptr<const SharedMemoryRegion>> find_region(const SharedMemoryRegions* regions,
                                                              const std::string& name) {
  if (regions == nullptr || !regions->enabled()) {
    return invalid_argument("the system shared memory extension is off (shared_memory.max_regions is 0)");
  }
  return regions->find(name);
}

// `status` with the tensor it concerns named first.
Status naming(const char* what, const std::string& name, const Status& status) {
  return Status(status.code(), std::string(what) + " '" + name + "': " + status.message());
}

// Reads the inputs that name a region, and holds the regions of the outputs that do.
Status resolve_shared_memory(PreparedCall& call, const SharedMemoryRegions* regions) {
  protocol::InferRequest& request = call.request;
  // Bounded before the first read: each input's size matches its shape (the parser checked), but a request may
  // name many inputs, and what is read is held in memory.
  uint64_t total = 0;
  for (const auto& [name, ref] : request.shared_memory_inputs) {
    if (regions == nullptr) break;  // find_region says why
    // total stays within the bound, so the subtraction cannot wrap.
    if (ref.byte_size > regions->max_region_bytes() - total) {
      return invalid_argument("the inputs in shared memory add up to more than shared_memory.max_region_bytes (" +
                              std::to_string(regions->max_region_bytes()) + " bytes) in one request");
    }
    total += ref.byte_size;
  }
  for (auto& input : request.inputs) {
    auto ref = request.shared_memory_inputs.find(input.name);
    if (ref == request.shared_memory_inputs.end()) continue;
    MAAS_ASSIGN_OR_RETURN(auto region, find_region(regions, ref->second.region));
    auto bytes = region->read(ref->second.offset, ref->second.byte_size);
    if (!bytes.ok()) return naming("input", input.name, bytes.status());
    input.data = std::move(*bytes);
    MAAS_RETURN_IF_ERROR(protocol::check_shared_memory_input(input));
  }
  for (const auto& [name, ref] : request.shared_memory_outputs) {
    MAAS_ASSIGN_OR_RETURN(auto region, find_region(regions, ref.region));
    Status fits = region->check_range(ref.offset, ref.byte_size);
    if (!fits.ok()) return naming("output", name, fits);
    call.output_regions[name] = std::move(region);
  }
  return {};
}

// Writes the outputs asked for in shared memory to their regions.
Status write_shared_memory_outputs(const PreparedCall& call, const std::vector<runtime::Tensor>& outputs) {
  for (const auto& [name, ref] : call.request.shared_memory_outputs) {
    const runtime::Tensor* tensor = nullptr;
    for (const auto& output : outputs) {
      if (output.name == name) tensor = &output;
    }
    // A missing output is the encoder's INTERNAL error.
    if (tensor == nullptr) continue;
    Status written = call.output_regions.at(name)->write(ref.offset, ref.byte_size, tensor->data.span());
    if (!written.ok()) return naming("output", name, written);
  }
  return {};
}

}  // namespace

Result<PreparedCall> prepare_call(http::Request& req, const runtime::ModelRunner& runner,
                                  std::chrono::steady_clock::time_point started, InferInputHook* hook,
                                  const SharedMemoryRegions* regions) {
  return prepare_call(req,
                      CallTarget{runner.model(), runner.version(), runner.shared_signature(),
                                 runner.max_tensor_elements(), /*names_only=*/false},
                      started, hook, regions);
}

Result<PreparedCall> prepare_call(http::Request& req, const CallTarget& target,
                                  std::chrono::steady_clock::time_point started, InferInputHook* hook,
                                  const SharedMemoryRegions* regions) {
  std::optional<size_t> json_length;
  if (auto h = req.header("inference-header-content-length")) {
    size_t n = 0;
    auto [ptr, ec] = std::from_chars(h->data(), h->data() + h->size(), n);
    if (ec != std::errc() || ptr != h->data() + h->size()) {
      return invalid_argument("Inference-Header-Content-Length must be a byte count");
    }
    json_length = n;
  }
  auto body = runtime::Buffer::adopt(std::move(req.body));
  PreparedCall call;
  MAAS_ASSIGN_OR_RETURN(call.request, protocol::parse_infer_request(body, json_length, target.max_tensor_elements));
  MAAS_RETURN_IF_ERROR(resolve_shared_memory(call, regions));
  const auto& signature = target.signature;
  if (hook != nullptr) {
    MAAS_RETURN_IF_ERROR(hook->before_infer(target.model, target.version, *signature, call.request));
  }
  MAAS_RETURN_IF_ERROR(target.names_only ? protocol::check_input_names(call.request, *signature)
                                         : protocol::check_against_signature(call.request, *signature));
  MAAS_ASSIGN_OR_RETURN(int64_t priority, int_parameter(call.request.parameters, "priority",
                                                        priority_of_key(req.principal.get()), 1, 10));
  gateway::Invocation& run = call.invocation;
  run.priority = static_cast<int>(priority);
  // Triton's "timeout" request parameter, in microseconds.
  MAAS_ASSIGN_OR_RETURN(int64_t timeout_us, int_parameter(call.request.parameters, "timeout", 0, 0, 3'600'000'000));
  run.deadline = req.deadline;  // server.request_timeout_ms
  if (timeout_us > 0) run.deadline = std::min(run.deadline, started + std::chrono::microseconds(timeout_us));
  run.execute.inputs = call.request.inputs;
  for (const auto& o : call.request.outputs) run.execute.outputs.push_back(o.name);
  for (const auto& [k, v] : call.request.parameters) {
    if (k != "priority" && k != "timeout") run.execute.parameters[k] = v;
  }
  return call;
}

Result<http::Response> encode_outputs(const std::string& name, const std::string& version, const PreparedCall& call,
                                      std::vector<runtime::Tensor> outputs, const nlohmann::json* parameters) {
  protocol::InferResponse response{name, version, call.request.id, std::move(outputs), {}};
  if (parameters != nullptr) response.parameters_json = parameters->dump();
  // Encoded (and so checked) before anything is written to a client's region.
  MAAS_ASSIGN_OR_RETURN(auto encoded, protocol::encode_infer_response(response, call.request));
  MAAS_RETURN_IF_ERROR(write_shared_memory_outputs(call, response.outputs));
  http::Response r;
  r.status = 200;
  r.content_type = encoded.content_type;
  r.body = std::move(encoded.body);
  if (encoded.json_length) r.headers.emplace_back("Inference-Header-Content-Length", std::to_string(*encoded.json_length));
  r.headers.emplace_back("x-maas-model-version", version);
  return r;
}

void add_server_timing(http::Response& response, const runtime::RequestTiming& timing,
                       std::chrono::steady_clock::time_point started) {
  auto ms = [](std::chrono::steady_clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  char value[160];
  std::snprintf(value, sizeof value, "queue;dur=%.3f, batch;dur=%.3f, compute;dur=%.3f, total;dur=%.3f",
                ms(timing.queue()), ms(timing.batch()), ms(timing.compute()),
                ms(std::chrono::steady_clock::now() - started));
  response.headers.emplace_back("Server-Timing", value);
}

}  // namespace maas::api
