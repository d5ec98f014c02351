#include "data/prep/prep_job.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "data/engine/database.h"
#include "data/prep/clean.h"
#include "data/prep/drift.h"
#include "data/prep/split.h"

namespace maas::data::prep {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Result<const json*> object_param(const json& params, const char* key) {
  auto it = params.find(key);
  if (it == params.end() || !it->is_object()) return invalid_argument(std::string("params.") + key + " is missing");
  return &*it;
}

Result<fs::path> input_file(const json& input) {
  auto it = input.find("file");
  if (it == input.end() || !it->is_string()) return invalid_argument("params.input.file is missing");
  return fs::path(it->get<std::string>());
}

std::string version_name(const json& input) {
  auto it = input.find("dataset");
  const std::string dataset = it != input.end() && it->is_string() ? it->get<std::string>() : "?";
  return "'" + dataset + "' version " + (input.contains("version") ? input["version"].dump() : std::string("?"));
}

// A database for one job: it reads `inputs`, writes and spills under the job's scratch directory only.
struct JobDatabase {
  std::unique_ptr<engine::Database> database;
  std::optional<engine::Connection> connection;
};

Result<JobDatabase> open_database(jobs::JobContext& job, const std::vector<fs::path>& inputs) {
  const fs::path& scratch = job.scratch_dir();
  std::error_code ec;
  fs::create_directories(scratch / "spill", ec);
  if (ec) return internal_error("cannot create " + (scratch / "spill").string() + ": " + ec.message());
  engine::EngineOptions options;
  if (auto m = job.params().find("memory_limit_bytes"); m != job.params().end() && m->is_number_unsigned()) {
    options.memory_limit_bytes = m->get<uint64_t>();
  }
  options.threads = std::max(1, job.cpu_slots());
  options.temp_directory = scratch / "spill";
  options.file_access = engine::FileAccess{inputs, {scratch}};
  JobDatabase out;
  MAAS_ASSIGN_OR_RETURN(out.database, engine::Database::open(options));
  MAAS_ASSIGN_OR_RETURN(engine::Connection connection, out.database->connect());
  out.connection.emplace(std::move(connection));
  return out;
}

// Interrupts the connection's running query once the job is cancelled, polling every 50 ms while it lives.
class InterruptOnCancel {
 public:
  InterruptOnCancel(jobs::JobContext& job, engine::Connection& connection)
      : thread_([this, &job, &connection] {
          while (!done_.load()) {
            if (job.cancelled()) {
              connection.interrupt();
              return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
          }
        }) {}
  ~InterruptOnCancel() {
    done_.store(true);
    thread_.join();
  }
  InterruptOnCancel(const InterruptOnCancel&) = delete;
  InterruptOnCancel& operator=(const InterruptOnCancel&) = delete;

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;
};

// A step's failure, or "cancelled" when the job was (the interrupted query's error says less).
Status unless_cancelled(jobs::JobContext& job, Status status) {
  if (!status.ok() && job.cancelled()) return unavailable("cancelled");
  return status;
}

ImportTarget scratch_target(jobs::JobContext& job) {
  const fs::path& scratch = job.scratch_dir();
  return {scratch / "rows.parquet", scratch / "rejects.parquet", scratch / "scratch.jsonl"};
}

}  // namespace

Status run_clean_job(jobs::JobContext& job) {
  const json& params = job.params();
  MAAS_ASSIGN_OR_RETURN(const json* input, object_param(params, "input"));
  MAAS_ASSIGN_OR_RETURN(const json* recipe_json, object_param(params, "recipe"));
  MAAS_ASSIGN_OR_RETURN(Recipe recipe, recipe_from_json(*recipe_json));
  MAAS_ASSIGN_OR_RETURN(fs::path file, input_file(*input));
  job.log(jobs::LogLevel::kInfo,
          "cleaning " + version_name(*input) + ": " + std::to_string(recipe.steps.size()) + " steps");
  MAAS_ASSIGN_OR_RETURN(JobDatabase db, open_database(job, {file}));
  const ImportTarget target = scratch_target(job);
  // Steps done of total: loading the input, each step, writing the result.
  const double total = static_cast<double>(recipe.steps.size() + 2);
  job.progress(0, "loading the input", {{"steps_done", 0}, {"steps_total", total}});
  CleanResult cleaned;
  {
    InterruptOnCancel guard(job, *db.connection);
    auto on_step = [&](size_t done, const json& step) {
      const std::string what = done == 0 ? std::string("input loaded")
                                         : "step " + std::to_string(done) + " (" + step.value("step", "") + ") done";
      if (done > 0) job.log(jobs::LogLevel::kInfo, what + ": " + step.dump());
      job.progress(static_cast<double>(done + 1) / total, what,
                   {{"steps_done", static_cast<double>(done + 1)}, {"steps_total", total}});
    };
    auto result = clean_snapshot(*db.connection, file, recipe, target, on_step);
    MAAS_RETURN_IF_ERROR(unless_cancelled(job, result.status()));
    cleaned = std::move(*result);
  }
  job.log(jobs::LogLevel::kInfo, std::to_string(cleaned.table.rows) + " rows written, " +
                                     std::to_string(cleaned.table.rejected_rows) + " rejected");
  job.progress(1.0, std::to_string(cleaned.table.rows) + " rows",
               {{"steps_done", total}, {"steps_total", total}, {"rows", static_cast<double>(cleaned.table.rows)}});
  job.set_result({{"rows", cleaned.table.rows},
                  {"rejected_rows", cleaned.table.rejected_rows},
                  {"file", target.snapshot.string()},
                  {"rejects_file", cleaned.table.wrote_rejects ? json(target.rejects.string()) : json(nullptr)},
                  {"steps", cleaned.steps}});
  return {};
}

Status run_split_job(jobs::JobContext& job) {
  const json& params = job.params();
  MAAS_ASSIGN_OR_RETURN(const json* input, object_param(params, "input"));
  MAAS_ASSIGN_OR_RETURN(const json* spec_json, object_param(params, "spec"));
  MAAS_ASSIGN_OR_RETURN(SplitSpec spec, split_spec_from_json(*spec_json));
  MAAS_ASSIGN_OR_RETURN(fs::path file, input_file(*input));
  job.log(jobs::LogLevel::kInfo, "splitting " + version_name(*input) + ": " + spec_json->dump());
  MAAS_ASSIGN_OR_RETURN(JobDatabase db, open_database(job, {file}));
  const ImportTarget target = scratch_target(job);
  job.progress(0, "splitting", {{"steps_done", 0}, {"steps_total", 1}});
  SplitResult split;
  {
    InterruptOnCancel guard(job, *db.connection);
    auto result = split_snapshot(*db.connection, file, spec, target);
    MAAS_RETURN_IF_ERROR(unless_cancelled(job, result.status()));
    split = std::move(*result);
  }
  job.log(jobs::LogLevel::kInfo, std::to_string(split.table.rows) + " rows split: " + split.counts.dump());
  job.progress(1.0, std::to_string(split.table.rows) + " rows split",
               {{"steps_done", 1}, {"steps_total", 1}, {"rows", static_cast<double>(split.table.rows)}});
  job.set_result({{"rows", split.table.rows}, {"counts", split.counts}, {"file", target.snapshot.string()}});
  return {};
}

Status run_drift_job(jobs::JobContext& job) {
  const json& params = job.params();
  MAAS_ASSIGN_OR_RETURN(const json* a, object_param(params, "a"));
  MAAS_ASSIGN_OR_RETURN(const json* b, object_param(params, "b"));
  MAAS_ASSIGN_OR_RETURN(fs::path file_a, input_file(*a));
  MAAS_ASSIGN_OR_RETURN(fs::path file_b, input_file(*b));
  job.log(jobs::LogLevel::kInfo, "drift of " + version_name(*a) + " against " + version_name(*b));
  job.progress(0, "comparing", {{"steps_done", 0}, {"steps_total", 1}});
  MAAS_ASSIGN_OR_RETURN(JobDatabase db, open_database(job, {file_a, file_b}));
  json answer;
  {
    InterruptOnCancel guard(job, *db.connection);
    auto result = drift_of_versions(*db.connection, params, file_a.string(), file_b.string());
    MAAS_RETURN_IF_ERROR(unless_cancelled(job, result.status()));
    answer = std::move(*result);
  }
  job.log(jobs::LogLevel::kInfo,
          std::to_string(answer["columns"].size()) + " columns compared, max PSI " + answer["max_psi"].dump());
  job.progress(1.0, "compared", {{"steps_done", 1}, {"steps_total", 1}});
  job.set_result(std::move(answer));
  return {};
}

}  // namespace maas::data::prep
