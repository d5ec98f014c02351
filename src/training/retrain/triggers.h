// When a retraining policy's triggers fire, as pure functions over its trigger state (the JSON kept beside the
// policy) and an injected clock: the schedule's next fire time, a newer firing of an alert or a newer dataset
// version than last seen, and the minimum interval between runs.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/status.h"

namespace maas::training::retrain {

// Whether the cron schedule is due at `now_ms`. The first call only records the next fire time
// (state["next_fire_ms"]); a due schedule moves it to the next fire time after now (missed fires are not run
// twice). INVALID_ARGUMENT for a schedule that does not parse or never fires.
Result<bool> schedule_due(const std::string& cron, nlohmann::json& state, int64_t now_ms);

// Whether `seen` (an alert's firing time, a dataset version number) is newer than state[key]; records it when so.
bool newer_than_seen(nlohmann::json& state, const char* key, int64_t seen);

// Why a run may not start yet (the previous one began less than min_interval_seconds ago), or nothing.
std::optional<std::string> too_soon(const nlohmann::json& state, int64_t min_interval_seconds, int64_t now_ms);

}  // namespace maas::training::retrain
