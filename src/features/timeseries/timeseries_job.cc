#include "features/timeseries/timeseries_job.h"

#include <filesystem>

#include "data/datasets/schema.h"
#include "data/engine/appender.h"
#include "data/engine/database.h"
#include "data/engine/sql_text.h"
#include "data/prep/sql_values.h"
#include "features/timeseries/compute.h"

namespace maas::features::timeseries {
namespace {

namespace fs = std::filesystem;
using data::engine::quote_identifier;
using data::engine::quote_literal;
using nlohmann::json;

// The SQL reading the time column as microseconds since the epoch; INVALID_ARGUMENT for a type that is no time.
Result<std::string> time_sql(const data::Field& field) {
  const std::string name = quote_identifier(field.name);
  if (field.type == "TIMESTAMP WITH TIME ZONE") return "epoch_us(" + name + ")";
  if (is_time_type(field.type)) return "epoch_us(CAST(" + name + " AS TIMESTAMP))";
  return invalid_argument("the time column '" + field.name + "' is " + field.type +
                          ", not a TIMESTAMP or DATE (cast it while importing or cleaning)");
}

// Checks the spec against the input's schema and returns the SELECT list: entity, time, then each numeric column the
// features read, in `columns`' order.
Result<std::string> select_list(const FeatureSpec& spec, const data::Schema& schema,
                                std::vector<std::string>& columns) {
  auto find = [&](const std::string& name) -> const data::Field* {
    for (const auto& f : schema) {
      if (f.name == name) return &f;
    }
    return nullptr;
  };
  std::string sql;
  if (!spec.entity.empty()) {
    if (find(spec.entity) == nullptr) return invalid_argument("the data has no entity column '" + spec.entity + "'");
    sql += "COALESCE(CAST(" + quote_identifier(spec.entity) + " AS VARCHAR), '')";
  } else {
    sql += "''";
  }
  const data::Field* time = find(spec.time);
  if (time == nullptr) return invalid_argument("the data has no time column '" + spec.time + "'");
  MAAS_ASSIGN_OR_RETURN(std::string time_expr, time_sql(*time));
  sql += ", " + time_expr;
  for (const Feature& f : spec.features) {
    if (find(f.name) != nullptr) {
      return invalid_argument("feature '" + f.name + "': the data has a column of that name already");
    }
    if (f.kind == FeatureKind::kCalendar) continue;
    const data::Field* column = find(f.column);
    if (column == nullptr)
      return invalid_argument("feature '" + f.name + "': the data has no column '" + f.column + "'");
    if (!is_numeric_type(column->type)) {
      return invalid_argument("feature '" + f.name + "': the column '" + f.column + "' is " + column->type +
                              ", not numeric");
    }
    if (std::find(columns.begin(), columns.end(), f.column) == columns.end()) {
      columns.push_back(f.column);
      sql += ", CAST(" + quote_identifier(f.column) + " AS DOUBLE)";
    }
  }
  return sql;
}

// Reads the rows, in file order, into a SeriesTable.
Result<SeriesTable> read_table(data::engine::Connection& c, const FeatureSpec& spec, const std::string& select,
                               const std::vector<std::string>& columns) {
  MAAS_ASSIGN_OR_RETURN(auto result, c.query("SELECT " + select + " FROM input ORDER BY " + data::prep::kRowPosition));
  SeriesTable table;
  std::vector<std::vector<double>*> targets;
  targets.reserve(columns.size());
  for (const auto& name : columns) targets.push_back(&table.columns[name]);
  int64_t null_times = 0;
  while (true) {
    MAAS_ASSIGN_OR_RETURN(auto chunk, result.next_chunk());
    if (!chunk) break;
    for (size_t r = 0; r < chunk->rows; ++r) {
      if (!spec.entity.empty()) table.entity.push_back(chunk->columns[0].strings[r]);
      const auto& time = chunk->columns[1];
      if (time.is_null(r)) ++null_times;
      table.time_us.push_back(time.is_null(r) ? 0 : time.ints[r]);
      for (size_t k = 0; k < targets.size(); ++k) {
        const auto& column = chunk->columns[2 + k];
        targets[k]->push_back(column.is_null(r) ? std::numeric_limits<double>::quiet_NaN() : column.doubles[r]);
      }
    }
  }
  if (null_times > 0) {
    return invalid_argument("the time column '" + spec.time + "' has " + std::to_string(null_times) +
                            " empty (NULL) values; drop or fill them first");
  }
  return table;
}

// Writes the input's rows with the features added (NaN written as NULL), in the input's order.
Status write_output(data::engine::Connection& c, const FeatureSpec& spec,
                    const std::vector<std::vector<double>>& features, const fs::path& out) {
  std::string create = std::string("CREATE TEMP TABLE features (") + data::prep::kRowPosition + " BIGINT";
  std::string select = "SELECT input.* EXCLUDE (" + std::string(data::prep::kRowPosition) + ")";
  for (size_t k = 0; k < spec.features.size(); ++k) {
    create += ", f" + std::to_string(k) + " DOUBLE";
    select += ", features.f" + std::to_string(k) + " AS " + quote_identifier(spec.features[k].name);
  }
  MAAS_RETURN_IF_ERROR(c.execute(create + ")"));
  {
    MAAS_ASSIGN_OR_RETURN(auto appender, c.appender("features"));
    std::vector<data::engine::Value> row(features.size() + 1);
    const size_t rows = features.empty() ? 0 : features[0].size();
    for (size_t r = 0; r < rows; ++r) {
      row[0] = static_cast<int64_t>(r);
      for (size_t k = 0; k < features.size(); ++k) {
        const double v = features[k][r];
        row[k + 1] = std::isnan(v) ? data::engine::Value() : data::engine::Value(v);
      }
      MAAS_RETURN_IF_ERROR(appender.append_row(row));
    }
    MAAS_RETURN_IF_ERROR(appender.close());
  }
  const std::string key = data::prep::kRowPosition;
  return c.execute("COPY (" + select + " FROM input JOIN features ON input." + key + " = features." + key +
                   " ORDER BY input." + key + ") TO " + quote_literal(out.string()) +
                   " (FORMAT parquet, COMPRESSION zstd)");
}

uint64_t unsigned_param(const json& params, const char* key, uint64_t fallback) {
  auto it = params.find(key);
  return it != params.end() && it->is_number_unsigned() ? it->get<uint64_t>() : fallback;
}

}  // namespace

Status run_timeseries_job(jobs::JobContext& job) {
  const json& params = job.params();
  if (!params.contains("spec") || !params.contains("input") || !params["input"].is_object() ||
      !params["input"].contains("file") || !params["input"]["file"].is_string()) {
    return invalid_argument("params.spec and params.input.file are required");
  }
  MAAS_ASSIGN_OR_RETURN(FeatureSpec spec,
                        parse_feature_spec(params["spec"], unsigned_param(params, "max_features", 0)));
  const fs::path input = params["input"]["file"].get<std::string>();
  const fs::path scratch = job.scratch_dir();
  const fs::path out = scratch / "features.parquet";
  data::engine::EngineOptions engine;
  engine.memory_limit_bytes = unsigned_param(params, "memory_limit_bytes", engine.memory_limit_bytes);
  engine.threads = std::max(1, job.cpu_slots());
  engine.temp_directory = scratch / "spill";
  engine.file_access = data::engine::FileAccess{{input, out}, {}};
  MAAS_ASSIGN_OR_RETURN(auto database, data::engine::Database::open(engine));
  MAAS_ASSIGN_OR_RETURN(data::engine::Connection connection, database->connect());
  job.progress(0.05, "reading the input");
  MAAS_RETURN_IF_ERROR(data::prep::load_with_row_positions(connection, "input", input));
  MAAS_ASSIGN_OR_RETURN(data::Schema schema, data::describe(connection, "input"));
  std::vector<std::string> columns;
  MAAS_ASSIGN_OR_RETURN(std::string select, select_list(spec, schema, columns));
  MAAS_ASSIGN_OR_RETURN(SeriesTable table, read_table(connection, spec, select, columns));
  const auto rows = static_cast<int64_t>(table.time_us.size());
  job.log(jobs::LogLevel::kInfo, std::to_string(spec.features.size()) + " features over " + std::to_string(rows) +
                                     " rows of dataset '" + params["input"].value("dataset", "") + "'");
  if (job.cancelled()) return unavailable("cancelled before the features were computed");
  MAAS_ASSIGN_OR_RETURN(auto features, compute_features(spec, table, [&job](double done) {
                          job.progress(0.1 + 0.8 * done, "computing features");
                        }));
  job.progress(0.9, "writing the output");
  MAAS_RETURN_IF_ERROR(write_output(connection, spec, features, out));
  json names = json::array();
  for (const Feature& f : spec.features) names.push_back(f.name);
  job.progress(1.0, std::to_string(rows) + " rows", {{"rows", static_cast<double>(rows)}});
  job.set_result({{"input_rows", rows}, {"rows", rows}, {"file", out.string()}, {"features", names}});
  return {};
}

}  // namespace maas::features::timeseries
