// Validation of user-chosen names (models, aliases). A valid name can never form a path or escape one.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/status.h"

namespace maas {

// Model (and later service) names: [a-z0-9][a-z0-9._-]{0,62}. `what` names the field in the error message.
Status validate_name(std::string_view name, std::string_view what);
// Alias names: a valid name that is not all digits (so it cannot be mistaken for a version number) and is not
// the reserved word "latest".
Status validate_alias(std::string_view alias);
// Tags of registry objects: at most 64, keys 1-128 characters, values up to 1024.
Status validate_tags(const std::map<std::string, std::string>& tags);
// Parses a positive version number ("1", "42"); anything else is not a number.
bool parse_version_number(std::string_view text, long long* out);

}  // namespace maas
