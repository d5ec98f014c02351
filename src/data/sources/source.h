// A source: a registered connector that snapshots turn into dataset versions (docs/DATA.md). Its kind says where
// rows come from (files, sqlite, postgres, logs, push, tail); its config says how, without the credential, which is
// kept apart, sealed (secret_box.h) and never shown. Plain data and pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/status.h"
#include "data/sources/file_roots.h"

namespace maas::data::sources {

inline constexpr const char* kKinds[] = {"files", "sqlite", "postgres", "logs", "push", "tail"};

struct Source {
  std::string name;
  std::string kind;
  nlohmann::json config = nlohmann::json::object();  // never holds a credential
  std::string sealed_secret;                         // the password, sealed; empty: none
  std::string description;
  std::string created_by;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

// A client's config checked for its kind, normalized (defaults filled in), with the write-only password taken out.
struct CheckedConfig {
  nlohmann::json config;
  std::optional<std::string> password;  // given in this request
};

// INVALID_ARGUMENT naming the field unless `config` is a valid config of `kind`. Paths are checked against
// `roots` as text (file_roots.h); connections are not tried here.
Result<CheckedConfig> check_config(const std::string& kind, const nlohmann::json& config, const FileRoots& roots);

// The source as the API shows it: the credential as "set" or "unset", never its value.
nlohmann::json source_json(const Source& source);

// The column whose growth marks new rows, or "" for full snapshots only.
std::string watermark_column(const Source& source);
// Kinds whose incremental snapshots follow a byte offset (push, tail) rather than a column.
bool follows_offset(const std::string& kind);

}  // namespace maas::data::sources
