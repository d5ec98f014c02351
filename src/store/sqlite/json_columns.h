// Reading and writing the JSON text columns of the SQLite stores (tags, schemas, profiles, lineage).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "store/metadata_store.h"

namespace maas::store::sqlite {

std::string to_json_text(const StringMap& m);
// Columns written by the stores are always valid JSON; a hand-edited row falls back to `fallback`.
nlohmann::json parse_json_column(const std::string& text, nlohmann::json fallback = nlohmann::json::object());
StringMap parse_string_map(const std::string& text);

}  // namespace maas::store::sqlite
