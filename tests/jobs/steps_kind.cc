// A job kind for the tests: `steps` steps of `step_ms` each, with progress, a checkpoint and a log line per step;
// before step `pause_at` it waits for the file `gate` to exist. It resumes from its checkpoint and stops when
// cancelled. On success maasd appends the job's id to the file `record` (its on_succeeded hook).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "jobs/plugin.h"

namespace {
using maas::Status;
using nlohmann::json;

maas::Result<json> validate(const json& params) {
  json out = {{"steps", 10}, {"step_ms", 0}, {"pause_at", -1}, {"gate", ""}, {"record", ""}};
  for (const auto& [key, value] : params.items()) {
    if (!out.contains(key)) return maas::invalid_argument("test.steps has no parameter '" + key + "'");
    if (value.type() != out[key].type() && !(value.is_number_integer() && out[key].is_number_integer())) {
      return maas::invalid_argument("test.steps: '" + key + "' has the wrong type");
    }
    out[key] = value;
  }
  if (out["steps"].get<int>() < 1) return maas::invalid_argument("test.steps: 'steps' must be at least 1");
  return out;
}

Status run_steps(maas::jobs::JobContext& job) {
  const int steps = job.params()["steps"].get<int>();
  const int pause_at = job.params()["pause_at"].get<int>();
  const std::string gate = job.params()["gate"].get<std::string>();
  const int start = job.checkpoint() ? std::stoi(*job.checkpoint()) : 0;
  job.log(maas::jobs::LogLevel::kInfo, "attempt " + std::to_string(job.attempt()) + " starts at step " + std::to_string(start));
  for (int step = start; step < steps; ++step) {
    while (step == pause_at && !std::filesystem::exists(gate) && !job.cancelled()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (job.cancelled()) return maas::unavailable("cancelled at step " + std::to_string(step));
    std::this_thread::sleep_for(std::chrono::milliseconds(job.params()["step_ms"].get<int>()));
    if (Status s = job.save_checkpoint(std::to_string(step + 1)); !s.ok()) return s;
    job.progress((step + 1.0) / steps, "step " + std::to_string(step + 1), {{"step", step + 1}});
    job.log(maas::jobs::LogLevel::kInfo, "step " + std::to_string(step + 1) + " done");
  }
  std::cerr << "all " << steps << " steps done" << std::endl;  // reaches the job's log through stderr
  job.set_result({{"steps", steps}, {"resumed_from", start}, {"attempt", job.attempt()}});
  return {};
}

}  // namespace

MAAS_JOBS_PLUGIN(registrar) {
  maas::jobs::JobKind kind;
  kind.name = "test.steps";
  kind.description = "steps with progress, checkpoints and logs (tests)";
  kind.validate = validate;
  kind.retry.max_attempts = 2;
  kind.on_succeeded = [](const maas::jobs::SucceededJob& job) {
    if (std::string record = job.params["record"].get<std::string>(); !record.empty()) {
      std::ofstream(record, std::ios::app) << job.id << "\n";
    }
    return Status();
  };
  registrar.add_kind(std::move(kind));
  registrar.add_executor("test.steps", run_steps);
}
