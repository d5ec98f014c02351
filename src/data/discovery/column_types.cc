#include "data/discovery/column_types.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <unordered_map>

#include "common/utf8.h"
#include "data/discovery/value_type.h"

namespace maas::data::discovery {
namespace {

using Record = std::vector<std::string>;

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && (is_space(s.back()) || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

bool is_null_text(std::string_view v) {
  v = trim(v);
  static constexpr std::array<std::string_view, 9> kNulls = {"", "NA", "N/A", "null", "NULL", "None", "none", "nil", "\\N"};
  return std::find(kNulls.begin(), kNulls.end(), v) != kNulls.end();
}

bool is_bool_text(std::string_view v) {
  static constexpr std::array<std::string_view, 10> kBools = {"true", "false", "True", "False", "TRUE",
                                                             "FALSE", "yes",  "no",    "Yes",  "No"};
  return std::find(kBools.begin(), kBools.end(), v) != kBools.end();
}

bool parses_int(std::string_view v) {
  if (!v.empty() && v[0] == '+') v.remove_prefix(1);
  int64_t x = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  return !v.empty() && ec == std::errc() && end == v.data() + v.size();
}

bool parses_float(std::string_view v) {
  if (!v.empty() && v[0] == '+') v.remove_prefix(1);
  double x = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  return !v.empty() && ec == std::errc() && end == v.data() + v.size();
}

// What a column's values allow so far.
struct ColumnState {
  std::string name;
  size_t nulls = 0, values = 0;
  bool can_bool = true, can_int = true, can_float = true, formats_started = false;
  std::vector<DateFormat> formats;  // the formats every value so far has
  std::unordered_map<std::string, size_t> counts;
  bool overflow = false;  // more distinct values than the categorical limit

  void count(std::string_view v, size_t limit) {
    if (overflow) return;
    auto it = counts.find(std::string(v));
    if (it != counts.end()) ++it->second;
    else if (counts.size() > limit) overflow = true;
    else counts.emplace(std::string(v), 1);
  }
  void narrow_formats(std::string_view v) {
    if (!formats_started) {
      formats_started = true;
      for (DateFormat f = 1; f <= date_format_count(); ++f)
        if (parses_as_date(v, f)) formats.push_back(f);
      return;
    }
    std::erase_if(formats, [&](DateFormat f) { return !parses_as_date(v, f); });
  }
  void observe_text(std::string_view raw, size_t limit) {
    if (is_null_text(raw)) {
      ++nulls;
      return;
    }
    std::string_view v = trim(raw);
    ++values;
    can_bool = can_bool && is_bool_text(v);
    can_int = can_int && parses_int(v);
    can_float = can_float && parses_float(v);
    narrow_formats(v);
    count(v, limit);
  }
  void observe_json(const nlohmann::json& v, size_t limit) {
    if (v.is_null()) {
      ++nulls;
      return;
    }
    ++values;
    if (v.is_string()) {  // the producer chose text: a number in quotes stays text; a date is a date
      const std::string& s = v.get_ref<const std::string&>();
      can_bool = can_int = can_float = false;
      narrow_formats(s);
      count(s, limit);
      return;
    }
    formats_started = true;
    formats.clear();
    can_bool = can_bool && v.is_boolean();
    can_int = can_int && v.is_number_integer();
    can_float = can_float && v.is_number();
    count(v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), limit);
  }
};

ColumnSuggestion decide(const ColumnState& c, const ColumnTypeOptions& options) {
  ColumnSuggestion s;
  s.name = c.name;
  s.nulls = c.nulls;
  s.nullable = c.nulls > 0;
  s.distinct = c.counts.size();
  if (c.values == 0) s.type = "string";
  else if (c.can_bool) s.type = "bool";
  else if (c.can_int) s.type = "int64";
  else if (c.can_float) s.type = "float64";
  else if (!c.formats.empty()) {
    s.format = std::string(date_format_string(c.formats.front()));
    s.type = s.format.find("%H") == std::string::npos ? "date" : "timestamp";
  } else {
    s.type = "string";
  }
  bool discrete = s.type != "float64" && s.type != "date" && s.type != "timestamp";
  s.categorical = discrete && !c.overflow && c.values >= options.min_category_rows &&
                  c.counts.size() <= options.max_categories &&
                  static_cast<double>(c.counts.size()) <= options.max_category_ratio * static_cast<double>(c.values);
  if (s.categorical) {
    std::vector<std::pair<std::string, size_t>> sorted(c.counts.begin(), c.counts.end());
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
    for (auto& [value, n] : sorted) s.categories.push_back(value);
  }
  return s;
}

// RFC 4180 records ("" escapes a quote; quoted fields may span lines). A record cut by the sample's end is
// dropped when another came before it.
Result<std::vector<Record>> parse_delimited(std::string_view text, char delimiter, size_t max_records) {
  std::vector<Record> records;
  Record record;
  std::string field;
  bool quoted = false, in_record = false;
  size_t i = 0;
  for (; i < text.size() && records.size() < max_records; ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty()) {
      quoted = in_record = true;
    } else if (c == delimiter) {
      record.push_back(std::move(field));
      field.clear();
      in_record = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (in_record || !field.empty()) {
        record.push_back(std::move(field));
        records.push_back(std::move(record));
      }
      record.clear();
      field.clear();
      in_record = false;
    } else {
      field += c;
      in_record = true;
    }
  }
  if (quoted) {
    if (records.empty()) return invalid_argument("the sample's first record has a quote that is never closed");
  } else if ((in_record || !field.empty()) && records.size() < max_records) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return records;
}

// The delimiter whose records most often have the same number of fields (more fields on a tie).
char detect_delimiter(std::string_view text) {
  char best = ',';
  double best_score = -1;
  for (char d : {',', '\t', ';', '|'}) {
    auto records = parse_delimited(text, d, 50);
    if (!records.ok() || records->empty()) continue;
    std::map<size_t, size_t> widths;
    for (const auto& r : *records) ++widths[r.size()];
    auto mode = std::max_element(widths.begin(), widths.end(), [](auto& a, auto& b) { return a.second < b.second; });
    if (mode->first < 2) continue;
    double score = static_cast<double>(mode->second) / static_cast<double>(records->size()) + 0.001 * static_cast<double>(mode->first);
    if (score > best_score) {
      best_score = score;
      best = d;
    }
  }
  return best;
}

// The first row is a header when a cell of it does not fit its column's type, or, in an all-text table, when its
// cells are distinct names that never come back in their columns.
bool has_header(const std::vector<Record>& records, const ColumnTypeOptions& options) {
  if (records.size() < 2) return false;
  size_t width = records[0].size();
  bool all_text = true;
  for (size_t c = 0; c < width; ++c) {
    ColumnState state;
    for (size_t r = 1; r < records.size(); ++r)
      if (c < records[r].size()) state.observe_text(records[r][c], options.max_categories);
    ColumnSuggestion s = decide(state, options);
    std::string_view cell = trim(records[0][c]);
    if (s.type == "string" || state.values == 0) continue;
    all_text = false;
    ColumnState first;
    first.observe_text(cell, options.max_categories);
    ColumnSuggestion f = decide(first, options);
    bool fits = f.type == s.type || (s.type == "float64" && f.type == "int64") || is_null_text(cell);
    if (!fits) return true;
  }
  if (!all_text) return false;
  std::map<std::string, int> seen;
  for (const auto& cell : records[0]) {
    if (trim(cell).empty() || ++seen[std::string(trim(cell))] > 1) return false;
  }
  for (size_t c = 0; c < width; ++c)
    for (size_t r = 1; r < records.size(); ++r)
      if (c < records[r].size() && trim(records[r][c]) == trim(records[0][c])) return false;
  return true;
}

std::vector<std::string> unique_names(std::vector<std::string> names) {
  std::map<std::string, int> used;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) names[i] = "column_" + std::to_string(i + 1);
    std::string base = names[i];
    for (int n = 2; used[names[i]]++ > 0; ++n) names[i] = base + "_" + std::to_string(n);
  }
  return names;
}

Result<TableSuggestion> suggest_delimited(std::string_view sample, const ColumnTypeOptions& options) {
  TableSuggestion table;
  table.delimiter = detect_delimiter(sample);
  table.format = table.delimiter == '\t' ? "tsv" : "csv";
  MAAS_ASSIGN_OR_RETURN(auto records, parse_delimited(sample, table.delimiter, options.max_rows + 1));
  if (records.empty()) return invalid_argument("the sample has no rows");
  table.header = has_header(records, options);
  size_t width = 0;
  for (const auto& r : records) width = std::max(width, r.size());
  if (width > options.max_columns)
    return invalid_argument("the sample has " + std::to_string(width) + " columns; at most " +
                            std::to_string(options.max_columns) + " are read");
  std::vector<std::string> names(width);
  if (table.header)
    for (size_t c = 0; c < records[0].size(); ++c) names[c] = std::string(trim(records[0][c]));
  names = unique_names(std::move(names));
  std::vector<ColumnState> columns(width);
  for (size_t c = 0; c < width; ++c) columns[c].name = names[c];
  for (size_t r = table.header ? 1 : 0; r < records.size() && table.rows < options.max_rows; ++r, ++table.rows)
    for (size_t c = 0; c < width; ++c) columns[c].observe_text(c < records[r].size() ? records[r][c] : "", options.max_categories);
  for (const auto& c : columns) table.columns.push_back(decide(c, options));
  return table;
}

void flatten(const nlohmann::json& object, const std::string& prefix, int depth,
             std::vector<std::pair<std::string, const nlohmann::json*>>& out) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    std::string name = prefix.empty() ? it.key() : prefix + "." + it.key();
    if (it.value().is_object() && depth < 4 && !it.value().empty()) flatten(it.value(), name, depth + 1, out);
    else out.emplace_back(std::move(name), &it.value());
  }
}

Result<TableSuggestion> suggest_json_lines(std::string_view sample, const ColumnTypeOptions& options) {
  TableSuggestion table;
  table.format = "jsonl";
  std::vector<ColumnState> columns;
  std::unordered_map<std::string, size_t> index;
  size_t line_number = 0;
  for (size_t start = 0; start < sample.size() && table.rows < options.max_rows;) {
    size_t end = sample.find('\n', start);
    if (end == std::string_view::npos) end = sample.size();
    std::string_view line = trim(sample.substr(start, end - start));
    start = end + 1;
    ++line_number;
    if (line.empty()) continue;
    nlohmann::json object = nlohmann::json::parse(line, nullptr, false);
    if (object.is_discarded() || !object.is_object()) {
      if (end == sample.size() && table.rows > 0) break;  // the sample cut its last line
      return invalid_argument("line " + std::to_string(line_number) + " of the sample is not a JSON object");
    }
    std::vector<std::pair<std::string, const nlohmann::json*>> fields;
    flatten(object, "", 0, fields);
    std::vector<bool> present(columns.size(), false);
    for (const auto& [name, value] : fields) {
      auto [it, inserted] = index.try_emplace(name, columns.size());
      if (inserted) {
        if (columns.size() >= options.max_columns)
          return invalid_argument("the sample has more than " + std::to_string(options.max_columns) + " columns");
        columns.emplace_back();
        columns.back().name = name;
        columns.back().nulls = table.rows;  // absent from the rows before
        present.push_back(false);
      }
      columns[it->second].observe_json(*value, options.max_categories);
      present[it->second] = true;
    }
    for (size_t c = 0; c < columns.size(); ++c)
      if (!present[c]) ++columns[c].nulls;
    ++table.rows;
  }
  if (table.rows == 0) return invalid_argument("the sample has no rows");
  for (const auto& c : columns) table.columns.push_back(decide(c, options));
  return table;
}

}  // namespace

Result<TableSuggestion> suggest_column_types(std::string_view sample, const ColumnTypeOptions& options) {
  std::string_view body = trim(sample);
  if (body.empty()) return invalid_argument("the sample is empty");
  if (body.front() == '{') return suggest_json_lines(sample, options);
  return suggest_delimited(sample, options);
}

nlohmann::json table_suggestion_to_json(const TableSuggestion& table) {
  nlohmann::json columns = nlohmann::json::array();
  for (const auto& c : table.columns) {
    // Names and categories are the sample's own bytes, which need not be UTF-8; nlohmann's dump() throws on those.
    nlohmann::json categories = nlohmann::json::array();
    for (const auto& category : c.categories) categories.push_back(to_valid_utf8(category));
    nlohmann::json col = {{"name", to_valid_utf8(c.name)}, {"type", c.type},   {"nullable", c.nullable},
                          {"categorical", c.categorical},  {"nulls", c.nulls}, {"distinct", c.distinct}};
    if (!c.format.empty()) col["format"] = c.format;
    if (c.categorical) col["categories"] = std::move(categories);
    columns.push_back(std::move(col));
  }
  nlohmann::json out = {{"format", table.format}, {"rows", table.rows}, {"columns", std::move(columns)}};
  if (table.format != "jsonl") {
    out["delimiter"] = std::string(1, table.delimiter);
    out["header"] = table.header;
  }
  return out;
}

}  // namespace maas::data::discovery
