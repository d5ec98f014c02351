// Parsing of command-line values that CLI11 sees as plain strings: key=value pairs, tag filters, metrics,
// version references and version numbers. Errors are INVALID_ARGUMENT and end the command with exit code 2.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace maas::cli {

// "team=risk" -> {"team", "risk"}. The key must not be empty; the value may be, and may contain '='.
Result<std::pair<std::string, std::string>> parse_key_value(std::string_view text, std::string_view what);

// Repeated `--tag k=v` flags as the tags object of a request. A key given twice is an error, not a silent overwrite.
Result<std::map<std::string, std::string>> parse_tags(const std::vector<std::string>& items);

// `--metric auc=0.97` flags as the metrics object of a request; each value must be a finite number.
Result<std::map<std::string, double>> parse_metrics(const std::vector<std::string>& items);

// `--tag k` or `--tag k=v` on `models list`, as the API's `tag` query value ("k" or "k:v").
Result<std::string> tag_filter_query_value(std::string_view text);

// A model and a version reference given as `MODEL REF` or as the single argument `MODEL@REF`.
struct VersionTarget {
  std::string model;
  std::string ref;  // a version number, an alias, or "latest"
};
Result<VersionTarget> parse_version_target(std::string_view first, const std::optional<std::string>& second);

// `MODEL`, `MODEL@REF` or `MODEL` with `--version REF`, for the runtime commands where the version is optional:
// `ref` is empty when none is given. Both forms at once is an error.
Result<VersionTarget> parse_optional_version_target(std::string_view text, const std::optional<std::string>& version);

// "4,8,16" -> {4, 8, 16}: positive integers separated by commas, as `--preferred-batch-sizes` takes them.
Result<std::vector<int>> parse_positive_int_list(std::string_view text, std::string_view what);

// A positive version number, as `alias set` needs it.
Result<long long> parse_version_argument(std::string_view text);

}  // namespace maas::cli
