#include "store/sqlite/json_columns.h"

#include <utility>

#include "common/json_parse.h"

namespace maas::store::sqlite {

using nlohmann::json;

std::string to_json_text(const StringMap& m) { return json(m).dump(); }

json parse_json_column(const std::string& text, json fallback) { return parse_json_or(text, std::move(fallback)); }

StringMap parse_string_map(const std::string& text) {
  StringMap out;
  json j = parse_json_column(text);
  if (!j.is_object()) return out;
  for (auto& [k, v] : j.items()) {
    if (v.is_string()) out[k] = v.get<std::string>();
  }
  return out;
}

}  // namespace maas::store::sqlite
