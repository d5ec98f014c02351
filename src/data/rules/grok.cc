#include "data/rules/grok.h"

#include <cctype>
#include <set>

namespace maas::data::rules {
namespace {

constexpr int kMaxDepth = 32;

bool valid_field_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

class Expander {
 public:
  Expander(const std::map<std::string, std::string>& custom, size_t max_bytes)
      : custom_(custom), max_bytes_(max_bytes) {}

  Status expand(std::string_view text, int depth, GrokPattern& out) {
    if (depth > kMaxDepth) {
      return invalid_argument("grok patterns nest deeper than " + std::to_string(kMaxDepth) + " (a cycle?)");
    }
    for (size_t i = 0; i < text.size();) {
      if (text.compare(i, 2, "%{") != 0) {
        // An escaped character is copied whole, so that \%{ stays literal RE2.
        size_t n = text[i] == '\\' && i + 1 < text.size() ? 2 : 1;
        out.regex.append(text.substr(i, n));
        i += n;
        continue;
      }
      size_t close = text.find('}', i);
      if (close == std::string_view::npos)
        return invalid_argument("grok: '%{' at offset " + std::to_string(i) + " is not closed");
      MAAS_RETURN_IF_ERROR(reference(text.substr(i + 2, close - i - 2), depth, out));
      i = close + 1;
      if (out.regex.size() > max_bytes_) {
        return invalid_argument("the grok pattern expands past rules.max_pattern_bytes (" + std::to_string(max_bytes_) +
                                " bytes)");
      }
    }
    return {};
  }

 private:
  Status reference(std::string_view inside, int depth, GrokPattern& out) {
    std::string_view name = inside.substr(0, inside.find(':'));
    std::string_view field, type;
    if (name.size() < inside.size()) {
      std::string_view rest = inside.substr(name.size() + 1);
      field = rest.substr(0, rest.find(':'));
      if (field.size() < rest.size()) type = rest.substr(field.size() + 1);
    }
    const std::string* body = nullptr;
    if (auto it = custom_.find(std::string(name)); it != custom_.end()) {
      body = &it->second;
    } else if (auto lib = grok_library().find(name); lib != grok_library().end()) {
      body = &lib->second;
    }
    if (body == nullptr) return invalid_argument("grok: unknown pattern %{" + std::string(name) + "}");
    if (field.empty()) {
      out.regex += "(?:";
    } else {
      if (!valid_field_name(field)) {
        return invalid_argument("grok: field name '" + std::string(field) + "' in %{" + std::string(inside) +
                                "} must be letters, digits and _ (not starting with a digit)");
      }
      if (!seen_.insert(std::string(field)).second) {
        return invalid_argument("grok: field '" + std::string(field) + "' is captured twice");
      }
      out.regex += "(?P<" + std::string(field) + ">";
      out.fields.push_back({std::string(field), std::string(type)});
    }
    MAAS_RETURN_IF_ERROR(expand(*body, depth + 1, out));
    out.regex += ")";
    return {};
  }

  const std::map<std::string, std::string>& custom_;
  size_t max_bytes_;
  std::set<std::string> seen_;
};

}  // namespace

Result<GrokPattern> compile_grok(std::string_view pattern, const std::map<std::string, std::string>& custom,
                                 size_t max_bytes) {
  GrokPattern out;
  Expander expander(custom, max_bytes);
  MAAS_RETURN_IF_ERROR(expander.expand(pattern, 0, out));
  return out;
}

}  // namespace maas::data::rules
