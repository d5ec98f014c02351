// Parsing of key=value flags, tag filters, metrics and version references.
#include "cli/arguments.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "common/names.h"

namespace maas::cli {

Result<std::pair<std::string, std::string>> parse_key_value(std::string_view text, std::string_view what) {
  const size_t eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return invalid_argument(std::string(what) + " '" + std::string(text) + "' must look like key=value");
  }
  return std::pair{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

Result<std::map<std::string, std::string>> parse_tags(const std::vector<std::string>& items) {
  std::map<std::string, std::string> tags;
  for (const auto& item : items) {
    MAAS_ASSIGN_OR_RETURN(auto pair, parse_key_value(item, "--tag"));
    if (!tags.emplace(pair.first, pair.second).second) {
      return invalid_argument("--tag '" + pair.first + "' is given more than once");
    }
  }
  return tags;
}

Result<std::map<std::string, double>> parse_metrics(const std::vector<std::string>& items) {
  std::map<std::string, double> metrics;
  for (const auto& item : items) {
    MAAS_ASSIGN_OR_RETURN(auto pair, parse_key_value(item, "--metric"));
    const std::string& text = pair.second;
    char* end = nullptr;
    errno = 0;
    const double value = text.empty() ? 0.0 : std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(value)) {
      return invalid_argument("--metric '" + item + "': the value must be a finite number");
    }
    if (!metrics.emplace(pair.first, value).second) {
      return invalid_argument("--metric '" + pair.first + "' is given more than once");
    }
  }
  return metrics;
}

Result<std::string> tag_filter_query_value(std::string_view text) {
  if (text.empty() || text.front() == '=') {
    return invalid_argument("--tag '" + std::string(text) + "' must look like key or key=value");
  }
  const size_t eq = text.find('=');
  if (eq == std::string_view::npos) return std::string(text);
  // The API separates key and value with ':' in the query (`tag=key:value`).
  return std::string(text.substr(0, eq)) + ":" + std::string(text.substr(eq + 1));
}

Result<VersionTarget> parse_version_target(std::string_view first, const std::optional<std::string>& second) {
  const size_t at = first.find('@');
  if (at != std::string_view::npos) {
    if (second.has_value()) {
      return invalid_argument("give either MODEL REF or MODEL@REF, not both ('" + std::string(first) + "' and '" +
                              *second + "')");
    }
    VersionTarget target{std::string(first.substr(0, at)), std::string(first.substr(at + 1))};
    if (target.model.empty() || target.ref.empty()) {
      return invalid_argument("'" + std::string(first) + "' must look like MODEL@ALIAS or MODEL@VERSION");
    }
    return target;
  }
  if (!second.has_value() || second->empty()) {
    return invalid_argument("missing the version: give MODEL REF (a number, an alias or 'latest') or MODEL@REF");
  }
  return VersionTarget{std::string(first), *second};
}

Result<VersionTarget> parse_optional_version_target(std::string_view text, const std::optional<std::string>& version) {
  const size_t at = text.find('@');
  if (at == std::string_view::npos) {
    if (text.empty()) return invalid_argument("the model name must not be empty");
    if (version.has_value() && version->empty()) return invalid_argument("--version must not be empty");
    return VersionTarget{std::string(text), version.value_or("")};
  }
  if (version.has_value()) {
    return invalid_argument("give either MODEL@REF or --version, not both ('" + std::string(text) + "' and --version " +
                            *version + ")");
  }
  VersionTarget target{std::string(text.substr(0, at)), std::string(text.substr(at + 1))};
  if (target.model.empty() || target.ref.empty()) {
    return invalid_argument("'" + std::string(text) + "' must look like MODEL, MODEL@ALIAS or MODEL@VERSION");
  }
  return target;
}

Result<std::vector<int>> parse_positive_int_list(std::string_view text, std::string_view what) {
  std::vector<int> values;
  const auto bad = [&] {
    return invalid_argument(std::string(what) + " '" + std::string(text) +
                            "' must be positive integers separated by commas, like 4,8");
  };
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view item = text.substr(start, comma - start);
    int value = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size() || value <= 0) return bad();
    values.push_back(value);
    start = comma + 1;
  }
  return values;
}

Result<long long> parse_version_argument(std::string_view text) {
  long long version = 0;
  if (!parse_version_number(text, &version)) {
    return invalid_argument("VERSION must be a positive version number, got '" + std::string(text) + "'");
  }
  return version;
}

}  // namespace maas::cli
