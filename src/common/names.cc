#include "common/names.h"

#include <charconv>
#include <string>

namespace maas {
namespace {

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

Status validate_name(std::string_view name, std::string_view what) {
  std::string prefix = std::string(what) + " name ";
  if (name.empty()) return invalid_argument(prefix + "is empty; use 1-63 characters from [a-z0-9._-]");
  if (name.size() > 63) {
    return invalid_argument(prefix + "is " + std::to_string(name.size()) + " characters; the limit is 63");
  }
  if (!is_lower_alnum(name[0])) {
    return invalid_argument(prefix + "'" + std::string(name) + "' must start with a lowercase letter or a digit");
  }
  for (char c : name) {
    if (!is_lower_alnum(c) && c != '.' && c != '_' && c != '-') {
      return invalid_argument(prefix + "'" + std::string(name) +
                              "' may only contain lowercase letters, digits, '.', '_' and '-'");
    }
  }
  return {};
}

Status validate_alias(std::string_view alias) {
  MAAS_RETURN_IF_ERROR(validate_name(alias, "alias"));
  long long n = 0;
  if (parse_version_number(alias, &n) || alias.find_first_not_of("0123456789") == std::string_view::npos) {
    return invalid_argument("alias '" + std::string(alias) + "' is all digits and would be read as a version number");
  }
  if (alias == "latest") return invalid_argument("alias 'latest' is reserved: it always means the newest version");
  return {};
}

Status validate_tags(const std::map<std::string, std::string>& tags) {
  if (tags.size() > 64) return invalid_argument("at most 64 tags are allowed");
  for (const auto& [k, v] : tags) {
    if (k.empty() || k.size() > 128) return invalid_argument("tag keys must be 1-128 characters");
    if (v.size() > 1024) return invalid_argument("tag '" + k + "' has a value over 1024 characters");
  }
  return {};
}

bool parse_version_number(std::string_view text, long long* out) {
  if (text.empty() || text.size() > 18) return false;
  long long value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value <= 0) return false;
  *out = value;
  return true;
}

}  // namespace maas
