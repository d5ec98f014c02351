#include "data/datasets/import_options.h"

#include <cctype>

#include "common/json_fields.h"

namespace maas::data {
namespace {

using nlohmann::json;

// A type name as a column override may give it: a word (or one of SQL's multi-word names), then an optional (n) or
// (n, m), then any number of []. Nothing else can reach the SQL the import builds (no quotes, no operators, no calls).
bool is_simple_type_name(std::string_view t) {
  if (t.empty() || t.size() > 64) return false;
  size_t i = 0;
  std::string upper;
  for (char c : t) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (std::string_view phrase : {"TIMESTAMP WITH TIME ZONE", "TIME WITH TIME ZONE", "DOUBLE PRECISION",
                                  "CHARACTER VARYING"}) {
    if (std::string_view(upper).starts_with(phrase)) i = phrase.size();
  }
  if (i == 0) {
    if (!std::isalpha(static_cast<unsigned char>(t[0]))) return false;
    while (i < t.size() && (std::isalnum(static_cast<unsigned char>(t[i])) || t[i] == '_')) ++i;
  }
  auto number = [&] {
    size_t start = i;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
    return i > start;
  };
  if (i < t.size() && t[i] == '(') {
    ++i;
    if (!number()) return false;
    if (i < t.size() && t[i] == ',') {
      ++i;
      while (i < t.size() && t[i] == ' ') ++i;
      if (!number()) return false;
    }
    if (i >= t.size() || t[i] != ')') return false;
    ++i;
  }
  while (i + 1 < t.size() && t[i] == '[' && t[i + 1] == ']') i += 2;
  return i == t.size();
}

Status check_one_line(const std::optional<std::string>& value, const char* what, size_t max_bytes) {
  if (!value) return {};
  if (value->size() > max_bytes) {
    return invalid_argument(std::string(what) + " must be at most " + std::to_string(max_bytes) + " bytes");
  }
  if (value->find_first_of("\r\n") != std::string::npos || value->find('\0') != std::string::npos) {
    return invalid_argument(std::string(what) + " must not contain a line break or NUL");
  }
  return {};
}

Result<std::optional<std::string>> optional_string(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) return invalid_argument(std::string("'") + key + "' must be a string");
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::optional<int64_t>> optional_integer(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::optional<int64_t>();
  if (!it->is_number_integer()) return invalid_argument(std::string("'") + key + "' must be an integer");
  return std::optional<int64_t>(it->get<int64_t>());
}

}  // namespace

std::string_view format_name(FileFormat format) {
  switch (format) {
    case FileFormat::kCsv: return "csv";
    case FileFormat::kTsv: return "tsv";
    case FileFormat::kJsonl: return "jsonl";
    case FileFormat::kParquet: return "parquet";
  }
  return "csv";
}

Result<FileFormat> parse_format(std::string_view name) {
  for (FileFormat f : {FileFormat::kCsv, FileFormat::kTsv, FileFormat::kJsonl, FileFormat::kParquet}) {
    if (name == format_name(f)) return f;
  }
  return invalid_argument("format must be csv, tsv, jsonl or parquet, got '" + std::string(name) + "'");
}

Result<FileFormat> format_from_path(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".csv") return FileFormat::kCsv;
  if (ext == ".tsv" || ext == ".tab") return FileFormat::kTsv;
  if (ext == ".jsonl" || ext == ".ndjson" || ext == ".json") return FileFormat::kJsonl;
  if (ext == ".parquet" || ext == ".pq") return FileFormat::kParquet;
  return invalid_argument("cannot tell the format of '" + path.filename().string() +
                          "' from its extension; name it (csv, tsv, jsonl or parquet)");
}

Status ImportOptions::validate() const {
  MAAS_RETURN_IF_ERROR(check_one_line(delimiter, "delimiter", 4));
  if (delimiter && delimiter->empty()) return invalid_argument("delimiter must not be empty");
  MAAS_RETURN_IF_ERROR(check_one_line(quote, "quote", 1));
  MAAS_RETURN_IF_ERROR(check_one_line(escape, "escape", 1));
  MAAS_RETURN_IF_ERROR(check_one_line(null_string, "null_string", 256));
  MAAS_RETURN_IF_ERROR(check_one_line(date_format, "date_format", 128));
  MAAS_RETURN_IF_ERROR(check_one_line(timestamp_format, "timestamp_format", 128));
  if (format == FileFormat::kParquet && (delimiter || header || quote || escape || null_string ||
                                         !date_format.empty() || !timestamp_format.empty())) {
    return invalid_argument("Parquet files carry their own types; delimiter, header, quote, escape, null_string and "
                            "date formats apply to CSV, TSV and JSONL only");
  }
  if (format == FileFormat::kJsonl && (delimiter || header || quote || escape || null_string)) {
    return invalid_argument("delimiter, header, quote, escape and null_string apply to CSV and TSV only");
  }
  if (column_types.size() > 4096) return invalid_argument("at most 4096 column types may be given");
  for (const auto& [column, type] : column_types) {
    if (column.empty() || column.size() > 256) return invalid_argument("column names in column_types must be 1-256 bytes");
    if (!is_simple_type_name(type)) {
      return invalid_argument("column_types['" + column + "'] = '" + type +
                              "' is not a type name (e.g. BIGINT, DOUBLE, VARCHAR, DATE, TIMESTAMP, DECIMAL(12,2))");
    }
  }
  if (max_line_bytes < 1024 || max_line_bytes > (uint64_t{1} << 30)) {
    return invalid_argument("max_line_bytes must be between 1024 and 1073741824");
  }
  if (sample_rows < 1 || sample_rows > 100'000'000) return invalid_argument("sample_rows must be between 1 and 100000000");
  if (max_rejected_rows < 0) return invalid_argument("max_rejected_rows must be 0 (no limit) or more");
  return {};
}

Result<ImportOptions> import_options_from_json(const json& j, FileFormat default_format) {
  if (j.is_null()) {
    ImportOptions options;
    options.format = default_format;
    if (options.format == FileFormat::kTsv) options.delimiter = "\t";
    return options;
  }
  MAAS_RETURN_IF_ERROR(check_known_fields(j, "", {"format", "delimiter", "header", "quote", "escape", "null_string",
                                                  "column_types", "date_format", "timestamp_format", "max_line_bytes",
                                                  "sample_rows", "max_rejected_rows"}));
  ImportOptions options;
  MAAS_ASSIGN_OR_RETURN(auto format, optional_string(j, "format"));
  if (format) {
    MAAS_ASSIGN_OR_RETURN(options.format, parse_format(*format));
  } else {
    options.format = default_format;
  }
  MAAS_ASSIGN_OR_RETURN(options.delimiter, optional_string(j, "delimiter"));
  if (!options.delimiter && options.format == FileFormat::kTsv) options.delimiter = "\t";
  if (auto it = j.find("header"); it != j.end() && !it->is_null()) {
    if (!it->is_boolean()) return invalid_argument("'header' must be true or false");
    options.header = it->get<bool>();
  }
  MAAS_ASSIGN_OR_RETURN(options.quote, optional_string(j, "quote"));
  MAAS_ASSIGN_OR_RETURN(options.escape, optional_string(j, "escape"));
  MAAS_ASSIGN_OR_RETURN(options.null_string, optional_string(j, "null_string"));
  if (auto it = j.find("column_types"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) return invalid_argument("'column_types' must be an object of column name to type name");
    for (const auto& [column, type] : it->items()) {
      if (!type.is_string()) return invalid_argument("column_types['" + column + "'] must be a string");
      options.column_types[column] = type.get<std::string>();
    }
  }
  MAAS_ASSIGN_OR_RETURN(auto date_format, optional_string(j, "date_format"));
  options.date_format = date_format.value_or("");
  MAAS_ASSIGN_OR_RETURN(auto timestamp_format, optional_string(j, "timestamp_format"));
  options.timestamp_format = timestamp_format.value_or("");
  MAAS_ASSIGN_OR_RETURN(auto max_line, optional_integer(j, "max_line_bytes"));
  if (max_line) {
    if (*max_line < 0) return invalid_argument("max_line_bytes must be between 1024 and 1073741824");
    options.max_line_bytes = static_cast<uint64_t>(*max_line);
  }
  MAAS_ASSIGN_OR_RETURN(auto sample, optional_integer(j, "sample_rows"));
  if (sample) options.sample_rows = *sample;
  MAAS_ASSIGN_OR_RETURN(auto max_rejected, optional_integer(j, "max_rejected_rows"));
  if (max_rejected) options.max_rejected_rows = *max_rejected;
  MAAS_RETURN_IF_ERROR(options.validate());
  return options;
}

json import_options_to_json(const ImportOptions& options) {
  json j = {{"format", format_name(options.format)}, {"max_line_bytes", options.max_line_bytes},
            {"sample_rows", options.sample_rows}};
  if (options.delimiter) j["delimiter"] = *options.delimiter;
  if (options.header) j["header"] = *options.header;
  if (options.quote) j["quote"] = *options.quote;
  if (options.escape) j["escape"] = *options.escape;
  if (options.null_string) j["null_string"] = *options.null_string;
  if (!options.column_types.empty()) j["column_types"] = options.column_types;
  if (!options.date_format.empty()) j["date_format"] = options.date_format;
  if (!options.timestamp_format.empty()) j["timestamp_format"] = options.timestamp_format;
  if (options.max_rejected_rows > 0) j["max_rejected_rows"] = options.max_rejected_rows;
  return j;
}

}  // namespace maas::data
