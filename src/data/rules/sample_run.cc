#include "data/rules/sample_run.h"

#include <fstream>

#include "data/datasets/preview.h"
#include "data/datasets/schema.h"
#include "data/engine/database.h"
#include "data/engine/sql_text.h"
#include "data/rules/apply.h"

namespace maas::data::rules {
namespace {

namespace fs = std::filesystem;

Status write_sample(const Sample& sample, const fs::path& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return internal_error("cannot write the sample file");
  if (!sample.lines.empty()) {
    for (const auto& line : sample.lines) {
      out << nlohmann::json{{"line", line}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    }
  } else {
    for (const auto& row : sample.rows)
      out << row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  out.close();
  if (!out) return internal_error("writing the sample file failed");
  return {};
}

}  // namespace

std::vector<fs::path> rule_output_files(const fs::path& snapshot, const fs::path& rejects, const fs::path& scratch) {
  return {snapshot, rejects, scratch, fs::path(scratch.string() + ".rejects")};
}

Result<nlohmann::json> run_on_sample(const RuleSpec& rule, const RuleLimits& limits, const Sample& sample,
                                     const SampleFiles& files, engine::EngineOptions engine, int64_t max_rows) {
  if (sample.lines.empty() && sample.rows.empty()) return invalid_argument("the sample is empty");
  MAAS_RETURN_IF_ERROR(write_sample(sample, files.sample));
  engine.file_access = engine::FileAccess{rule_output_files(files.snapshot, files.rejects, files.scratch), {}};
  engine.file_access->paths.push_back(files.sample);
  MAAS_ASSIGN_OR_RETURN(auto database, engine::Database::open(engine));
  MAAS_ASSIGN_OR_RETURN(engine::Connection c, database->connect());
  std::string relation = "read_json(" + engine::quote_literal(files.sample.string()) +
                         ", format = 'newline_delimited'" +
                         (sample.lines.empty() ? std::string(")") : ", columns = {line: 'VARCHAR'})");
  ImportTarget target{files.snapshot, files.rejects, files.scratch};
  MAAS_ASSIGN_OR_RETURN(ApplyResult applied, apply_rule(c, rule, limits, relation, target));
  PreviewOptions options;
  options.limit = std::max<int64_t>(1, max_rows);
  options.max_limit = options.limit;
  MAAS_ASSIGN_OR_RETURN(Preview produced, preview(c, parquet_relation(files.snapshot.string()), options));
  nlohmann::json answer = {{"columns", schema_to_json(produced.columns)},
                           {"rows", std::move(produced.rows)},
                           {"rows_produced", applied.rows},
                           {"rows_rejected", applied.rejected_rows},
                           {"rejected", nlohmann::json::array()}};
  if (applied.wrote_rejects) {
    MAAS_ASSIGN_OR_RETURN(Preview rejected, preview(c, parquet_relation(files.rejects.string()), options));
    for (const auto& r : rejected.rows) {
      // The rejects file's columns: line, column_name, error_type, error_message, raw_line.
      answer["rejected"].push_back(
          {{"line", r[0]}, {"column", r[1]}, {"error_type", r[2]}, {"message", r[3]}, {"raw", r[4]}});
    }
  }
  return answer;
}

}  // namespace maas::data::rules
