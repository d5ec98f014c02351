// Checks that a JSON object carries only the fields an API accepts, naming the first one it does not.
#pragma once

#include <initializer_list>
#include <span>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace maas {

// OK when `object` is an object whose keys are all in `allowed`. Otherwise INVALID_ARGUMENT: "'where' must be an
// object", or "unknown field 'where.key'; accepted: a, b" (just 'key' when `where` is empty).
Status check_known_fields(const nlohmann::json& object, std::string_view where, std::span<const char* const> allowed);
inline Status check_known_fields(const nlohmann::json& object, std::string_view where,
                                 std::initializer_list<const char*> allowed) {
  return check_known_fields(object, where, std::span<const char* const>(allowed.begin(), allowed.size()));
}

}  // namespace maas
