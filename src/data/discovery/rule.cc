#include "data/discovery/rule.h"

#include <charconv>
#include <set>

namespace maas::data::discovery {
namespace {

// One literal character (or UTF-8 sequence) starting at s[i], escaped for RE2; advances i.
void append_literal(std::string_view s, size_t& i, std::string& out) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    if (is_alnum(s[i]) || s[i] == '_') {
      out += s[i];
    } else if (c < 0x20 || c == 0x7f) {
      static const char* kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += '\\';
      out += s[i];
    }
    ++i;
    return;
  }
  if (size_t n = utf8_sequence_length(s, i)) {
    out.append(s.substr(i, n));
    i += n;
  } else {
    out += "\\C";  // a byte that is not UTF-8: matched as a byte
    ++i;
  }
}

// Literal text where a space stands for `space` (any whitespace).
std::string escape(std::string_view s, std::string_view space) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == ' ') {
      out += space;
      while (i < s.size() && s[i] == ' ') ++i;
    } else {
      append_literal(s, i, out);
    }
  }
  return out;
}

std::string format_regex(std::string_view format) {
  std::string out;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 >= format.size()) {
      append_literal(format, i, out);
      --i;
      continue;
    }
    switch (format[++i]) {
      case 'Y': out += "\\d{4}"; break;
      case 'f': out += "\\d{1,9}"; break;
      case 'b':
      case 'a': out += "[A-Z][a-z]{2}"; break;
      case 'z': out += "(?:Z|[-+]\\d{2}:?\\d{2})"; break;
      default: out += "\\d{2}"; break;
    }
  }
  return out;
}

// The patterns of values without a shape. Lines that are not UTF-8 get byte patterns: RE2's \S and . do not
// match an invalid byte, \C does.
struct Vocabulary {
  const char *word, *word_lazy, *word_or_empty, *any, *any_or_empty, *json_word, *json_word_or_empty, *json_lazy;
};
const Vocabulary& vocabulary(bool bytes) {
  static const Vocabulary kText{R"(\S+)", R"(\S+?)", R"(\S*)", ".+?", ".*?", R"([^\s"]+)", R"([^\s"]*)", R"([^\s"]+?)"};
  static const Vocabulary kBytes{R"(\C+?)", R"(\C+?)", R"(\C*?)", R"(\C+?)", R"(\C*?)", R"(\C+?)", R"(\C*?)", R"(\C+?)"};
  return bytes ? kBytes : kText;
}

constexpr TypeMask kNumbers = type_bit(ValueType::kInt) | type_bit(ValueType::kFloat);
constexpr TypeMask kAlnumRuns = type_bit(ValueType::kInt) | type_bit(ValueType::kHex) | type_bit(ValueType::kId);

std::string type_regex(const SlotStats& s, std::string_view generic, std::string_view identifier) {
  TypeMask t = s.types & ~type_bit(ValueType::kNull);
  std::string base;
  if (t == type_bit(ValueType::kInt)) base = R"([-+]?\d+)";
  else if (t == type_bit(ValueType::kFloat)) base = R"([-+]?\d+\.\d+(?:[eE][-+]?\d+)?)";
  else if (t != 0 && (t & ~kNumbers) == 0) base = R"([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)";
  else if (t == type_bit(ValueType::kHex)) base = R"((?:0[xX])?[0-9a-fA-F]+)";
  // An identifier may hold punctuation ("1445144423722_0020_m_000011"): anything up to what follows it.
  else if (t & type_bit(ValueType::kId)) base = std::string(identifier);
  else if (t != 0 && (t & ~kAlnumRuns) == 0) base = R"([-+]?[0-9A-Za-z]+)";
  else if (t == type_bit(ValueType::kIp)) base = R"([0-9A-Fa-f:.]+)";
  else if (t == type_bit(ValueType::kUuid)) base = R"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})";
  else if (t == type_bit(ValueType::kMac)) base = R"([0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5})";
  else if (t == type_bit(ValueType::kQuantity)) base = R"([-+]?[0-9.]+\s*[A-Za-zµ]+)";
  else if (t == type_bit(ValueType::kTimestamp) && !date_format_string(s.format).empty()) base = format_regex(date_format_string(s.format));
  else if (t == 0) base = "";
  else base = std::string(generic);
  if (!(s.types & type_bit(ValueType::kNull))) return base;
  return base.empty() ? "-" : "(?:-|" + base + ")";
}

Column slot_column(const SlotStats& s) {
  Column c;
  TypeMask t = s.types & ~type_bit(ValueType::kNull);
  c.nullable = s.types & type_bit(ValueType::kNull);
  if (t == type_bit(ValueType::kInt)) {
    c.type = "int64";
  } else if (t != 0 && (t & ~kNumbers) == 0) {
    c.type = "float64";
  } else if (t == type_bit(ValueType::kTimestamp) && !date_format_string(s.format).empty()) {
    c.type = "timestamp";
    c.format = std::string(date_format_string(s.format));
  } else {
    c.type = "string";
    for (unsigned k = 0; k < static_cast<unsigned>(ValueType::kCount); ++k)
      if (t == (1u << k)) c.semantic = std::string(value_type_name(static_cast<ValueType>(k)));
  }
  return c;
}

std::string sanitize(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (is_alnum(c) || c == '_') out += c;
    else if ((c == '.' || c == '-') && !out.empty() && out.back() != '_') out += '_';
    if (out.size() >= 32) break;
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (!out.empty() && is_digit(out[0])) out = "p" + out;
  return out;
}

class Namer {
 public:
  std::string unique(std::string base) {
    if (base.empty()) base = "p" + std::to_string(next_++);
    std::string name = base;
    for (int n = 2; !used_.insert(name).second; ++n) name = base + "_" + std::to_string(n);
    return name;
  }

 private:
  std::set<std::string> used_;
  int next_ = 1;
};

// A name for a slot from the word before it: "blk_<*>" → blk, "(uid=<*>)" → uid, "size <*>" → size.
std::string slot_base_name(const TemplateShape& shape, size_t i, std::string_view literal_before) {
  size_t end = literal_before.size();
  while (end > 0 && !is_alnum(literal_before[end - 1])) --end;
  size_t begin = end;
  while (begin > 0 && (is_alnum(literal_before[begin - 1]) || literal_before[begin - 1] == '_')) --begin;
  std::string own = sanitize(literal_before.substr(begin, end - begin));
  bool letter = false;
  for (char c : own) letter = letter || is_alpha(c);
  if (letter) return own;
  if (!literal_before.empty() || i == 0) return {};
  const Element& prev = shape.elements[i - 1];
  if (prev.kind != Element::Kind::kToken || prev.skeleton.find(kSlotMark) != std::string::npos) return {};
  return sanitize(prev.skeleton);
}

std::string header_field_regex(const HeaderField& f, bool component_last, bool pipes, bool bytes, Column& column) {
  column.type = "string";
  std::string word = bytes ? R"(\C+?)" : pipes ? R"([^\s|]+)" : R"(\S+)";
  // Each regex starts with its capturing group: the caller names it.
  if (component_last) return bytes ? R"((\C+?):)" : R"((\S.*?):)";
  if (f.bracketed) return bytes ? R"((\[\C*?\]\C*?))" : R"((\[.*?\][^\s|]*))";
  if (f.classes == header_bit(HeaderClass::kTime) && f.format != kNoFormat) {
    column.type = "timestamp";
    column.format = std::string(date_format_string(f.format));
    return "(" + format_regex(column.format) + ")[:,]?";
  }
  if (f.classes == header_bit(HeaderClass::kNumber)) {
    column.type = "int64";
    return R"((\d+)[:,]?)";
  }
  return "(" + word + ")";
}

void append_header(const HeaderModel& header, bool content_empty, bool bytes, Namer& namer, Rule& rule) {
  const auto& fields = header.fields();
  bool pipes = false;
  for (const auto& f : fields) pipes = pipes || f.pipe_after;
  for (size_t p = 0; p < fields.size(); ++p) {
    const HeaderField& f = fields[p];
    bool last = p + 1 == fields.size();
    if (!f.literal.empty()) {
      rule.pattern += escape(f.literal, R"(\s+)");
    } else {
      Column column;
      bool component = last && f.classes == header_bit(HeaderClass::kComponent);
      std::string re = header_field_regex(f, component, pipes, bytes, column);
      column.name = namer.unique(f.name);
      // Every field regex starts with its capture: "(" becomes "(?P<name>".
      rule.pattern += "(?P<" + column.name + ">" + re.substr(1);
      rule.columns.push_back(std::move(column));
    }
    if (f.pipe_after) rule.pattern += R"(\s*\|\s*)";
    else rule.pattern += last && content_empty ? R"(\s*)" : R"(\s+)";
  }
}

std::string separator_regex(const Element& e) {
  switch (e.sep) {
    case Separator::kSpace: return R"(\s+)";
    case Separator::kNone: return "";
    case Separator::kText: return escape(e.sep_text, R"(\s*)");
  }
  return "";
}

}  // namespace

Rule build_rule(const TemplateShape& shape, const HeaderModel& header) {
  Rule rule;
  Namer namer;
  rule.pattern = R"(^\s*)";
  if (shape.header && !header.empty()) append_header(header, shape.elements.empty(), shape.raw_bytes, namer, rule);
  const Vocabulary& v = vocabulary(shape.raw_bytes);
  std::string generic = shape.json ? v.json_lazy : v.word_lazy;
  std::string word = shape.json ? v.json_word : v.word;
  std::string word_or_empty = shape.json ? v.json_word_or_empty : v.word_or_empty;
  if (shape.delimiter != 0 && !shape.raw_bytes) {  // a data row's word never spans its delimiter
    std::string field = std::string(R"([^\s)") + shape.delimiter + "]";
    word = field + "+";
    word_or_empty = field + "*";
    generic = field + "+?";
  }
  bool first = true;
  for (size_t i = 0; i < shape.elements.size(); ++i) {
    const Element& e = shape.elements[i];
    std::string sep = first && e.sep != Separator::kText ? "" : separator_regex(e);
    if (e.kind == Element::Kind::kToken) {
      rule.pattern += sep;
      size_t literal_start = 0;
      size_t slot = 0;
      for (size_t k = 0; k < e.skeleton.size();) {
        char c = e.skeleton[k];
        if (c == kSlotMark) {
          Column column = slot_column(e.slots[slot]);
          column.name = namer.unique(slot_base_name(shape, i, std::string_view(e.skeleton).substr(literal_start, k - literal_start)));
          rule.pattern += "(?P<" + column.name + ">" + type_regex(e.slots[slot], generic, v.word_lazy) + ")";
          rule.columns.push_back(std::move(column));
          ++slot;
          literal_start = ++k;
        } else if (c == ' ') {
          rule.pattern += R"(\s+)";
          ++k;
        } else {
          if (c == kEscapeMark && k + 1 < e.skeleton.size()) ++k;  // the line's own \x01 or \x02
          append_literal(e.skeleton, k, rule.pattern);
        }
      }
      first = false;
      continue;
    }
    Column column = slot_column(e.slots[0]);
    if (e.kind == Element::Kind::kRun || e.may_have_spaces) {
      column.type = "string";
      column.format.clear();
    }
    column.name = namer.unique(slot_base_name(shape, i, {}));
    std::string group = "(?P<" + column.name + ">";
    if (e.kind == Element::Kind::kVariable) {
      std::string value = e.may_have_spaces ? v.any : word;
      if (e.may_be_empty) value = e.may_have_spaces ? v.any_or_empty : word_or_empty;
      rule.pattern += sep + group + value + ")";
      first = false;
    } else if (e.min_tokens > 0) {
      rule.pattern += sep + group + v.any + ")";
      first = false;
    } else if (first && i + 1 < shape.elements.size()) {
      rule.pattern += "(?:" + group + v.any + R"()\s+)?)";  // the next element then starts the message
    } else if (first) {
      rule.pattern += group + v.any_or_empty + ")";
    } else {
      rule.pattern += "(?:" + sep + group + v.any + "))?";
    }
    rule.columns.push_back(std::move(column));
  }
  rule.pattern += escape(shape.trailer, R"(\s*)");
  rule.pattern += R"(\s*$)";
  return rule;
}

Rule fallback_rule(bool with_header, const HeaderModel& header) {
  Rule rule;
  Namer namer;
  rule.pattern = R"(^\s*)";
  if (with_header && !header.empty()) append_header(header, false, true, namer, rule);
  rule.pattern += R"((?P<message>\C*?)\s*$)";
  Column message;
  message.name = namer.unique("message");
  message.type = "string";
  rule.columns.push_back(std::move(message));
  return rule;
}

nlohmann::json rule_to_json(const Rule& rule) {
  nlohmann::json columns = nlohmann::json::array();
  for (const Column& c : rule.columns) {
    nlohmann::json col = {{"name", c.name}, {"type", c.type}};
    if (!c.format.empty()) col["format"] = c.format;
    if (!c.semantic.empty()) col["semantic"] = c.semantic;
    if (c.nullable) col["nullable"] = true;
    columns.push_back(std::move(col));
  }
  return {{"type", "regex"}, {"pattern", rule.pattern}, {"columns", std::move(columns)}};
}

bool fits_column(std::string_view value, const Column& column) {
  if (column.nullable && value == "-") return true;
  if (column.type == "int64") {
    if (!value.empty() && value[0] == '+') value.remove_prefix(1);
    int64_t v = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    return ec == std::errc() && end == value.data() + value.size() && !value.empty();
  }
  if (column.type == "float64") {
    if (!value.empty() && value[0] == '+') value.remove_prefix(1);
    double v = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    return ec == std::errc() && end == value.data() + value.size() && !value.empty();
  }
  if (column.type == "timestamp") {
    DateFormat id = date_format_id(column.format);
    return id != kNoFormat && parses_as_date(value, id);
  }
  return column.type == "string";
}

}  // namespace maas::data::discovery
