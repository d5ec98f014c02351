// What the commands print on stdout: the server's JSON pretty-printed (`--output json`) or tables of models,
// versions and aliases (`--output table`). Renderers never throw on an unexpected shape: a missing or mistyped
// field shows as "-", because a client must keep working against a newer or older server.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace maas::cli {

enum class OutputFormat { kTable, kJson };

std::optional<OutputFormat> parse_output_format(std::string_view text);

// Two-space indented JSON and a newline; invalid UTF-8 from the server is replaced, not fatal.
std::string render_json(const nlohmann::json& value);

// NAME, VERSIONS, LATEST, ALIASES, UPDATED: one row per element of a `models` array.
std::string render_models_table(const nlohmann::json& models);
// One model, one field per line.
std::string render_model_details(const nlohmann::json& model);

// VERSION, FRAMEWORK, FORMAT, STATE, SIZE, DIGEST, ALIASES, CREATED: one row per element of a `versions` array.
std::string render_versions_table(const nlohmann::json& versions);
// One version, one field per line, with its signature, metrics and state history.
std::string render_version_details(const nlohmann::json& version);

// MODEL, ALIAS, VERSION for one `{"model", "alias", "version"}` object.
std::string render_alias_table(const nlohmann::json& alias);

// The text of a field for a table cell: strings as they are, numbers and booleans as JSON, "-" when absent,
// null or empty, and compact JSON for anything else.
std::string field_text(const nlohmann::json& object, std::string_view key);

}  // namespace maas::cli
