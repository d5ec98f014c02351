#include "cli/job_output.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "cli/arguments.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "cli/table.h"

namespace maas::cli {
namespace {

using nlohmann::json;

constexpr size_t kBarWidth = 24;

const json& member(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

double number(const json& j, const char* key, double fallback = 0) {
  const json& v = member(j, key);
  return v.is_number() ? v.get<double>() : fallback;
}

std::string percent(const json& job) {
  const json& progress = member(job, "progress");
  if (!progress.is_object()) return "-";
  return fmt::format("{}%", static_cast<int>(std::floor(std::clamp(number(progress, "fraction"), 0.0, 1.0) * 100)));
}

std::string attempts(const json& job) {
  const json& max = member(job, "max_attempts");
  std::string of = max.is_number_integer() && max.get<int64_t>() > 0 ? "/" + max.dump() : "";
  return field_text(job, "attempts") + of;
}

std::string metrics_text(const json& metrics) {
  std::string out;
  if (!metrics.is_object()) return out;
  for (const auto& [name, value] : metrics.items()) {
    if (!value.is_number()) continue;
    out += (out.empty() ? "" : " ") + name + "=" + fmt::format("{:g}", value.get<double>());
  }
  return out;
}

}  // namespace

std::string render_jobs_table(const json& body) {
  Table table({"ID", "KIND", "STATE", "PRIORITY", "PROGRESS", "ATTEMPTS", "OWNER", "CREATED"});
  const json& list = member(body, "jobs").is_array() ? member(body, "jobs") : json::array({body});
  for (const auto& j : list) {
    table.add_row({field_text(j, "id"), field_text(j, "kind"), field_text(j, "state"), field_text(j, "priority"),
                   percent(j), attempts(j), field_text(j, "owner"), format_timestamp(field_text(j, "created_at"))});
  }
  return table.render();
}

std::string render_kinds_table(const json& body) {
  Table table({"NAME", "SLOTS", "MEMORY", "ATTEMPTS", "DESCRIPTION"});
  for (const auto& k : member(body, "kinds").is_array() ? member(body, "kinds") : json::array()) {
    const json& resources = member(k, "resources");
    double memory = number(resources, "memory_bytes");
    const json& max = member(k, "max_attempts");
    table.add_row({field_text(k, "name"), field_text(resources, "cpu_slots"),
                   memory > 0 ? format_size(static_cast<uint64_t>(memory)) : "-",
                   max.is_number() && max.get<int64_t>() == 0 ? "unlimited" : field_text(k, "max_attempts"),
                   field_text(k, "description")});
  }
  return table.render();
}

std::string render_job_details(const json& job) {
  const json& progress = member(job, "progress");
  std::string progress_text = percent(job);
  if (std::string message = field_text(progress, "message"); message != "-") progress_text += "  " + message;
  if (std::string metrics = metrics_text(member(progress, "metrics")); !metrics.empty()) progress_text += "  " + metrics;
  if (const json& eta = member(progress, "eta_seconds"); eta.is_number()) {
    progress_text += "  ETA " + format_duration(eta.get<double>());
  }
  std::vector<std::pair<std::string, std::string>> fields = {
      {"ID", field_text(job, "id")},
      {"KIND", field_text(job, "kind")},
      {"STATE", field_text(job, "state")},
      {"PROGRESS", progress_text},
      {"PRIORITY", field_text(job, "priority")},
      {"OWNER", field_text(job, "owner")},
      {"ATTEMPTS", attempts(job) + (number(job, "interruptions") > 0
                                        ? fmt::format(" (interrupted {}x)", number(job, "interruptions"))
                                        : "")},
      {"CREATED", format_timestamp(field_text(job, "created_at"))},
      {"STARTED", format_timestamp(field_text(job, "started_at"))},
      {"FINISHED", format_timestamp(field_text(job, "finished_at"))},
      {"PARAMS", member(job, "params").is_null() ? "-" : member(job, "params").dump()},
  };
  if (const json& process = member(job, "process"); process.is_object()) {
    fields.emplace_back("PROCESS", fmt::format("pid {}, {} resident, {:.1f}s CPU", field_text(process, "pid"),
                                               format_size(static_cast<uint64_t>(number(process, "resident_bytes"))),
                                               number(process, "cpu_seconds")));
  }
  if (!member(job, "retry_at").is_null()) fields.emplace_back("RETRY AT", format_timestamp(field_text(job, "retry_at")));
  if (!member(job, "result").is_null()) fields.emplace_back("RESULT", member(job, "result").dump(2));
  if (!member(job, "error").is_null()) fields.emplace_back("ERROR", field_text(job, "error"));
  return render_fields(fields);
}

std::string format_job_progress(const json& job) {
  std::string state = field_text(job, "state");
  if (state != "running" && state != "cancelling") return field_text(job, "id") + " " + state;
  const json& progress = member(job, "progress");
  double fraction = std::clamp(number(progress, "fraction"), 0.0, 1.0);
  auto filled = static_cast<size_t>(fraction * kBarWidth);
  std::string line = "[" + std::string(filled, '#') + std::string(kBarWidth - filled, '.') + "] " +
                     fmt::format("{:3}%", static_cast<int>(fraction * 100));
  if (std::string message = field_text(progress, "message"); message != "-") line += "  " + message;
  if (const json& eta = member(progress, "eta_seconds"); eta.is_number()) line += "  ETA " + format_duration(eta.get<double>());
  if (std::string metrics = metrics_text(member(progress, "metrics")); !metrics.empty()) line += "  " + metrics;
  if (state == "cancelling") line += "  (cancelling)";
  return line;
}

std::string format_job_log_line(const json& line) {
  return format_timestamp(field_text(line, "at")) + "  " + field_text(line, "source") + "  " + field_text(line, "level") +
         "  " + field_text(line, "line");
}

bool job_state_is_final(const json& job) {
  std::string state = field_text(job, "state");
  return state == "succeeded" || state == "failed" || state == "cancelled";
}

Result<json> build_job_params(const std::string& params_json, const std::vector<std::string>& params) {
  json out = json::object();
  if (!params_json.empty()) {
    out = json::parse(params_json, nullptr, false);
    if (!out.is_object()) return invalid_argument("--params must be a JSON object, e.g. '{\"steps\": 3}'");
  }
  json given = json::object();
  for (const auto& item : params) {
    MAAS_ASSIGN_OR_RETURN(auto kv, parse_key_value(item, "--param"));
    if (given.contains(kv.first)) return invalid_argument("--param " + kv.first + " is given twice");
    json value = json::parse(kv.second, nullptr, false);
    given[kv.first] = value.is_discarded() ? json(kv.second) : value;
  }
  out.update(given);
  return out;
}

json named_version(const std::string& text, const char* name_key, const char* version_key) {
  json out;
  size_t colon = text.rfind(':');
  out[name_key] = text.substr(0, colon);
  if (colon != std::string::npos) {
    std::string ref = text.substr(colon + 1);
    bool digits = !ref.empty() && ref.find_first_not_of("0123456789") == std::string::npos;
    out[version_key] = digits ? json(std::stoll(ref)) : json(ref);
  }
  return out;
}

}  // namespace maas::cli
