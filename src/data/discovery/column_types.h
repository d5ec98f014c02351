// Column types for a tabular sample (CSV, TSV or JSON lines): for each column its type (int64, float64, bool,
// date or timestamp with the format its values have, string), whether it has nulls, and whether it is
// categorical (few distinct values for many rows). The data center proposes these as a dataset's schema.
// Thread-safety: a pure function.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace maas::data::discovery {

struct ColumnTypeOptions {
  size_t max_rows = 10000;     // rows read from the sample; the rest is ignored
  size_t max_columns = 1000;
  size_t max_categories = 50;  // a categorical column has at most this many distinct values ...
  double max_category_ratio = 0.2;  // ... and at most this share of its non-null rows
  size_t min_category_rows = 10;    // below this many non-null rows nothing is called categorical
};

struct ColumnSuggestion {
  std::string name;
  std::string type;    // int64, float64, bool, date, timestamp, string
  std::string format;  // date and timestamp: strftime-style ("%Y-%m-%d %H:%M:%S")
  bool nullable = false;
  bool categorical = false;
  size_t nulls = 0;
  size_t distinct = 0;  // distinct non-null values, counted up to max_categories + 1
  std::vector<std::string> categories;  // a categorical column's values, the most frequent first
};

struct TableSuggestion {
  std::string format;    // csv, tsv, jsonl
  char delimiter = ',';  // csv, tsv
  bool header = false;   // csv, tsv: the first row names the columns
  size_t rows = 0;       // data rows read
  std::vector<ColumnSuggestion> columns;
};

// INVALID_ARGUMENT for an empty sample, a JSON line that is not an object, an unclosed quote, or more columns than
// max_columns.
Result<TableSuggestion> suggest_column_types(std::string_view sample, const ColumnTypeOptions& options = {});

nlohmann::json table_suggestion_to_json(const TableSuggestion& table);

}  // namespace maas::data::discovery
