// How one setting is read: the helpers that turn a raw value into a field of ServerConfig with a message naming
// the setting, shared by server_config.cc (the table) and the files that hold a component's section
// (job_settings.cc). Internal to config/.
// Thread-safety: stateless.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "config/server_config.h"

namespace maas::config {

using Setter = std::function<Status(ServerConfig&, const std::string&)>;

struct Setting {
  SettingInfo info;
  Setter set;
};

// "a,b,,c" -> {"a", "b", "c"}: a setting that lists paths (empty items are skipped).
std::vector<std::string> comma_list(const std::string& text);
Result<int64_t> parse_int(const std::string& key, const std::string& text, int64_t min, int64_t max);
Result<uint64_t> parse_size_for(const std::string& key, const std::string& text);

Setter duration_ms(int64_t ServerConfig::*field, const char* key);        // 1 ms to a week
Setter size_bytes(uint64_t ServerConfig::*field, const char* key);        // "256MiB"; more than 0
Setter flag(bool ServerConfig::*field, const char* key);                  // true or false
Setter text(std::string ServerConfig::*field, const char* key, bool required);
Setter long_duration_ms(int64_t ServerConfig::*field, const char* key);   // 0 (no limit) to a century
Setter int_setting(int ServerConfig::*field, const char* key, int64_t min, int64_t max);
Setter whole_number(int64_t ServerConfig::*field, const char* key, int64_t min, int64_t max);

// The supervisor.* and jobs.* sections.
std::vector<Setting> job_settings();

}  // namespace maas::config
