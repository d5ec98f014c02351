#include "data/api/import_query.h"

#include <algorithm>
#include <charconv>
#include <map>

#include <nlohmann/json.hpp>

namespace maas::data::api {
namespace {

using nlohmann::json;

constexpr const char* kStringOptions[] = {"format", "delimiter", "quote", "escape", "null_string", "date_format",
                                          "timestamp_format"};
constexpr const char* kIntegerOptions[] = {"max_line_bytes", "sample_rows", "max_rejected_rows"};
constexpr const char* kOtherParameters[] = {"header", "column_type", "filename", "description", "tag"};
constexpr const char* kRepeatable[] = {"column_type", "tag"};

template <size_t N>
bool one_of(const std::string& name, const char* const (&names)[N]) {
  return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

std::string known_parameters() {
  std::string out;
  for (const char* n : kStringOptions) out += std::string(out.empty() ? "" : ", ") + n;
  for (const char* n : kIntegerOptions) out += std::string(", ") + n;
  for (const char* n : kOtherParameters) out += std::string(", ") + n;
  return out;
}

Result<int64_t> whole_number(const std::string& name, const std::string& text) {
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    return invalid_argument(name + " must be a whole number, got '" + text + "'");
  }
  return value;
}

// "name:value", split at the last ':' for column types (a type has none; a column name may), at the first for tags.
Result<std::pair<std::string, std::string>> split_pair(const std::string& name, const std::string& text, bool last) {
  size_t colon = last ? text.rfind(':') : text.find(':');
  if (colon == std::string::npos || colon == 0) {
    return invalid_argument(name + " must be 'name:value', got '" + text + "'");
  }
  return std::make_pair(text.substr(0, colon), text.substr(colon + 1));
}

// The format a Content-Type names, if it names one.
std::optional<FileFormat> format_of_content_type(const std::optional<std::string>& content_type) {
  if (!content_type) return std::nullopt;
  std::string type = content_type->substr(0, content_type->find(';'));
  type.erase(type.find_last_not_of(" \t") + 1);
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  static const std::map<std::string, FileFormat> kTypes = {
      {"text/csv", FileFormat::kCsv},
      {"text/tab-separated-values", FileFormat::kTsv},
      {"application/x-ndjson", FileFormat::kJsonl},
      {"application/jsonl", FileFormat::kJsonl},
      {"application/json-lines", FileFormat::kJsonl},
      {"application/vnd.apache.parquet", FileFormat::kParquet},
      {"application/x-parquet", FileFormat::kParquet},
  };
  auto it = kTypes.find(type);
  if (it == kTypes.end()) return std::nullopt;
  return it->second;
}

Status check_filename(const std::string& filename) {
  if (filename.empty() || filename.size() > 255) return invalid_argument("filename must be 1-255 bytes");
  for (unsigned char c : filename) {
    if (c < 0x20 || c == 0x7f || c == '/' || c == '\\') {
      return invalid_argument("filename must be a plain file name (no path, no control characters)");
    }
  }
  return {};
}

}  // namespace

Result<ImportRequest> import_request_from_query(const std::vector<std::pair<std::string, std::string>>& query,
                                                const std::optional<std::string>& content_type) {
  json options = json::object();
  ImportRequest request;
  std::optional<std::string> filename;
  std::map<std::string, int> seen;
  for (const auto& [name, value] : query) {
    if (++seen[name] > 1 && !one_of(name, kRepeatable)) {
      return invalid_argument("query parameter '" + name + "' is given more than once");
    }
    if (one_of(name, kStringOptions)) {
      // A tab is hard to type in a URL: \t stands for it.
      options[name] = name == "delimiter" && value == "\\t" ? std::string("\t") : value;
    } else if (one_of(name, kIntegerOptions)) {
      MAAS_ASSIGN_OR_RETURN(options[name], whole_number(name, value));
    } else if (name == "header") {
      if (value != "true" && value != "false") return invalid_argument("header must be true or false, got '" + value + "'");
      options["header"] = value == "true";
    } else if (name == "column_type") {
      MAAS_ASSIGN_OR_RETURN(auto pair, split_pair(name, value, /*last=*/true));
      if (options.contains("column_types") && options["column_types"].contains(pair.first)) {
        return invalid_argument("column_type names column '" + pair.first + "' twice");
      }
      options["column_types"][pair.first] = pair.second;
    } else if (name == "filename") {
      MAAS_RETURN_IF_ERROR(check_filename(value));
      filename = value;
    } else if (name == "description") {
      if (value.size() > 8192) return invalid_argument("description is over 8192 characters");
      request.description = value;
    } else if (name == "tag") {
      MAAS_ASSIGN_OR_RETURN(auto pair, split_pair(name, value, /*last=*/false));
      request.tags[pair.first] = pair.second;
    } else {
      return invalid_argument("unknown query parameter '" + name + "'; an upload takes " + known_parameters());
    }
  }
  FileFormat format = FileFormat::kCsv;
  if (!options.contains("format")) {
    if (auto from_type = format_of_content_type(content_type)) {
      format = *from_type;
    } else if (filename) {
      MAAS_ASSIGN_OR_RETURN(format, format_from_path(*filename));
    } else {
      return invalid_argument("name the file's format: ?format=csv, tsv, jsonl or parquet (or give ?filename= with "
                              "its extension, or a Content-Type such as text/csv)");
    }
  }
  MAAS_ASSIGN_OR_RETURN(request.options, import_options_from_json(options, format));
  request.source = filename ? "upload:" + *filename : "upload";
  return request;
}

}  // namespace maas::data::api
