#include "training/retrain/triggers.h"

#include "training/retrain/cron.h"

namespace maas::training::retrain {

using nlohmann::json;

namespace {

int64_t number_at(const json& state, const char* key) {
  auto it = state.find(key);
  return it != state.end() && it->is_number_integer() ? it->get<int64_t>() : -1;
}

}  // namespace

Result<bool> schedule_due(const std::string& cron, json& state, int64_t now_ms) {
  MAAS_ASSIGN_OR_RETURN(CronSchedule schedule, parse_cron(cron));
  const int64_t now_s = now_ms / 1000;
  const int64_t next_ms = number_at(state, "next_fire_ms");
  if (next_ms < 0) {
    MAAS_ASSIGN_OR_RETURN(int64_t next, next_fire(schedule, now_s));
    state["next_fire_ms"] = next * 1000;
    return false;
  }
  if (now_ms < next_ms) return false;
  MAAS_ASSIGN_OR_RETURN(int64_t next, next_fire(schedule, now_s));
  state["next_fire_ms"] = next * 1000;
  return true;
}

bool newer_than_seen(json& state, const char* key, int64_t seen) {
  if (seen <= number_at(state, key)) return false;
  state[key] = seen;
  return true;
}

std::optional<std::string> too_soon(const json& state, int64_t min_interval_seconds, int64_t now_ms) {
  const int64_t last = number_at(state, "last_run_at_ms");
  if (last < 0 || now_ms - last >= min_interval_seconds * 1000) return std::nullopt;
  return "the previous run began " + std::to_string((now_ms - last) / 1000) + " s ago, under the policy's " +
         "min_interval_seconds of " + std::to_string(min_interval_seconds);
}

}  // namespace maas::training::retrain
