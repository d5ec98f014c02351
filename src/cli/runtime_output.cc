// The load result and the `maas ps` table.
#include "cli/runtime_output.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "cli/output.h"
#include "cli/table.h"
#include "common/names.h"

namespace maas::cli {
namespace {

using nlohmann::json;
using VersionKey = std::pair<std::string, std::string>;  // model, version

std::string string_field(const json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  if (it == object.end()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// Versions are decimal numbers as strings: "10" sorts after "9".
bool version_less(const std::string& a, const std::string& b) {
  long long x = 0;
  long long y = 0;
  if (parse_version_number(a, &x) && parse_version_number(b, &y)) return x < y;
  return a < b;
}

std::string config_text(const json& config) {
  if (!config.is_object() || config.empty()) return "-";
  std::string out;
  for (const auto& [key, value] : config.items()) {
    if (!out.empty()) out += '\n';
    out += key + "=" + value.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  return out;
}

}  // namespace

std::string render_load_result(const json& loaded) {
  return render_fields({
      {"MODEL", field_text(loaded, "name")},
      {"VERSION", field_text(loaded, "version")},
      {"STATE", field_text(loaded, "state")},
      {"CONFIG", config_text(loaded.is_object() ? loaded.value("config", json()) : json())},
  });
}

json loaded_versions(const json& index, const json& stats, const std::vector<MetricSample>* worker_memory) {
  std::map<VersionKey, json> inference_counts;
  const json model_stats = stats.is_object() ? stats.value("model_stats", json::array()) : json::array();
  for (const json& entry : model_stats.is_array() ? model_stats : json::array()) {
    if (entry.is_object() && entry.contains("inference_count")) {
      inference_counts[{string_field(entry, "name"), string_field(entry, "version")}] = entry["inference_count"];
    }
  }
  std::map<VersionKey, std::pair<int64_t, double>> memory;  // instances, bytes
  if (worker_memory != nullptr) {
    for (const MetricSample& sample : *worker_memory) {
      auto model = sample.labels.find("model");
      auto version = sample.labels.find("version");
      if (model == sample.labels.end() || version == sample.labels.end() || !std::isfinite(sample.value)) continue;
      auto& [instances, bytes] = memory[{model->second, version->second}];
      ++instances;
      bytes += sample.value;
    }
  }

  std::vector<json> rows;
  for (const json& entry : index.is_array() ? index : json::array()) {
    if (!entry.is_object()) continue;
    const std::string state = string_field(entry, "state");
    if (state == "UNAVAILABLE" && string_field(entry, "reason") == "unloaded") continue;
    const VersionKey key{string_field(entry, "name"), string_field(entry, "version")};
    json row = {{"name", key.first}, {"version", key.second}, {"state", state}};
    if (const std::string reason = string_field(entry, "reason"); !reason.empty()) row["reason"] = reason;
    if (auto it = inference_counts.find(key); it != inference_counts.end()) row["inference_count"] = it->second;
    if (worker_memory != nullptr) {
      auto it = memory.find(key);
      row["instances"] = it == memory.end() ? 0 : it->second.first;
      row["resident_memory_bytes"] = it == memory.end() ? 0 : static_cast<uint64_t>(it->second.second);
    }
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(), [](const json& a, const json& b) {
    const std::string a_name = a["name"].get<std::string>();
    const std::string b_name = b["name"].get<std::string>();
    if (a_name != b_name) return a_name < b_name;
    return version_less(a["version"].get<std::string>(), b["version"].get<std::string>());
  });
  return json(std::move(rows));
}

std::string render_loaded_versions_table(const json& versions) {
  Table table({"MODEL", "VERSION", "STATE", "REASON", "INSTANCES", "MEMORY", "INFERENCES"});
  for (const json& version : versions.is_array() ? versions : json::array()) {
    const json& bytes = version.contains("resident_memory_bytes") ? version["resident_memory_bytes"] : json();
    table.add_row({field_text(version, "name"), field_text(version, "version"), field_text(version, "state"),
                   field_text(version, "reason"), field_text(version, "instances"),
                   bytes.is_number_unsigned() ? format_size(bytes.get<uint64_t>()) : "-",
                   field_text(version, "inference_count")});
  }
  return table.render();
}

}  // namespace maas::cli
