#include "runtime/deployment_config.h"

namespace maas::runtime {
Status check_config_fields(const nlohmann::json& j, std::initializer_list<const char*> known) {
  for (const auto& [key, value] : j.items()) {
    bool found = false;
    for (const char* k : known) found = found || key == k;
    if (!found) return invalid_argument("unknown config field '" + key + "'");
  }
  return {};
}

Result<DeploymentConfig> parse_deployment_config(const nlohmann::json& j) {
  DeploymentConfig c;
  if (j.is_null()) return c;
  if (!j.is_object()) return invalid_argument("config must be a JSON object");
  MAAS_RETURN_IF_ERROR(check_config_fields(j, {"instances", "threads", "memory_limit_bytes", "max_batch_size",
                                               "max_queue_delay_us", "preferred_batch_sizes", "max_queue_size",
                                               "default_timeout_ms", "execution_timeout_ms", "load_timeout_ms",
                                               "warmup", "circuit_breaker"}));
  MAAS_RETURN_IF_ERROR(read_config_int(j, "instances", &c.instances, 1, 64));
  MAAS_RETURN_IF_ERROR(read_config_int(j, "threads", &c.threads, 1, 256));
  MAAS_RETURN_IF_ERROR(read_config_int(j, "memory_limit_bytes", &c.memory_limit_bytes, 0, INT64_MAX));
  MAAS_RETURN_IF_ERROR(read_config_int(j, "max_batch_size", &c.max_batch_size, 0, 65536));
  MAAS_RETURN_IF_ERROR(read_config_int(j, "max_queue_delay_us", &c.max_queue_delay_us, 0, 10'000'000));
  MAAS_RETURN_IF_ERROR(read_config_int(j, "max_queue_size", &c.max_queue_size, 1, 1'000'000));
  MAAS_RETURN_IF_ERROR(read_config_int(j, "default_timeout_ms", &c.default_timeout_ms, 1, 3'600'000));
  MAAS_RETURN_IF_ERROR(read_config_int(j, "execution_timeout_ms", &c.execution_timeout_ms, 1, 3'600'000));
  MAAS_RETURN_IF_ERROR(read_config_int(j, "load_timeout_ms", &c.load_timeout_ms, 1, 3'600'000));
  if (auto it = j.find("preferred_batch_sizes"); it != j.end()) {
    if (!it->is_array()) return invalid_argument("config.preferred_batch_sizes must be an array of integers");
    for (const auto& v : *it) {
      if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > c.max_batch_size) {
        return invalid_argument("config.preferred_batch_sizes entries must be integers between 1 and max_batch_size");
      }
      c.preferred_batch_sizes.push_back(v.get<int>());
    }
  }
  if (auto it = j.find("warmup"); it != j.end()) {
    if (!it->is_boolean()) return invalid_argument("config.warmup must be true or false");
    c.warmup = it->get<bool>();
  }
  if (auto it = j.find("circuit_breaker"); it != j.end()) {
    if (!it->is_object()) return invalid_argument("config.circuit_breaker must be a JSON object");
    auto& b = c.circuit_breaker;
    MAAS_RETURN_IF_ERROR(check_config_fields(*it, {"consecutive_failures", "base_ejection_ms", "max_ejection_ms",
                                                   "max_ejection_percent", "half_open_probes", "retry_budget_percent",
                                                   "min_retries", "failure_percentage_threshold",
                                                   "failure_percentage_request_volume", "interval_ms"}));
    MAAS_RETURN_IF_ERROR(read_config_int(*it, "consecutive_failures", &b.consecutive_failures, 0, 1'000'000));
    MAAS_RETURN_IF_ERROR(read_config_int(*it, "base_ejection_ms", &b.base_ejection_ms, 1, 3'600'000));
    MAAS_RETURN_IF_ERROR(read_config_int(*it, "max_ejection_ms", &b.max_ejection_ms, 1, 86'400'000));
    MAAS_RETURN_IF_ERROR(read_config_int(*it, "max_ejection_percent", &b.max_ejection_percent, 0, 100));
    MAAS_RETURN_IF_ERROR(read_config_int(*it, "half_open_probes", &b.half_open_probes, 1, 1'000'000));
    MAAS_RETURN_IF_ERROR(read_config_int(*it, "retry_budget_percent", &b.retry_budget_percent, 0, 100));
    MAAS_RETURN_IF_ERROR(read_config_int(*it, "min_retries", &b.min_retries, 0, 1'000'000));
    MAAS_RETURN_IF_ERROR(read_config_int(*it, "failure_percentage_threshold", &b.failure_percentage_threshold, 0, 100));
    MAAS_RETURN_IF_ERROR(read_config_int(*it, "failure_percentage_request_volume",
                                         &b.failure_percentage_request_volume, 1, 1'000'000));
    MAAS_RETURN_IF_ERROR(read_config_int(*it, "interval_ms", &b.interval_ms, 100, 3'600'000));
    if (b.max_ejection_ms < b.base_ejection_ms) {
      return invalid_argument("config.circuit_breaker.max_ejection_ms must be at least base_ejection_ms");
    }
  }
  return c;
}

nlohmann::json deployment_config_json(const DeploymentConfig& c) {
  return {{"instances", c.instances},
          {"threads", c.threads},
          {"memory_limit_bytes", c.memory_limit_bytes},
          {"max_batch_size", c.max_batch_size},
          {"max_queue_delay_us", c.max_queue_delay_us},
          {"preferred_batch_sizes", c.preferred_batch_sizes},
          {"max_queue_size", c.max_queue_size},
          {"default_timeout_ms", c.default_timeout_ms},
          {"execution_timeout_ms", c.execution_timeout_ms},
          {"load_timeout_ms", c.load_timeout_ms},
          {"warmup", c.warmup},
          {"circuit_breaker",
           {{"consecutive_failures", c.circuit_breaker.consecutive_failures},
            {"base_ejection_ms", c.circuit_breaker.base_ejection_ms},
            {"max_ejection_ms", c.circuit_breaker.max_ejection_ms},
            {"max_ejection_percent", c.circuit_breaker.max_ejection_percent},
            {"half_open_probes", c.circuit_breaker.half_open_probes},
            {"retry_budget_percent", c.circuit_breaker.retry_budget_percent},
            {"min_retries", c.circuit_breaker.min_retries},
            {"failure_percentage_threshold", c.circuit_breaker.failure_percentage_threshold},
            {"failure_percentage_request_volume", c.circuit_breaker.failure_percentage_request_volume},
            {"interval_ms", c.circuit_breaker.interval_ms}}}};
}

}  // namespace maas::runtime
