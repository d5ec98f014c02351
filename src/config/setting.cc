#include "config/setting.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace maas::config {

// "a,b,,c" -> {"a", "b", "c"}: a setting that lists paths (empty items are skipped).
std::vector<std::string> comma_list(const std::string& text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = std::min(text.find(',', start), text.size());
    if (comma > start) items.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return items;
}

// comma_list with the blanks around each item removed ("a, b" -> {"a", "b"}).
std::vector<std::string> trimmed_list(const std::string& text) {
  std::vector<std::string> items;
  for (auto& item : comma_list(text)) {
    size_t first = item.find_first_not_of(" \t"), last = item.find_last_not_of(" \t");
    if (first != std::string::npos) items.push_back(item.substr(first, last - first + 1));
  }
  return items;
}

Result<int64_t> parse_int(const std::string& key, const std::string& text, int64_t min, int64_t max) {
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    return invalid_argument(key + ": '" + text + "' is not a whole number");
  }
  if (value < min || value > max) {
    return invalid_argument(key + ": " + text + " is out of range [" + std::to_string(min) + ", " +
                            std::to_string(max) + "]");
  }
  return value;
}

Result<uint64_t> parse_size_for(const std::string& key, const std::string& text) {
  auto size = parse_size(text);
  if (!size.ok()) return invalid_argument(key + ": " + size.status().message());
  return size;
}

Setter duration_ms(int64_t ServerConfig::*field, const char* key) {
  return [field, key](ServerConfig& c, const std::string& v) -> Status {
    MAAS_ASSIGN_OR_RETURN(c.*field, parse_int(key, v, 1, 7LL * 24 * 3600 * 1000));
    return {};
  };
}

Setter size_bytes(uint64_t ServerConfig::*field, const char* key) {
  return [field, key](ServerConfig& c, const std::string& v) -> Status {
    MAAS_ASSIGN_OR_RETURN(c.*field, parse_size_for(key, v));
    if (c.*field == 0) return invalid_argument(std::string(key) + ": must be greater than 0");
    return {};
  };
}

// A size where 0 means "none" (a budget or limit that is off).
Setter size_or_zero(uint64_t ServerConfig::*field, const char* key) {
  return [field, key](ServerConfig& c, const std::string& v) -> Status {
    MAAS_ASSIGN_OR_RETURN(c.*field, parse_size_for(key, v));
    return {};
  };
}

Setter flag(bool ServerConfig::*field, const char* key) {
  return [field, key](ServerConfig& c, const std::string& v) -> Status {
    if (v != "true" && v != "false") return invalid_argument(std::string(key) + ": '" + v + "' is not true or false");
    c.*field = v == "true";
    return {};
  };
}

// A string; `required`: it must not be empty.
Setter text(std::string ServerConfig::*field, const char* key, bool required) {
  return [field, key, required](ServerConfig& c, const std::string& v) -> Status {
    if (required && v.empty()) return invalid_argument(std::string(key) + ": must not be empty");
    c.*field = v;
    return {};
  };
}

// A duration where 0 means "no limit" and years are fine (retention).
Setter long_duration_ms(int64_t ServerConfig::*field, const char* key) {
  return [field, key](ServerConfig& c, const std::string& v) -> Status {
    MAAS_ASSIGN_OR_RETURN(c.*field, parse_int(key, v, 0, 100LL * 365 * 24 * 3600 * 1000));
    return {};
  };
}

Setter int_setting(int ServerConfig::*field, const char* key, int64_t min, int64_t max) {
  return [field, key, min, max](ServerConfig& c, const std::string& v) -> Status {
    MAAS_ASSIGN_OR_RETURN(int64_t n, parse_int(key, v, min, max));
    c.*field = static_cast<int>(n);
    return {};
  };
}

Setter whole_number(int64_t ServerConfig::*field, const char* key, int64_t min, int64_t max) {
  return [field, key, min, max](ServerConfig& c, const std::string& v) -> Status {
    MAAS_ASSIGN_OR_RETURN(c.*field, parse_int(key, v, min, max));
    return {};
  };
}

Setter absolute_paths(std::vector<std::filesystem::path> ServerConfig::*field, const char* key) {
  return [field, key](ServerConfig& c, const std::string& v) -> Status {
    std::vector<std::filesystem::path> paths;
    for (const auto& path : comma_list(v)) {
      if (path.front() != '/') return invalid_argument(std::string(key) + ": '" + path + "' is not an absolute path");
      paths.emplace_back(path);
    }
    c.*field = std::move(paths);
    return {};
  };
}

Result<uint64_t> parse_size(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == 0) return invalid_argument("'" + text + "' is not a size (e.g. 1024, 512KiB, 8GiB)");
  uint64_t number = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + i, number);
  if (ec != std::errc()) return invalid_argument("'" + text + "' is too large");
  std::string unit = text.substr(i);
  while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  static const std::pair<const char*, uint64_t> kUnits[] = {
      {"", 1},           {"B", 1},           {"KiB", 1ull << 10}, {"MiB", 1ull << 20}, {"GiB", 1ull << 30},
      {"TiB", 1ull << 40}, {"KB", 1000},      {"MB", 1000'000},   {"GB", 1000'000'000}, {"K", 1ull << 10},
      {"M", 1ull << 20}, {"G", 1ull << 30}};
  for (const auto& [name, factor] : kUnits) {
    if (unit == name) {
      if (number > UINT64_MAX / factor) return invalid_argument("'" + text + "' is too large");
      return number * factor;
    }
  }
  return invalid_argument("'" + text + "' has an unknown unit; use B, KiB, MiB, GiB, TiB, KB, MB or GB");
}

}  // namespace maas::config
