#include "logs/record.h"

#include <algorithm>

namespace maas::logs {

bool valid_label_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxLabelNameBytes) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

std::string quote(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default: out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

Result<LabelSet> LabelSet::make(std::vector<std::pair<std::string, std::string>> pairs) {
  if (pairs.empty()) return invalid_argument("a stream needs at least one label");
  if (pairs.size() > kMaxLabels) {
    return invalid_argument("a stream has at most " + std::to_string(kMaxLabels) + " labels");
  }
  std::sort(pairs.begin(), pairs.end());
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (!valid_label_name(pairs[i].first)) {
      return invalid_argument("invalid label name '" + pairs[i].first.substr(0, 64) + "' (use [a-zA-Z_][a-zA-Z0-9_]*)");
    }
    if (pairs[i].second.size() > kMaxLabelValueBytes) {
      return invalid_argument("the value of label '" + pairs[i].first + "' is over " +
                              std::to_string(kMaxLabelValueBytes) + " bytes");
    }
    if (i > 0 && pairs[i].first == pairs[i - 1].first) {
      return invalid_argument("label '" + pairs[i].first + "' appears twice");
    }
  }
  LabelSet set;
  set.pairs_ = std::move(pairs);
  return set;
}

Result<LabelSet> LabelSet::parse(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> pairs;
  size_t i = 0;
  auto fail = [&] { return invalid_argument("malformed label set " + std::string(text.substr(0, 200))); };
  if (text.empty() || text[i++] != '{') return fail();
  while (i < text.size() && text[i] != '}') {
    size_t eq = text.find('=', i);
    if (eq == std::string_view::npos || eq + 1 >= text.size() || text[eq + 1] != '"') return fail();
    std::string name(text.substr(i, eq - i));
    std::string value;
    size_t j = eq + 2;
    for (; j < text.size() && text[j] != '"'; ++j) {
      if (text[j] == '\\' && j + 1 < text.size()) {
        char e = text[++j];
        value.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e);
      } else {
        value.push_back(text[j]);
      }
    }
    if (j >= text.size()) return fail();
    pairs.emplace_back(std::move(name), std::move(value));
    i = j + 1;
    if (i < text.size() && text[i] == ',') ++i;
    while (i < text.size() && text[i] == ' ') ++i;
  }
  if (i + 1 != text.size()) return fail();
  return make(std::move(pairs));
}

std::string_view LabelSet::get(std::string_view name) const {
  for (const auto& [n, v] : pairs_) {
    if (n == name) return v;
  }
  return {};
}

std::string LabelSet::text() const {
  std::string out = "{";
  for (const auto& [n, v] : pairs_) {
    if (out.size() > 1) out += ", ";
    out += n + "=" + quote(v);
  }
  return out + "}";
}

}  // namespace maas::logs
