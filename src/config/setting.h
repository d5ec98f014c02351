// How one setting is read: the helpers that turn a raw value into a field of ServerConfig with a message naming
// the setting (setting.cc), shared by server_config.cc (the table) and the files that hold a component's section
// (log_settings.cc, job_settings.cc). Internal to config/.
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
// comma_list with the blanks around each item removed ("a, b" -> {"a", "b"}).
std::vector<std::string> trimmed_list(const std::string& text);
Result<int64_t> parse_int(const std::string& key, const std::string& text, int64_t min, int64_t max);
Result<uint64_t> parse_size_for(const std::string& key, const std::string& text);

Setter duration_ms(int64_t ServerConfig::*field, const char* key);        // 1 ms to a week
Setter size_bytes(uint64_t ServerConfig::*field, const char* key);        // "256MiB"; more than 0
Setter size_or_zero(uint64_t ServerConfig::*field, const char* key);      // "256MiB"; 0: none
Setter flag(bool ServerConfig::*field, const char* key);                  // true or false
Setter text(std::string ServerConfig::*field, const char* key, bool required);
Setter long_duration_ms(int64_t ServerConfig::*field, const char* key);   // 0 (no limit) to a century
Setter int_setting(int ServerConfig::*field, const char* key, int64_t min, int64_t max);
Setter whole_number(int64_t ServerConfig::*field, const char* key, int64_t min, int64_t max);
// Comma-separated (or a YAML list of) absolute paths.
Setter absolute_paths(std::vector<std::filesystem::path> ServerConfig::*field, const char* key);

// Each component's section, in a file of its own: logs.* (log_settings.cc); supervisor.*, jobs.* and retraining.*
// (job_settings.cc).
std::vector<Setting> log_settings();
std::vector<Setting> job_settings();
// sources.* (source_settings.cc).
std::vector<Setting> source_settings();
// graph.* (graph_settings.cc).
std::vector<Setting> graph_settings();
// studies.* (study_settings.cc).
std::vector<Setting> study_settings();
// shared_memory.* (shared_memory_settings.cc).
std::vector<Setting> shared_memory_settings();

}  // namespace maas::config
