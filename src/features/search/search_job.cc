#include "features/search/search_job.h"

#include <string>
#include <vector>

#include "features/jobs/job_input.h"
#include "features/search/search.h"

namespace maas::features::search {

Status run_search_job(jobs::JobContext& job) {
  const nlohmann::json& params = job.params();
  MAAS_ASSIGN_OR_RETURN(SearchOptions options, parse_search_options(params));
  std::vector<std::string> columns;  // what validation found the search can read (every column when absent)
  if (params.contains("columns") && params["columns"].is_array()) {
    for (const auto& c : params["columns"]) {
      if (c.is_string()) columns.push_back(c.get<std::string>());
    }
  }
  MAAS_ASSIGN_OR_RETURN(JobInput in, read_job_input(job, {}, columns));
  SearchHooks hooks;
  hooks.progress = [&job](double fraction, const std::string& message) { job.progress(0.1 + 0.9 * fraction, message); };
  hooks.cancelled = [&job] { return job.cancelled(); };
  hooks.log = [&job](const std::string& line) { job.log(jobs::LogLevel::kInfo, line); };
  MAAS_ASSIGN_OR_RETURN(nlohmann::json report, run_search(in.table, options, job.cpu_slots(), hooks));
  report["dataset"] = params["input"]["dataset"];
  report["version"] = params["input"]["version"];
  job.set_result(std::move(report));
  return {};
}

}  // namespace maas::features::search
