#include "data/prep/clean.h"

#include "data/datasets/import.h"
#include "data/datasets/schema.h"
#include "data/engine/sql_text.h"
#include "data/prep/column_stats.h"
#include "data/prep/sql_values.h"

namespace maas::data::prep {
namespace {

using engine::quote_identifier;
using engine::quote_literal;
using nlohmann::json;

constexpr const char* kTable = "maas_clean";
constexpr const char* kNext = "maas_clean_next";
constexpr const char* kRejects = "maas_clean_rejects";
constexpr const char* kFill = "maas_clean_fill";
// The input's row position, carried through every step so that "first" and the output's order are the input's.
constexpr const char* kRow = kRowPosition;

class Cleaner {
 public:
  explicit Cleaner(engine::Connection& c) : c_(c) {}

  Status load(const std::filesystem::path& input) {
    MAAS_RETURN_IF_ERROR(load_with_row_positions(c_, kTable, input));
    return c_.execute(
        std::string("CREATE TEMP TABLE ") + kRejects +
        " (line BIGINT, column_name VARCHAR, error_type VARCHAR, error_message VARCHAR, raw_line VARCHAR)");
  }

  Result<json> run(const Step& step) {
    MAAS_ASSIGN_OR_RETURN(schema_, describe(c_, kTable));
    MAAS_ASSIGN_OR_RETURN(int64_t rows_in, count(""));
    json report;
    switch (step.kind) {
      case StepKind::kDeduplicate: {
        MAAS_ASSIGN_OR_RETURN(report, deduplicate(step));
        break;
      }
      case StepKind::kDropMissing: {
        MAAS_ASSIGN_OR_RETURN(report, drop_missing(step));
        break;
      }
      case StepKind::kFillMissing: {
        MAAS_ASSIGN_OR_RETURN(report, fill_missing(step));
        break;
      }
      case StepKind::kClip: {
        MAAS_ASSIGN_OR_RETURN(report, clip(step));
        break;
      }
      case StepKind::kCast: {
        MAAS_ASSIGN_OR_RETURN(report, cast(step));
        break;
      }
      case StepKind::kFilter: {
        MAAS_ASSIGN_OR_RETURN(report, filter(step));
        break;
      }
    }
    MAAS_ASSIGN_OR_RETURN(int64_t rows_out, count(""));
    report["rows_in"] = rows_in;
    report["rows_out"] = rows_out;
    return report;
  }

  Result<DerivedTable> write(const ImportTarget& target) {
    DerivedTable out;
    MAAS_ASSIGN_OR_RETURN(
        auto copied,
        c_.query(std::string("COPY (SELECT * EXCLUDE (") + kRow + ") FROM " + kTable + " ORDER BY " + kRow + ") TO " +
                 quote_literal(target.snapshot.string()) + " " + kSnapshotParquetOptions));
    out.rows = copied.rows_changed();
    MAAS_ASSIGN_OR_RETURN(out.rejected_rows, single_count(std::string("SELECT count(*) FROM ") + kRejects));
    if (out.rejected_rows > 0) {
      MAAS_RETURN_IF_ERROR(c_.execute(std::string("COPY (SELECT * FROM ") + kRejects +
                                      " ORDER BY line, column_name) TO " + quote_literal(target.rejects.string()) +
                                      " " + kSnapshotParquetOptions));
      out.wrote_rejects = true;
    }
    return out;
  }

 private:
  Result<int64_t> single_count(const std::string& sql) {
    MAAS_ASSIGN_OR_RETURN(auto result, c_.query(sql));
    MAAS_ASSIGN_OR_RETURN(engine::Chunk chunk, result.fetch_all());
    if (chunk.rows != 1 || chunk.columns[0].ints.empty()) return internal_error("not a count: " + sql);
    return chunk.columns[0].ints[0];
  }

  Result<int64_t> count(const std::string& where) {
    return single_count(std::string("SELECT count(*) FROM ") + kTable + (where.empty() ? "" : " WHERE " + where));
  }

  // The table becomes what `select` yields from it.
  Status replace(const std::string& select) {
    MAAS_RETURN_IF_ERROR(c_.execute(std::string("CREATE TEMP TABLE ") + kNext + " AS " + select));
    MAAS_RETURN_IF_ERROR(c_.execute(std::string("DROP TABLE ") + kTable));
    return c_.execute(std::string("ALTER TABLE ") + kNext + " RENAME TO " + kTable);
  }

  Status replace_column(const std::string& name, const std::string& expression, const std::string& where = "") {
    return replace(std::string("SELECT * REPLACE (") + expression + " AS " + quote_identifier(name) + ") FROM " +
                   kTable + (where.empty() ? "" : " WHERE " + where));
  }

  const Field& field(const std::string& name) const {
    for (const auto& f : schema_) {
      if (f.name == name) return f;
    }
    return schema_.front();  // check_recipe has seen every name
  }

  ColumnRef ref(const std::string& name) const { return {kTable, name, is_floating_type(field(name).type)}; }

  std::string any_missing(const std::vector<std::string>& names) const {
    std::string sql;
    for (const auto& f : schema_) {
      if (f.name == kRow) continue;
      if (!names.empty() && std::find(names.begin(), names.end(), f.name) == names.end()) continue;
      sql += (sql.empty() ? "(" : " OR ") + missing_sql(ref(f.name));
    }
    return sql.empty() ? "false" : sql + ")";
  }

  std::string column_list(const std::vector<std::string>& names) const {
    std::string sql;
    for (const auto& f : schema_) {
      if (f.name == kRow) continue;
      if (!names.empty() && std::find(names.begin(), names.end(), f.name) == names.end()) continue;
      sql += (sql.empty() ? "" : ", ") + quote_identifier(f.name);
    }
    return sql;
  }

  Result<json> deduplicate(const Step& step) {
    // A hash aggregate keeping each key's first row position, then a semi-join: it spills under the memory limit,
    // where a window partitioned by every column needed the whole table in memory (10M rows failed under 1 GiB).
    MAAS_RETURN_IF_ERROR(replace(std::string("SELECT * FROM ") + kTable + " WHERE " + kRow + " IN (SELECT min(" + kRow +
                                 ") FROM " + kTable + " GROUP BY " + column_list(step.columns) + ")"));
    return json::object();
  }

  Result<json> drop_missing(const Step& step) {
    MAAS_RETURN_IF_ERROR(replace(std::string("SELECT * FROM ") + kTable + " WHERE NOT " + any_missing(step.columns)));
    return json::object();
  }

  Result<json> fill_missing(const Step& step);
  Result<json> clip(const Step& step);
  Result<json> cast(const Step& step);
  Result<json> filter(const Step& step);

  engine::Connection& c_;
  Schema schema_;
};

Result<json> Cleaner::fill_missing(const Step& step) {
  const ColumnRef column = ref(step.column);
  const std::string c = quote_identifier(step.column);
  const std::string missing = missing_sql(column);
  MAAS_ASSIGN_OR_RETURN(int64_t before, count(missing));
  json report = {{"column", step.column}};
  switch (step.fill) {
    case FillStrategy::kMean:
    case FillStrategy::kMedian: {
      MAAS_ASSIGN_OR_RETURN(auto value,
                            step.fill == FillStrategy::kMean ? mean(c_, column) : quantile(c_, column, 0.5));
      report["value"] = value ? json(*value) : json(nullptr);
      // An integer column becomes DOUBLE, as pandas' column with NaN is float64 before it is filled.
      std::string filled = value ? double_sql(*value) : "CAST(" + c + " AS DOUBLE)";
      MAAS_RETURN_IF_ERROR(replace_column(
          step.column, "CASE WHEN " + missing + " THEN " + filled + " ELSE CAST(" + c + " AS DOUBLE) END"));
      break;
    }
    case FillStrategy::kMode: {
      // pandas' mode()[0]: the most frequent value, the smallest of ties.
      MAAS_RETURN_IF_ERROR(c_.execute(std::string("CREATE OR REPLACE TEMP TABLE ") + kFill + " AS SELECT " + c +
                                      " AS v FROM " + kTable + " WHERE NOT " + missing + " GROUP BY " + c +
                                      " ORDER BY count(*) DESC, " + c + " LIMIT 1"));
      MAAS_ASSIGN_OR_RETURN(report["value"],
                            scalar_json(c_, std::string("SELECT v FROM ") + kFill, field(step.column).type));
      MAAS_RETURN_IF_ERROR(replace_column(
          step.column, "CASE WHEN " + missing + " THEN (SELECT v FROM " + kFill + ") ELSE " + c + " END"));
      break;
    }
    case FillStrategy::kConstant:
      report["value"] = step.value;
      MAAS_RETURN_IF_ERROR(replace_column(step.column, "CASE WHEN " + missing + " THEN " +
                                                           literal_sql(step.value, field(step.column).type) + " ELSE " +
                                                           c + " END"));
      break;
    case FillStrategy::kForwardFill: {
      std::string window = "OVER (";
      if (!step.columns.empty()) window += "PARTITION BY " + column_list(step.columns) + " ";
      window += "ORDER BY " + quote_identifier(step.order_by) + " ASC NULLS LAST, " + kRow +
                " ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)";
      MAAS_RETURN_IF_ERROR(replace_column(step.column, "CASE WHEN " + missing + " THEN last_value(CASE WHEN " +
                                                           missing + " THEN NULL ELSE " + c + " END IGNORE NULLS) " +
                                                           window + " ELSE " + c + " END"));
      break;
    }
  }
  MAAS_ASSIGN_OR_RETURN(schema_, describe(c_, kTable));
  MAAS_ASSIGN_OR_RETURN(int64_t after, count(missing_sql(ref(step.column))));
  report["filled"] = before - after;
  return report;
}

Result<json> Cleaner::clip(const Step& step) {
  const ColumnRef column = ref(step.column);
  std::optional<double> lower, upper;
  switch (step.clip) {
    case ClipMethod::kIqr: {
      MAAS_ASSIGN_OR_RETURN(auto quartiles, quantiles(c_, column, {0.25, 0.75}));
      const std::optional<double> q1 = quartiles[0], q3 = quartiles[1];
      if (q1 && q3) {
        lower = *q1 - step.k * (*q3 - *q1);
        upper = *q3 + step.k * (*q3 - *q1);
      }
      break;
    }
    case ClipMethod::kZScore: {
      MAAS_ASSIGN_OR_RETURN(auto mu, mean(c_, column));
      MAAS_ASSIGN_OR_RETURN(auto sigma, sample_std(c_, column));
      if (mu && sigma) {
        lower = *mu - step.k * *sigma;
        upper = *mu + step.k * *sigma;
      }
      break;
    }
    case ClipMethod::kQuantile: {
      MAAS_ASSIGN_OR_RETURN(auto bounds, quantiles(c_, column, {step.lower, step.upper}));
      lower = bounds[0];
      upper = bounds[1];
      break;
    }
  }
  const std::string value = "CAST(" + quote_identifier(step.column) + " AS DOUBLE)";
  const std::string missing = missing_sql(column);
  json report = {
      {"column", step.column}, {"lower", nullptr}, {"upper", nullptr}, {"clipped_low", 0}, {"clipped_high", 0}};
  if (!lower || !upper) {
    MAAS_RETURN_IF_ERROR(replace_column(step.column, value));
    return report;
  }
  const std::string lo = double_sql(*lower), hi = double_sql(*upper);
  MAAS_ASSIGN_OR_RETURN(int64_t low, count("NOT " + missing + " AND " + value + " < " + lo));
  MAAS_ASSIGN_OR_RETURN(int64_t high, count("NOT " + missing + " AND " + value + " > " + hi));
  // DuckDB orders NaN above every number: missing values are passed through before any comparison.
  MAAS_RETURN_IF_ERROR(replace_column(step.column, "CASE WHEN " + missing + " THEN " + value + " WHEN " + value +
                                                       " < " + lo + " THEN " + lo + " WHEN " + value + " > " + hi +
                                                       " THEN " + hi + " ELSE " + value + " END"));
  report["lower"] = *lower;
  report["upper"] = *upper;
  report["clipped_low"] = low;
  report["clipped_high"] = high;
  return report;
}

Result<json> Cleaner::cast(const Step& step) {
  const std::string c = quote_identifier(step.column);
  const std::string converted = "TRY_CAST(" + c + " AS " + step.type + ")";
  const std::string failed = c + " IS NOT NULL AND " + converted + " IS NULL";
  MAAS_ASSIGN_OR_RETURN(int64_t failures, count(failed));
  json report = {{"column", step.column}, {"type", step.type}, {"failed", failures}};
  if (step.on_error == CastFailure::kReject) {
    const std::string text = "CAST(" + c + " AS VARCHAR)";
    MAAS_RETURN_IF_ERROR(c_.execute(std::string("INSERT INTO ") + kRejects + " SELECT " + kRow + " + 1, " +
                                    quote_literal(step.column) + ", 'CAST', 'cannot convert ' || " + text + " || " +
                                    quote_literal(" to " + step.type) + ", " + text + " FROM " + kTable + " WHERE " +
                                    failed));
    report["rejected"] = failures;
    MAAS_RETURN_IF_ERROR(replace_column(step.column, converted, "NOT (" + failed + ")"));
  } else {
    report["nulled"] = failures;
    MAAS_RETURN_IF_ERROR(replace_column(step.column, converted));
  }
  return report;
}

Result<json> Cleaner::filter(const Step& step) {
  const std::string c = quote_identifier(step.column);
  const std::string present = "NOT " + missing_sql(ref(step.column));
  const std::string& type = field(step.column).type;
  std::string where;
  if (step.op == "is_null") {
    where = "NOT (" + present + ")";
  } else if (step.op == "not_null") {
    where = present;
  } else if (step.op == "in" || step.op == "not_in") {
    std::string list;
    for (const auto& v : step.value) list += (list.empty() ? "" : ", ") + literal_sql(v, type);
    where = present + " AND " + c + (step.op == "in" ? " IN (" : " NOT IN (") + list + ")";
  } else {
    where = present + " AND " + c + " " + (step.op == "!=" ? std::string("<>") : step.op) + " " +
            literal_sql(step.value, type);
  }
  MAAS_RETURN_IF_ERROR(replace(std::string("SELECT * FROM ") + kTable + " WHERE " + where));
  return json{{"column", step.column}, {"op", step.op}};
}

}  // namespace

Result<CleanResult> clean_snapshot(engine::Connection& connection, const std::filesystem::path& input,
                                   const Recipe& recipe, const ImportTarget& target, const CleanStepHook& on_step) {
  Cleaner cleaner(connection);
  MAAS_RETURN_IF_ERROR(cleaner.load(input));
  if (on_step) on_step(0, nullptr);
  CleanResult out;
  for (size_t i = 0; i < recipe.steps.size(); ++i) {
    auto report = cleaner.run(recipe.steps[i]);
    if (!report.ok()) {
      return Status(report.status().code(), "step " + std::to_string(i + 1) + ": " + report.status().message());
    }
    json step = recipe_to_json(Recipe{{recipe.steps[i]}})["steps"][0];
    report->erase("column");
    step.update(*report);
    if (on_step) on_step(i + 1, step);
    out.steps.push_back(std::move(step));
  }
  MAAS_ASSIGN_OR_RETURN(out.table, cleaner.write(target));
  return out;
}

}  // namespace maas::data::prep
