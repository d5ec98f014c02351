// Running a rule over rows in DuckDB: the input is a relation (a dataset version's snapshot, a source's rows file, a
// sample) and the output a Parquet snapshot of the rule's typed columns plus, when rows were rejected, a rejects file
// with the import's columns (datasets/import.h: line, column_name, error_type, error_message, raw_line). Regex, grok
// and jsonpath rules read the input's `field` column line by line in C++ (RE2, nlohmann); sql rules run as one
// SELECT over the view `source`, wrapped so that only a query can run, on a database that may read the input only.
//
// Thread-safety: uses the connection it is given (one thread at a time).
#pragma once

#include <string>

#include "common/status.h"
#include "data/datasets/import.h"
#include "data/engine/connection.h"
#include "data/rules/rule.h"

namespace maas::data::rules {

struct ApplyResult {
  int64_t input_rows = 0;
  int64_t rows = 0;
  int64_t rejected_rows = 0;
  bool wrote_rejects = false;
};

// Writes target.snapshot (always) and target.rejects (when rows were rejected); target.scratch and files beside it
// named from it are used and removed. INVALID_ARGUMENT when the input lacks the rule's field, or for SQL that DuckDB
// refuses (its message), or SQL that reads anything but `source`.
Result<ApplyResult> apply_rule(engine::Connection& connection, const RuleSpec& rule, const RuleLimits& limits,
                               const std::string& input_relation, const ImportTarget& target);

// Parses a sql rule's SQL without any input (in DuckDB, reading no file): INVALID_ARGUMENT with the parser's message
// unless it is exactly one SELECT. Whether its columns exist is known only once it runs over an input.
Status check_sql_parses(const std::string& sql);

// The SELECT a sql rule runs (the view `source` must exist): the user's query with the columns' casts applied, and
// `__maas_bad` naming the first column whose value did not convert (NULL when none did not) and `__maas_raw` that
// row's values before the casts (JSON).
std::string sql_rule_select(const RuleSpec& rule);

}  // namespace maas::data::rules
