// The small template language of alert annotations and subscription messages: `{{ name }}` is replaced by what
// a lookup gives for `name`; nothing else is interpreted, so a template can never run code.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace maas::alerting {

// The value of a template expression (the trimmed text between the braces), or nullopt when it names nothing.
using TemplateLookup = std::function<std::optional<std::string>(std::string_view expression)>;

// Expressions the lookup does not know are left as written (a typo shows in the message instead of vanishing).
std::string render_template(std::string_view text, const TemplateLookup& lookup);

// INVALID_ARGUMENT naming `field` when a "{{" is not closed or an expression is not one `known` accepts.
Status check_template(std::string_view text, std::string_view field,
                      const std::function<bool(std::string_view expression)>& known);

}  // namespace maas::alerting
