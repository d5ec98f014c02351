#include "alerting/template.h"

namespace maas::alerting {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Calls `fn(expression)` for each {{ ... }}, and `text(literal)` for what lies between; false when a "{{" is
// never closed (the rest is then passed to `text`).
template <typename Expr, typename Text>
bool walk(std::string_view s, Expr&& fn, Text&& text) {
  size_t i = 0;
  while (i < s.size()) {
    size_t open = s.find("{{", i);
    size_t close = open == std::string_view::npos ? open : s.find("}}", open + 2);
    if (close == std::string_view::npos) {
      text(s.substr(i));
      return open == std::string_view::npos;
    }
    text(s.substr(i, open - i));
    fn(s.substr(open, close + 2 - open), trim(s.substr(open + 2, close - open - 2)));
    i = close + 2;
  }
  return true;
}

}  // namespace

std::string render_template(std::string_view text, const TemplateLookup& lookup) {
  std::string out;
  walk(
      text,
      [&](std::string_view whole, std::string_view expression) {
        auto value = lookup(expression);
        out += value ? *value : std::string(whole);
      },
      [&](std::string_view literal) { out += literal; });
  return out;
}

Status check_template(std::string_view text, std::string_view field,
                      const std::function<bool(std::string_view expression)>& known) {
  std::optional<std::string> bad;
  bool closed = walk(
      text,
      [&](std::string_view, std::string_view expression) {
        if (!bad && !known(expression)) bad = std::string(expression);
      },
      [](std::string_view) {});
  if (!closed) return invalid_argument(std::string(field) + ": a '{{' is not closed by '}}'");
  if (bad) return invalid_argument(std::string(field) + ": '{{ " + *bad + " }}' is not a known field");
  return {};
}

}  // namespace maas::alerting
