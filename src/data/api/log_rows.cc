#include "data/api/log_rows.h"

#include <algorithm>
#include <fstream>

#include "common/clock.h"
#include "common/files.h"
#include "common/json_parse.h"
#include "common/random.h"
#include "logs/query.h"

namespace maas::data::api {

using nlohmann::json;

Result<LogRows> write_log_rows(logs::LogStore& store, const sources::Source& source, const json& since,
                               const std::filesystem::path& dir) {
  MAAS_ASSIGN_OR_RETURN(logs::Query query, logs::parse_logql(source.config["query"].get<std::string>()));
  logs::QueryParams params;
  params.end_ns = now_unix_ms() * 1'000'000;
  params.start_ns = params.end_ns - source.config["range_ms"].get<int64_t>() * 1'000'000;
  if (since.is_object() && since.contains("ts_ns") && since["ts_ns"].is_number_integer()) {
    params.start_ns = std::max(params.start_ns, since["ts_ns"].get<int64_t>() + 1);
  }
  params.limit = static_cast<size_t>(source.config["limit"].get<int64_t>());
  params.direction = logs::Direction::kForward;
  MAAS_ASSIGN_OR_RETURN(logs::QueryResult result, logs::run_query(store, query, params));
  if (result.is_metric) return invalid_argument("a logs source needs a log query, not a metric query");
  // One row per entry, in time order across streams.
  struct Row {
    int64_t ts;
    const logs::LabelSet* labels;
    const std::string* line;
  };
  std::vector<Row> entries;
  for (const auto& stream : result.streams) {
    for (const auto& [ts, line] : stream.entries) entries.push_back({ts, &stream.labels, &line});
  }
  std::stable_sort(entries.begin(), entries.end(), [](const Row& a, const Row& b) { return a.ts < b.ts; });
  MAAS_RETURN_IF_ERROR(ensure_directory(dir));
  LogRows out;
  out.file = dir / (source.name + "-" + random_hex(8) + ".jsonl");
  std::ofstream file(out.file, std::ios::binary);
  for (const Row& e : entries) {
    json row = {{"timestamp", format_rfc3339_ms(e.ts / 1'000'000)}, {"ts_ns", e.ts}, {"line", *e.line}};
    for (const auto& [name, value] : e.labels->pairs()) row.emplace(name, value);
    json parsed = parse_json_or(*e.line, json());
    if (parsed.is_object()) {
      for (auto& [key, value] : parsed.items()) row.emplace(key, value);  // labels and the entry's own keys win
    }
    file << row.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
    ++out.rows;
    out.last_ts_ns = e.ts;
  }
  file.close();
  if (!file) return internal_error("cannot write a logs source's rows (disk full?)");
  return out;
}

}  // namespace maas::data::api
