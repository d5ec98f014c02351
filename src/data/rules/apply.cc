#include "data/rules/apply.h"

#include <filesystem>
#include <fstream>

#include "data/datasets/schema.h"
#include "data/engine/database.h"
#include "data/engine/sql_text.h"
#include "data/rules/line_extractor.h"

namespace maas::data::rules {
namespace {

namespace fs = std::filesystem;
using engine::quote_identifier;
using engine::quote_literal;

// No temp file beside the target: a sandboxed database may write the target alone.
constexpr const char* kParquetOptions = "(FORMAT parquet, COMPRESSION zstd, USE_TMP_FILE false)";
constexpr size_t kMaxRawLine = 64 * 1024;
constexpr const char* kBad = "__maas_bad";
constexpr const char* kPosition = "__maas_pos";
constexpr const char* kRaw = "__maas_raw";  // a rejected row's values before the casts, as JSON

Result<int64_t> single_integer(engine::Connection& connection, const std::string& sql) {
  MAAS_ASSIGN_OR_RETURN(auto result, connection.query(sql));
  MAAS_ASSIGN_OR_RETURN(engine::Chunk chunk, result.fetch_all());
  if (chunk.rows != 1 || chunk.columns.empty() || chunk.columns[0].ints.empty()) {
    return internal_error("the statement did not yield one integer");
  }
  return chunk.columns[0].ints[0];
}

std::string rejects_reader(const fs::path& path) {
  return "read_json(" + quote_literal(path.string()) +
         ", format = 'newline_delimited', columns = {line: 'BIGINT', column_name: 'VARCHAR', error_type: 'VARCHAR', "
         "error_message: 'VARCHAR', raw_line: 'VARCHAR'})";
}

Status copy_rejects(engine::Connection& c, const std::string& select, const ImportTarget& target) {
  return single_integer(c, "COPY (" + select + " ORDER BY line) TO " + quote_literal(target.rejects.string()) + " " +
                               kParquetOptions)
      .status();
}

// Removes the files it names when it goes out of scope.
struct ScratchFiles {
  std::vector<fs::path> paths;
  ~ScratchFiles() {
    std::error_code ec;
    for (const auto& p : paths) fs::remove(p, ec);
  }
};

Result<ApplyResult> apply_lines(engine::Connection& c, const RuleSpec& rule, const RuleLimits& limits,
                                const std::string& input, const ImportTarget& target) {
  MAAS_ASSIGN_OR_RETURN(auto extractor, LineExtractor::make(rule, limits));
  MAAS_ASSIGN_OR_RETURN(Schema schema, describe(c, input));
  std::string names;
  // "*": each whole row as a JSON object (jsonpath over rows that are not text).
  bool found = rule.field == "*";
  for (const auto& f : schema) {
    found = found || f.name == rule.field;
    names += (names.empty() ? "" : ", ") + f.name;
  }
  if (!found) {
    return invalid_argument("the input has no column '" + rule.field + "' for the rule to read; set the rule's " +
                            "'field' to one of: " + names);
  }
  ScratchFiles scratch{{target.scratch, fs::path(target.scratch.string() + ".rejects")}};
  std::ofstream rows_out(scratch.paths[0], std::ios::binary | std::ios::trunc);
  std::ofstream rejects_out(scratch.paths[1], std::ios::binary | std::ios::trunc);
  if (!rows_out || !rejects_out) return internal_error("cannot write the rule's scratch files");
  ApplyResult out;
  {
    const std::string text = rule.field == "*" ? "to_json(maas_row)" : quote_identifier(rule.field);
    MAAS_ASSIGN_OR_RETURN(auto result, c.query("SELECT CAST(" + text + " AS VARCHAR) FROM " + input + " maas_row"));
    for (;;) {
      MAAS_ASSIGN_OR_RETURN(auto chunk, result.next_chunk());
      if (!chunk) break;
      const engine::Column& col = chunk->columns[0];
      for (size_t i = 0; i < chunk->rows; ++i) {
        ++out.input_rows;
        const std::string text = col.is_null(i) ? std::string() : col.strings[i];
        Extraction e =
            col.is_null(i) ? Extraction{false, {}, "NULL", rule.field, "the field is NULL"} : extractor->extract(text);
        if (e.ok) {
          nlohmann::json row = nlohmann::json::object();
          for (size_t k = 0; k < extractor->columns().size(); ++k) row[extractor->columns()[k].name] = e.row[k];
          rows_out << row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
          ++out.rows;
          continue;
        }
        nlohmann::json reject = {{"line", out.input_rows},
                                 {"column_name", e.column.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.column)},
                                 {"error_type", e.error_type},
                                 {"error_message", e.message},
                                 {"raw_line", text.substr(0, kMaxRawLine)}};
        rejects_out << reject.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
        ++out.rejected_rows;
      }
    }
  }
  rows_out.close();
  rejects_out.close();
  if (!rows_out || !rejects_out) return internal_error("writing the rule's scratch files failed (disk full?)");
  std::string columns;
  std::string select;
  for (const auto& col : extractor->columns()) {
    columns += (columns.empty() ? "" : ", ") + quote_literal(col.name) + ": " + quote_literal(col.duckdb_type());
    select += (select.empty() ? "" : ", ") + quote_identifier(col.name);
  }
  MAAS_RETURN_IF_ERROR(single_integer(c, "COPY (SELECT " + select + " FROM read_json(" +
                                             quote_literal(scratch.paths[0].string()) +
                                             ", format = 'newline_delimited', columns = {" + columns + "})) TO " +
                                             quote_literal(target.snapshot.string()) + " " + kParquetOptions)
                           .status());
  if (out.rejected_rows > 0) {
    MAAS_RETURN_IF_ERROR(copy_rejects(c, "SELECT * FROM " + rejects_reader(scratch.paths[1]), target));
    out.wrote_rejects = true;
  }
  return out;
}

std::string cast_expression(const RuleColumn& c) {
  const std::string col = quote_identifier(c.name);
  if (c.type == CastType::kTimestamp && !c.format.empty()) {
    return "try_strptime(CAST(" + col + " AS VARCHAR), " + quote_literal(c.format) + ")";
  }
  return "TRY_CAST(" + col + " AS " + duckdb_type(c.type) + ")";
}

Result<ApplyResult> apply_sql(engine::Connection& c, const RuleSpec& rule, const std::string& input,
                              const ImportTarget& target) {
  // The parser's word that this is exactly one SELECT: wrapped as a subquery, it stays one statement.
  MAAS_RETURN_IF_ERROR(check_sql_parses(rule.sql));
  MAAS_RETURN_IF_ERROR(c.execute("CREATE OR REPLACE TEMP VIEW source AS SELECT * FROM " + input));
  // Preparing the wrapped query checks it is one SELECT: a second statement or anything but a query is an error.
  if (auto check = c.prepare("SELECT * FROM (" + rule.sql + "\n) LIMIT 0"); !check.ok()) {
    return invalid_argument("rule: the SQL is not one valid SELECT over source: " + check.status().message());
  }
  const std::string select = sql_rule_select(rule);
  if (Status s = c.execute("CREATE OR REPLACE TEMP TABLE maas_rule_rows AS " + select); !s.ok()) {
    if (s.code() != StatusCode::kInvalidArgument) return s;
    return invalid_argument(
        "rule: the SQL's result does not fit the rule's columns (each must be a column of the "
        "query): " +
        s.message());
  }
  ApplyResult out;
  MAAS_ASSIGN_OR_RETURN(out.input_rows, single_integer(c, "SELECT count(*) FROM maas_rule_rows"));
  MAAS_ASSIGN_OR_RETURN(
      out.rows, single_integer(c, std::string("COPY (SELECT * EXCLUDE (") + kBad + ", " + kPosition + ", " + kRaw +
                                      ") FROM maas_rule_rows WHERE " + kBad + " IS NULL ORDER BY " + kPosition +
                                      ") TO " + quote_literal(target.snapshot.string()) + " " + kParquetOptions));
  out.rejected_rows = out.input_rows - out.rows;
  if (out.rejected_rows > 0) {
    MAAS_RETURN_IF_ERROR(copy_rejects(c,
                                      std::string("SELECT ") + kPosition + "::BIGINT AS line, " + kBad +
                                          "::VARCHAR AS column_name, 'CAST' AS error_type, 'column ''' || " + kBad +
                                          " || ''' does not convert to its type' AS error_message, " + kRaw +
                                          " AS raw_line FROM " + "maas_rule_rows r WHERE " + kBad + " IS NOT NULL",
                                      target));
    out.wrote_rejects = true;
  }
  MAAS_RETURN_IF_ERROR(c.execute("DROP TABLE maas_rule_rows"));
  return out;
}

}  // namespace

Status check_sql_parses(const std::string& sql) {
  engine::EngineOptions options;
  options.memory_limit_bytes = 64ull << 20;
  options.threads = 1;
  options.file_access = engine::FileAccess{};
  MAAS_ASSIGN_OR_RETURN(auto database, engine::Database::open(options));
  MAAS_ASSIGN_OR_RETURN(engine::Connection c, database->connect());
  // json_serialize_sql parses only, and serializes SELECT statements only.
  MAAS_ASSIGN_OR_RETURN(auto result, c.query("SELECT json_serialize_sql(" + quote_literal(sql) + ")::VARCHAR"));
  MAAS_ASSIGN_OR_RETURN(engine::Chunk chunk, result.fetch_all());
  if (chunk.rows != 1 || chunk.columns[0].is_null(0)) return internal_error("the SQL parser gave no answer");
  nlohmann::json parsed = nlohmann::json::parse(chunk.columns[0].strings[0], nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return internal_error("the SQL parser's answer is not JSON");
  const nlohmann::json* error = parsed.contains("error") ? &parsed["error"] : nullptr;
  if (error != nullptr && error->is_boolean() && error->get<bool>()) {
    std::string message = parsed.contains("error_message") && parsed["error_message"].is_string()
                              ? parsed["error_message"].get<std::string>()
                              : "it does not parse";
    return invalid_argument("rule: the SQL is not one valid SELECT over source: " + message);
  }
  const nlohmann::json* statements = parsed.contains("statements") ? &parsed["statements"] : nullptr;
  if (statements == nullptr || !statements->is_array() || statements->size() != 1) {
    return invalid_argument("rule: the SQL is not one valid SELECT over source: give exactly one statement");
  }
  return {};
}

std::string sql_rule_select(const RuleSpec& rule) {
  const std::string query = "(" + rule.sql + "\n)";
  std::string replace, bad;
  for (const auto& col : rule.columns) {
    const std::string cast = cast_expression(col);
    replace += (replace.empty() ? "" : ", ") + cast + " AS " + quote_identifier(col.name);
    bad +=
        " WHEN " + quote_identifier(col.name) + " IS NOT NULL AND " + cast + " IS NULL THEN " + quote_literal(col.name);
  }
  std::string sql = "SELECT row_number() OVER () AS " + std::string(kPosition) + ", ";
  sql += replace.empty() ? "q.*" : "q.* REPLACE (" + replace + ")";
  const std::string bad_case = bad.empty() ? std::string("NULL::VARCHAR") : "CASE" + bad + " END";
  sql += ", " + bad_case + " AS " + kBad;
  sql += ", CASE WHEN " + bad_case + " IS NOT NULL THEN CAST(to_json(q) AS VARCHAR) END AS " + kRaw;
  return sql + " FROM " + query + " q";
}

Result<ApplyResult> apply_rule(engine::Connection& connection, const RuleSpec& rule, const RuleLimits& limits,
                               const std::string& input_relation, const ImportTarget& target) {
  if (rule.kind == RuleKind::kSql) return apply_sql(connection, rule, input_relation, target);
  return apply_lines(connection, rule, limits, input_relation, target);
}

}  // namespace maas::data::rules
