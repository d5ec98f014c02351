// Table and JSON rendering of models, versions and aliases.
#include "cli/output.h"

#include <cstdint>
#include <utility>
#include <vector>

#include "cli/table.h"

namespace maas::cli {
namespace {

using nlohmann::json;
using Fields = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kNone = "-";

const json& member(const json& object, std::string_view key) {
  static const json null_value;
  if (!object.is_object()) return null_value;
  auto it = object.find(key);
  return it == object.end() ? null_value : *it;
}

std::string value_text(const json& value) {
  if (value.is_null()) return kNone;
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    return text.empty() ? kNone : text;
  }
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string timestamp_text(const json& object, std::string_view key) {
  const json& value = member(object, key);
  return value.is_string() ? format_timestamp(value.get_ref<const std::string&>()) : value_text(value);
}

// {"a": 1, "b": "x"} -> "a=1,b=x"; the separator is chosen by the caller (tables want no spaces).
std::string join_pairs(const json& object, std::string_view separator) {
  if (!object.is_object() || object.empty()) return kNone;
  std::string out;
  for (const auto& [key, value] : object.items()) {
    if (!out.empty()) out += separator;
    out += key + "=" + (value.is_string() ? value.get<std::string>() : value_text(value));
  }
  return out;
}

// ["a", "b"] -> "a,b".
std::string join_list(const json& array, std::string_view separator) {
  if (!array.is_array() || array.empty()) return kNone;
  std::string out;
  for (const auto& item : array) {
    if (!out.empty()) out += separator;
    out += value_text(item);
  }
  return out;
}

std::string size_text(const json& version, bool with_bytes) {
  const json& size = member(version, "size_bytes");
  if (!size.is_number_unsigned() && !size.is_number_integer()) return value_text(size);
  const auto bytes = size.get<int64_t>();
  if (bytes < 0) return value_text(size);
  std::string text = format_size(static_cast<uint64_t>(bytes));
  if (with_bytes && bytes >= 1024) text += " (" + std::to_string(bytes) + " bytes)";
  return text;
}

std::string digest_text(const json& version) {
  const json& digest = member(version, "digest");
  return digest.is_string() ? short_digest(digest.get_ref<const std::string&>()) : value_text(digest);
}

// "input  FP32  [-1, 4]" per tensor, one per line.
std::string tensors_text(const json& tensors) {
  if (!tensors.is_array() || tensors.empty()) return kNone;
  std::string out;
  for (const auto& tensor : tensors) {
    if (!out.empty()) out += '\n';
    out +=
        field_text(tensor, "name") + " " + field_text(tensor, "datatype") + " " + value_text(member(tensor, "shape"));
  }
  return out;
}

// "2026-11-25 01:02:03Z  registered -> ready  by alice  (reason)" per transition.
std::string history_text(const json& history) {
  if (!history.is_array() || history.empty()) return kNone;
  std::string out;
  for (const auto& entry : history) {
    if (!out.empty()) out += '\n';
    out += timestamp_text(entry, "at") + "  " + field_text(entry, "from") + " -> " + field_text(entry, "to") + "  by " +
           field_text(entry, "by");
    const json& reason = member(entry, "reason");
    if (reason.is_string() && !reason.get_ref<const std::string&>().empty()) {
      out += "  (" + reason.get<std::string>() + ")";
    }
  }
  return out;
}

std::string lineage_text(const json& lineage) {
  if (!lineage.is_object() || lineage.empty()) return kNone;
  std::string out;
  for (const auto& [key, value] : lineage.items()) {
    if (!out.empty()) out += '\n';
    out += key + "=" + (value.is_object() ? join_pairs(value, ",") : value_text(value));
  }
  return out;
}

const json& items_of(const json& array_or_null) {
  static const json empty_array = json::array();
  return array_or_null.is_array() ? array_or_null : empty_array;
}

}  // namespace

std::optional<OutputFormat> parse_output_format(std::string_view text) {
  if (text == "table") return OutputFormat::kTable;
  if (text == "json") return OutputFormat::kJson;
  return std::nullopt;
}

std::string render_json(const json& value) { return value.dump(2, ' ', false, json::error_handler_t::replace) + "\n"; }

std::string field_text(const json& object, std::string_view key) { return value_text(member(object, key)); }

std::string render_models_table(const json& models) {
  Table table({"NAME", "VERSIONS", "LATEST", "ALIASES", "UPDATED"});
  for (const auto& model : items_of(models)) {
    table.add_row({field_text(model, "name"), field_text(model, "version_count"), field_text(model, "latest_version"),
                   join_pairs(member(model, "aliases"), ","), timestamp_text(model, "updated_at")});
  }
  return table.render();
}

std::string render_model_details(const json& model) {
  return render_fields({
      {"NAME", field_text(model, "name")},
      {"DESCRIPTION", field_text(model, "description")},
      {"TAGS", join_pairs(member(model, "tags"), ", ")},
      {"VERSIONS", field_text(model, "version_count")},
      {"LATEST", field_text(model, "latest_version")},
      {"ALIASES", join_pairs(member(model, "aliases"), ", ")},
      {"CREATED", timestamp_text(model, "created_at")},
      {"UPDATED", timestamp_text(model, "updated_at")},
  });
}

std::string render_versions_table(const json& versions) {
  Table table({"VERSION", "FRAMEWORK", "FORMAT", "STATE", "SIZE", "DIGEST", "ALIASES", "CREATED"});
  for (const auto& version : items_of(versions)) {
    table.add_row({field_text(version, "version"), field_text(version, "framework"), field_text(version, "format"),
                   field_text(version, "state"), size_text(version, false), digest_text(version),
                   join_list(member(version, "aliases"), ","), timestamp_text(version, "created_at")});
  }
  return table.render();
}

std::string render_version_details(const json& version) {
  const json& signature = member(version, "signature");
  return render_fields({
      {"MODEL", field_text(version, "model")},
      {"VERSION", field_text(version, "version")},
      {"FRAMEWORK", field_text(version, "framework")},
      {"FORMAT", field_text(version, "format")},
      {"STATE", field_text(version, "state")},
      {"SIZE", size_text(version, true)},
      {"DIGEST", field_text(version, "digest")},
      {"ALIASES", join_list(member(version, "aliases"), ", ")},
      {"DESCRIPTION", field_text(version, "description")},
      {"TAGS", join_pairs(member(version, "tags"), ", ")},
      {"METRICS", join_pairs(member(version, "metrics"), ", ")},
      {"LINEAGE", lineage_text(member(version, "lineage"))},
      {"INPUTS", tensors_text(member(signature, "inputs"))},
      {"OUTPUTS", tensors_text(member(signature, "outputs"))},
      {"DETAILS", join_pairs(member(signature, "details"), ", ")},
      {"CREATED", timestamp_text(version, "created_at") + " by " + field_text(version, "created_by")},
      {"UPDATED", timestamp_text(version, "updated_at")},
      {"HISTORY", history_text(member(version, "state_history"))},
  });
}

std::string render_alias_table(const json& alias) {
  Table table({"MODEL", "ALIAS", "VERSION"});
  table.add_row({field_text(alias, "model"), field_text(alias, "alias"), field_text(alias, "version")});
  return table.render();
}

}  // namespace maas::cli
