#include "data/sources/source.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/clock.h"

namespace maas::data::sources {
namespace {

using nlohmann::json;

// The fields a kind accepts, and which of them are required.
struct Field {
  const char* name;
  bool required;
  bool integer;  // else a string
};

const std::map<std::string, std::vector<Field>>& kind_fields() {
  static const std::map<std::string, std::vector<Field>> kFields = {
      {"files", {{"path", true, false}, {"format", false, false}, {"watermark_column", false, false}}},
      {"sqlite",
       {{"path", true, false}, {"table", false, false}, {"query", false, false}, {"watermark_column", false, false}}},
      {"postgres",
       {{"host", false, false},
        {"port", false, true},
        {"database", true, false},
        {"user", true, false},
        {"password", false, false},
        {"table", false, false},
        {"query", false, false},
        {"watermark_column", false, false},
        {"connect_timeout_s", false, true}}},
      {"logs", {{"query", true, false}, {"range_ms", false, true}, {"limit", false, true}}},
      {"push", {}},
      {"tail", {{"path", true, false}, {"format", false, false}}},
  };
  return kFields;
}

Status check_one_of_table_query(const json& c) {
  if (c.contains("table") == c.contains("query"))
    return invalid_argument("config: give exactly one of 'table' and 'query'");
  return {};
}

Status check_format(const json& c, std::initializer_list<const char*> allowed) {
  if (!c.contains("format")) return {};
  const auto& f = c["format"].get_ref<const std::string&>();
  for (const char* a : allowed) {
    if (f == a) return {};
  }
  std::string list;
  for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  return invalid_argument("config.format: '" + f + "' is not one of " + list);
}

}  // namespace

Result<CheckedConfig> check_config(const std::string& kind, const json& config, const FileRoots& roots) {
  auto fields = kind_fields().find(kind);
  if (fields == kind_fields().end()) {
    return invalid_argument("kind '" + kind + "' is not one of files, sqlite, postgres, logs, push, tail");
  }
  if (!config.is_object()) return invalid_argument("'config' must be a JSON object");
  std::set<std::string> known;
  for (const auto& f : fields->second) known.insert(f.name);
  for (const auto& [key, value] : config.items()) {
    if (!known.count(key)) return invalid_argument("config." + key + " is not a field of a " + kind + " source");
  }
  CheckedConfig out{json::object(), std::nullopt};
  for (const auto& f : fields->second) {
    if (!config.contains(f.name)) {
      if (f.required)
        return invalid_argument("config." + std::string(f.name) + " is required for a " + kind + " source");
      continue;
    }
    const json& v = config[f.name];
    if (f.integer ? !v.is_number_integer() : !v.is_string()) {
      return invalid_argument("config." + std::string(f.name) + " must be " + (f.integer ? "an integer" : "a string"));
    }
    if (!f.integer && v.get_ref<const std::string&>().size() > 65536) {
      return invalid_argument("config." + std::string(f.name) + " is longer than 64 KiB");
    }
    if (std::string(f.name) == "password") {
      out.password = v.get<std::string>();
    } else {
      out.config[f.name] = v;
    }
  }
  json& c = out.config;
  if (kind == "files" || kind == "sqlite" || kind == "tail") {
    MAAS_RETURN_IF_ERROR(check_under_roots(c["path"].get<std::string>(), roots));
  }
  if (kind == "files") MAAS_RETURN_IF_ERROR(check_format(c, {"csv", "tsv", "jsonl", "parquet"}));
  if (kind == "tail") {
    MAAS_RETURN_IF_ERROR(check_format(c, {"lines", "jsonl"}));
    if (!c.contains("format")) c["format"] = "lines";
  }
  if (kind == "sqlite" || kind == "postgres") MAAS_RETURN_IF_ERROR(check_one_of_table_query(c));
  if (kind == "postgres") {
    if (!c.contains("host")) c["host"] = "127.0.0.1";
    if (!c.contains("port")) c["port"] = 5432;
    if (!c.contains("connect_timeout_s")) c["connect_timeout_s"] = 10;
    int64_t port = c["port"].get<int64_t>();
    if (port < 1 || port > 65535) return invalid_argument("config.port must be 1-65535");
    int64_t timeout = c["connect_timeout_s"].get<int64_t>();
    if (timeout < 1 || timeout > 600) return invalid_argument("config.connect_timeout_s must be 1-600");
  }
  if (kind == "logs") {
    if (!c.contains("range_ms")) c["range_ms"] = 3'600'000;
    if (!c.contains("limit")) c["limit"] = 50'000;
    if (c["range_ms"].get<int64_t>() < 1) return invalid_argument("config.range_ms must be positive");
    int64_t limit = c["limit"].get<int64_t>();
    if (limit < 1 || limit > 50'000)
      return invalid_argument("config.limit must be 1-50000 (the log center's query limit)");
  }
  return out;
}

json source_json(const Source& source) {
  json j = {{"name", source.name},
            {"kind", source.kind},
            {"config", source.config},
            {"description", source.description},
            {"created_by", source.created_by},
            {"created_at", format_rfc3339_ms(source.created_at_ms)},
            {"updated_at", format_rfc3339_ms(source.updated_at_ms)}};
  if (source.kind == "postgres") j["credentials"] = {{"password", source.sealed_secret.empty() ? "unset" : "set"}};
  return j;
}

std::string watermark_column(const Source& source) {
  auto it = source.config.find("watermark_column");
  return it != source.config.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool follows_offset(const std::string& kind) { return kind == "push" || kind == "tail"; }

}  // namespace maas::data::sources
