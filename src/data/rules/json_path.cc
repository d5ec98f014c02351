#include "data/rules/json_path.h"

#include <cctype>
#include <charconv>

namespace maas::data::rules {
namespace {

Status path_error(std::string_view text, size_t pos, const std::string& what) {
  return invalid_argument("JSON path '" + std::string(text) + "' at offset " + std::to_string(pos) + ": " + what +
                          " (the subset: $.a.b, $['a'], $.a[0], $.a[*].b)");
}

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

void walk(const std::vector<JsonPathStep>& steps, size_t i, const nlohmann::json& node,
          std::vector<const nlohmann::json*>& out) {
  if (i == steps.size()) {
    out.push_back(&node);
    return;
  }
  const JsonPathStep& step = steps[i];
  switch (step.kind) {
    case JsonPathStep::Kind::kKey:
      if (node.is_object()) {
        if (auto it = node.find(step.key); it != node.end()) walk(steps, i + 1, *it, out);
      }
      return;
    case JsonPathStep::Kind::kIndex:
      if (node.is_array() && step.index < node.size()) walk(steps, i + 1, node[step.index], out);
      return;
    case JsonPathStep::Kind::kWildcard:
      if (node.is_array() || node.is_object()) {
        for (const auto& child : node) walk(steps, i + 1, child, out);
      }
      return;
  }
}

}  // namespace

bool JsonPath::has_wildcard() const {
  for (const auto& s : steps) {
    if (s.kind == JsonPathStep::Kind::kWildcard) return true;
  }
  return false;
}

Result<JsonPath> parse_json_path(std::string_view text) {
  JsonPath path;
  path.text = std::string(text);
  if (text.empty() || text[0] != '$') return path_error(text, 0, "a path starts with '$'");
  size_t i = 1;
  while (i < text.size()) {
    JsonPathStep step;
    if (text[i] == '.') {
      size_t start = ++i;
      while (i < text.size() && name_char(text[i])) ++i;
      if (i == start) return path_error(text, start, "a name must follow '.'");
      step.key = std::string(text.substr(start, i - start));
    } else if (text[i] == '[') {
      ++i;
      if (i < text.size() && text[i] == '*') {
        step.kind = JsonPathStep::Kind::kWildcard;
        ++i;
      } else if (i < text.size() && (text[i] == '\'' || text[i] == '"')) {
        const char quote = text[i++];
        size_t end = text.find(quote, i);
        if (end == std::string_view::npos) return path_error(text, i, "the quoted name is not closed");
        step.key = std::string(text.substr(i, end - i));
        i = end + 1;
      } else {
        size_t start = i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
        auto [end, ec] = std::from_chars(text.data() + start, text.data() + i, step.index);
        if (i == start || ec != std::errc()) return path_error(text, start, "expected an index, '*' or a quoted name");
        step.kind = JsonPathStep::Kind::kIndex;
      }
      if (i >= text.size() || text[i] != ']') return path_error(text, i, "expected ']'");
      ++i;
    } else {
      return path_error(text, i, "expected '.' or '['");
    }
    path.steps.push_back(std::move(step));
  }
  return path;
}

std::vector<const nlohmann::json*> select(const JsonPath& path, const nlohmann::json& doc) {
  std::vector<const nlohmann::json*> out;
  walk(path.steps, 0, doc, out);
  return out;
}

}  // namespace maas::data::rules
