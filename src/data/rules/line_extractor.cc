#include "data/rules/line_extractor.h"

#include <re2/re2.h>

#include <map>

#include "data/rules/grok.h"

namespace maas::data::rules {
namespace {

OutputColumn output_of(const RuleColumn& c) { return {c.name, c.type, c.format, c.nullable, false}; }

const RuleColumn* find_column(const RuleSpec& rule, const std::string& name) {
  for (const auto& c : rule.columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace

std::string OutputColumn::duckdb_type() const { return rules::duckdb_type(type) + (list ? "[]" : ""); }

LineExtractor::~LineExtractor() = default;

Result<std::unique_ptr<LineExtractor>> LineExtractor::make(const RuleSpec& rule, const RuleLimits& limits) {
  std::unique_ptr<LineExtractor> x(new LineExtractor());
  x->kind_ = rule.kind;
  if (rule.kind == RuleKind::kJsonPath) {
    for (const auto& c : rule.columns) {
      MAAS_ASSIGN_OR_RETURN(JsonPath path, parse_json_path(c.path));
      OutputColumn out = output_of(c);
      out.list = path.has_wildcard();
      x->columns_.push_back(std::move(out));
      x->paths_.push_back(std::move(path));
    }
    return x;
  }
  if (rule.kind == RuleKind::kSql) return invalid_argument("a sql rule does not run line by line");
  std::map<std::string, std::string> grok_types;  // field -> its %{X:f:type}
  if (rule.kind == RuleKind::kGrok) {
    MAAS_ASSIGN_OR_RETURN(GrokPattern grok, compile_grok(rule.pattern, rule.patterns, limits.max_pattern_bytes));
    x->regex_ = std::move(grok.regex);
    for (const auto& f : grok.fields) {
      if (f.type.empty()) continue;
      auto type = cast_type_from_name(f.type);
      if (!type.ok()) return invalid_argument("grok field '" + f.name + "': " + type.status().message());
      grok_types[f.name] = f.type;
    }
  } else {
    x->regex_ = rule.pattern;
  }
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(limits.regex_max_mem_bytes);
  x->re_ = std::make_unique<RE2>(x->regex_, options);
  if (!x->re_->ok()) {
    return invalid_argument(
        "rule: the " + rule_kind_name(rule.kind) + " pattern is not valid RE2: " + x->re_->error() +
        (x->re_->error_code() == RE2::ErrorPatternTooLarge ? " (over rules.regex_max_mem_bytes)" : ""));
  }
  // Columns in the order of their groups; unnamed groups are not columns.
  std::map<int, std::string> by_index;
  for (const auto& [name, index] : x->re_->NamedCapturingGroups()) by_index[index] = name;
  if (by_index.empty())
    return invalid_argument(
        "rule: the pattern has no named group, so it makes no column: use (?P<name>...) or %{PATTERN:name}");
  for (const auto& c : rule.columns) {
    bool found = false;
    for (const auto& [index, name] : by_index) found = found || name == c.name;
    if (!found) return invalid_argument("rule: column '" + c.name + "' is not a named group of the pattern");
  }
  for (const auto& [index, name] : by_index) {
    OutputColumn out{name, CastType::kString, "", false, false};
    if (const RuleColumn* c = find_column(rule, name); c != nullptr) {
      out = output_of(*c);
      if (!c->typed && grok_types.count(name)) out.type = *cast_type_from_name(grok_types[name]);
    } else if (grok_types.count(name)) {
      out.type = *cast_type_from_name(grok_types[name]);
    }
    x->columns_.push_back(std::move(out));
    x->group_of_column_.push_back(index);
  }
  return x;
}

bool LineExtractor::put(size_t i, const char* text, size_t size, nlohmann::json& row, Extraction& out) const {
  const OutputColumn& c = columns_[i];
  std::string_view value(text == nullptr ? "" : text, size);
  if (text == nullptr || (c.nullable && value == "-") || (value.empty() && c.type != CastType::kString)) {
    row.push_back(nullptr);
    return true;
  }
  auto cast = cast_value(value, c.type, c.format);
  if (!cast.ok()) {
    out.error_type = "CAST";
    out.column = c.name;
    out.message = "column '" + c.name + "': " + cast.status().message();
    return false;
  }
  row.push_back(std::move(*cast));
  return true;
}

Extraction LineExtractor::extract(std::string_view line) const {
  return kind_ == RuleKind::kJsonPath ? extract_json(line) : extract_regex(line);
}

Extraction LineExtractor::extract_regex(std::string_view line) const {
  Extraction out;
  const int groups = re_->NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> match(static_cast<size_t>(groups));
  if (!re_->Match(re2::StringPiece(line.data(), line.size()), 0, line.size(), RE2::UNANCHORED, match.data(), groups)) {
    out.error_type = "NO_MATCH";
    out.message = "the line does not match the pattern";
    return out;
  }
  out.row = nlohmann::json::array();
  for (size_t i = 0; i < columns_.size(); ++i) {
    const auto& piece = match[static_cast<size_t>(group_of_column_[i])];
    if (!put(i, piece.data(), piece.size(), out.row, out)) return out;
  }
  out.ok = true;
  return out;
}

Extraction LineExtractor::extract_json(std::string_view line) const {
  Extraction out;
  nlohmann::json doc = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    out.error_type = "NOT_JSON";
    out.message = doc.is_discarded() ? "the line is not valid JSON" : "the line is JSON but not an object";
    return out;
  }
  out.row = nlohmann::json::array();
  for (size_t i = 0; i < columns_.size(); ++i) {
    const OutputColumn& c = columns_[i];
    std::vector<const nlohmann::json*> found = select(paths_[i], doc);
    nlohmann::json cell = c.list ? nlohmann::json::array() : nlohmann::json(nullptr);
    for (const nlohmann::json* v : found) {
      nlohmann::json one = nlohmann::json::array();
      if (v->is_null()) {
        one.push_back(nullptr);
      } else {
        // A JSON value is cast from its text: a string's own text, any other value's JSON.
        std::string text = v->is_string() ? v->get<std::string>() : v->dump();
        if (!put(i, text.data(), text.size(), one, out)) return out;
      }
      if (!c.list) {
        cell = std::move(one[0]);
        break;
      }
      cell.push_back(std::move(one[0]));
    }
    out.row.push_back(std::move(cell));
  }
  out.ok = true;
  return out;
}

}  // namespace maas::data::rules
