#include "common/json_fields.h"

#include <string>

namespace maas {

Status check_known_fields(const nlohmann::json& object, std::string_view where, std::span<const char* const> allowed) {
  if (!object.is_object()) return invalid_argument("'" + std::string(where) + "' must be an object");
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (const char* f : allowed) known = known || key == f;
    if (known) continue;
    std::string list;
    for (const char* f : allowed) list += (list.empty() ? "" : ", ") + std::string(f);
    std::string name = where.empty() ? key : std::string(where) + "." + key;
    return invalid_argument("unknown field '" + name + "'; accepted: " + list);
  }
  return {};
}

}  // namespace maas
