// A compiled regex, grok or jsonpath rule: turns one line (or one row's text field) into one row of typed values,
// or says why the line is rejected. Regex and grok patterns run in RE2 (linear time, memory bounded by
// rules.regex_max_mem_bytes) and may match anywhere in the line unless anchored with ^ and $.
//
// Thread-safety: immutable after make(); extract() may be called from several threads at once.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "data/rules/json_path.h"
#include "data/rules/rule.h"

namespace re2 {
class RE2;
}

namespace maas::data::rules {

// A column of the rows a rule produces.
struct OutputColumn {
  std::string name;
  CastType type = CastType::kString;
  std::string format;
  bool nullable = false;
  bool list = false;  // a jsonpath with [*]: a list of `type`
  std::string duckdb_type() const;
};

// One line's outcome: a row (one value per output column), or a rejection.
struct Extraction {  // NOLINT(bugprone-exception-escape): nlohmann::json members, moved, never thrown
  bool ok = false;
  nlohmann::json row;      // an array, when ok
  std::string error_type;  // NO_MATCH, NOT_JSON, CAST
  std::string column;      // the column at fault (CAST)
  std::string message;
};

class LineExtractor {
 public:
  // INVALID_ARGUMENT for a pattern RE2 refuses (its message), a grok or path error, or a column the pattern lacks.
  static Result<std::unique_ptr<LineExtractor>> make(const RuleSpec& rule, const RuleLimits& limits);
  ~LineExtractor();
  LineExtractor(const LineExtractor&) = delete;
  LineExtractor& operator=(const LineExtractor&) = delete;

  const std::vector<OutputColumn>& columns() const { return columns_; }
  // The RE2 pattern that runs (a grok rule's expansion); empty for jsonpath.
  const std::string& regex() const { return regex_; }

  Extraction extract(std::string_view line) const;

 private:
  LineExtractor() = default;
  Extraction extract_regex(std::string_view line) const;
  Extraction extract_json(std::string_view line) const;
  // Casts `text` (absent: NULL) into column i of `row`; false with the rejection filled when it does not fit.
  bool put(size_t i, const char* text, size_t size, nlohmann::json& row, Extraction& out) const;

  RuleKind kind_ = RuleKind::kRegex;
  std::string regex_;
  std::unique_ptr<re2::RE2> re_;
  std::vector<int> group_of_column_;  // regex: the RE2 group of each output column
  std::vector<JsonPath> paths_;       // jsonpath: one per output column
  std::vector<OutputColumn> columns_;
};

}  // namespace maas::data::rules
