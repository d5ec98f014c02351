// Triton's system shared memory extension over HTTP: register, status and unregister of the regions that infer
// requests name (api/shared_memory_regions.h, docs/SHARED_MEMORY.md).
#include <optional>

#include "api/json_io.h"
#include "api/v2_routes.h"

namespace maas::api {
namespace {
using http::Request;
using http::Response;
using nlohmann::json;
using Awaitable = boost::asio::awaitable<Response>;

// A byte count of the register body: a non-negative integer.
Result<uint64_t> byte_count(const json& body, const char* field, bool required) {
  const json* value = find_field(body, field);
  if (value == nullptr) {
    if (required) return invalid_argument(std::string("the register request has no '") + field + "'");
    return uint64_t{0};
  }
  if (!value->is_number_unsigned()) return invalid_argument(std::string("'") + field + "' must be a byte count");
  return value->get<uint64_t>();
}

Result<std::optional<std::string>> region_param(const Request& req) {
  auto it = req.path_params.find("name");
  if (it == req.path_params.end()) return std::optional<std::string>();
  const std::string& name = it->second;
  MAAS_RETURN_IF_ERROR(check_region_name(name));
  return std::optional<std::string>(name);
}

Status register_region(SharedMemoryRegions& regions, const Request& req) {
  MAAS_ASSIGN_OR_RETURN(auto name, region_param(req));
  MAAS_ASSIGN_OR_RETURN(json body, parse_json_object(req, {"key", "offset", "byte_size"}));
  MAAS_ASSIGN_OR_RETURN(std::optional<std::string> key, optional_string(body, "key", 256));
  if (!key) return invalid_argument("the register request has no 'key'");
  MAAS_ASSIGN_OR_RETURN(uint64_t offset, byte_count(body, "offset", false));
  MAAS_ASSIGN_OR_RETURN(uint64_t byte_size, byte_count(body, "byte_size", true));
  return regions.register_region(name.value_or(""), *key, offset, byte_size);
}

Result<json> region_status(const SharedMemoryRegions& regions, const Request& req) {
  MAAS_ASSIGN_OR_RETURN(auto name, region_param(req));
  MAAS_ASSIGN_OR_RETURN(auto found, regions.status(name));
  json out = json::array();
  for (const auto& region : found) {
    out.push_back(
        {{"name", region.name}, {"key", region.key}, {"offset", region.offset}, {"byte_size", region.byte_size}});
  }
  return out;
}

Status unregister_region(SharedMemoryRegions& regions, const Request& req) {
  MAAS_ASSIGN_OR_RETURN(auto name, region_param(req));
  return regions.unregister(name);
}

Response answer(const Status& status) { return status.ok() ? Response::json(200, json::object()) : v2_error(status); }

}  // namespace

void add_shared_memory_routes(http::Router& router, const std::shared_ptr<V2Context>& c) {
  const std::string base = "/v2/systemsharedmemory";
  auto status = [c](Request& req) -> Awaitable {
    auto found = region_status(*c->shared_memory, req);
    co_return found.ok() ? Response::json(200, *found) : v2_error(found.status());
  };
  router.add("GET", base + "/status", status, http::BodyMode::kBuffered, http::Access::kRead);
  router.add("GET", base + "/region/{name}/status", status, http::BodyMode::kBuffered, http::Access::kRead);
  // Registering makes maasd open a memory object of the client's choosing: a deployer's act, as loading a model is.
  router.add(
      "POST", base + "/region/{name}/register",
      [c](Request& req) -> Awaitable { co_return answer(register_region(*c->shared_memory, req)); },
      http::BodyMode::kBuffered, http::Access::kDeploy);
  auto unregister = [c](Request& req) -> Awaitable { co_return answer(unregister_region(*c->shared_memory, req)); };
  router.add("POST", base + "/unregister", unregister, http::BodyMode::kBuffered, http::Access::kDeploy);
  router.add("POST", base + "/region/{name}/unregister", unregister, http::BodyMode::kBuffered, http::Access::kDeploy);
}

}  // namespace maas::api
