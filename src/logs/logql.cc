#include "logs/logql.h"

#include <cctype>
#include <charconv>
#include <cstdlib>

namespace maas::logs {
namespace {

constexpr size_t kMaxQueryBytes = 64 * 1024;

struct Token {
  enum class Kind { kEnd, kIdent, kString, kNumber, kDuration, kPunct } kind = Kind::kEnd;
  std::string text;
  size_t pos = 0;
};

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  Result<Token> next() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
    Token t;
    t.pos = i_;
    if (i_ >= s_.size()) return t;
    char c = s_[i_];
    if (c == '"' || c == '`') return string_token(c);
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t start = i_;
      while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_')) ++i_;
      t.kind = Token::Kind::kIdent;
      t.text = std::string(s_.substr(start, i_ - start));
      return t;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.') {
      size_t start = i_++;
      bool duration = false;
      while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '.')) {
        if (std::isalpha(static_cast<unsigned char>(s_[i_])) && s_[i_] != 'e') duration = true;
        ++i_;
      }
      t.kind = duration ? Token::Kind::kDuration : Token::Kind::kNumber;
      t.text = std::string(s_.substr(start, i_ - start));
      return t;
    }
    static const char* kTwo[] = {"|=", "!=", "|~", "!~", "=~", ">=", "<=", "=="};
    for (const char* op : kTwo) {
      if (s_.substr(i_, 2) == op) {
        i_ += 2;
        t.kind = Token::Kind::kPunct;
        t.text = op;
        return t;
      }
    }
    if (std::string_view("{}()[],|=<>").find(c) != std::string_view::npos) {
      ++i_;
      t.kind = Token::Kind::kPunct;
      t.text = std::string(1, c);
      return t;
    }
    return invalid_argument("unexpected '" + std::string(1, c) + "' at position " + std::to_string(i_));
  }

 private:
  Result<Token> string_token(char quote_char) {
    Token t;
    t.kind = Token::Kind::kString;
    t.pos = i_++;
    while (i_ < s_.size() && s_[i_] != quote_char) {
      char c = s_[i_++];
      if (c == '\\' && quote_char == '"' && i_ < s_.size()) {
        char e = s_[i_++];
        t.text.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e);
      } else {
        t.text.push_back(c);
      }
    }
    if (i_ >= s_.size()) return invalid_argument("unterminated string at position " + std::to_string(t.pos));
    ++i_;
    return t;
  }

  std::string_view s_;
  size_t i_ = 0;
};

Result<std::shared_ptr<RE2>> compile(const std::string& pattern, bool anchored) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(8 << 20);
  auto re = std::make_shared<RE2>(anchored ? "^(?:" + pattern + ")$" : pattern, options);
  if (!re->ok()) return invalid_argument("invalid regular expression '" + pattern + "': " + re->error());
  return re;
}

class Parser {
 public:
  explicit Parser(std::string_view s) : lexer_(s) {}

  Result<Query> parse() {
    MAAS_RETURN_IF_ERROR(advance());
    Query q;
    if (peek_punct("{")) {
      MAAS_ASSIGN_OR_RETURN(q.log, log_query());
    } else {
      q.is_metric = true;
      MAAS_ASSIGN_OR_RETURN(q.metric, metric_query());
    }
    if (tok_.kind != Token::Kind::kEnd) return unexpected("the end of the query");
    return q;
  }

 private:
  Status advance() {
    MAAS_ASSIGN_OR_RETURN(tok_, lexer_.next());
    return {};
  }
  bool peek_punct(std::string_view p) const { return tok_.kind == Token::Kind::kPunct && tok_.text == p; }
  Status unexpected(const std::string& wanted) const {
    std::string got = tok_.kind == Token::Kind::kEnd ? "the end" : "'" + tok_.text + "'";
    return invalid_argument("expected " + wanted + " at position " + std::to_string(tok_.pos) + ", found " + got);
  }
  Status expect(std::string_view p) {
    if (!peek_punct(p)) return unexpected("'" + std::string(p) + "'");
    return advance();
  }
  Result<std::string> string_literal() {
    if (tok_.kind != Token::Kind::kString) return unexpected("a quoted string");
    std::string s = tok_.text;
    MAAS_RETURN_IF_ERROR(advance());
    return s;
  }
  Result<std::string> identifier() {
    if (tok_.kind != Token::Kind::kIdent) return unexpected("a name");
    std::string s = tok_.text;
    MAAS_RETURN_IF_ERROR(advance());
    return s;
  }

  Result<LogQuery> log_query() {
    LogQuery q;
    MAAS_RETURN_IF_ERROR(expect("{"));
    while (!peek_punct("}")) {
      LabelMatcher m;
      MAAS_ASSIGN_OR_RETURN(m.name, identifier());
      if (peek_punct("=")) m.op = MatchOp::kEq;
      else if (peek_punct("!=")) m.op = MatchOp::kNotEq;
      else if (peek_punct("=~")) m.op = MatchOp::kRegex;
      else if (peek_punct("!~")) m.op = MatchOp::kNotRegex;
      else return unexpected("=, !=, =~ or !~");
      MAAS_RETURN_IF_ERROR(advance());
      MAAS_ASSIGN_OR_RETURN(m.value, string_literal());
      if (m.op == MatchOp::kRegex || m.op == MatchOp::kNotRegex) {
        MAAS_ASSIGN_OR_RETURN(m.regex, compile(m.value, true));
      }
      q.matchers.push_back(std::move(m));
      if (!peek_punct(",")) break;
      MAAS_RETURN_IF_ERROR(advance());
    }
    MAAS_RETURN_IF_ERROR(expect("}"));
    if (q.matchers.empty()) return invalid_argument("a stream selector needs at least one label matcher");
    bool any_positive = false;
    for (const auto& m : q.matchers) any_positive = any_positive || !m.matches("");
    if (!any_positive) return invalid_argument("a stream selector needs a matcher that does not match the empty value");
    for (;;) {
      Stage st;
      if (peek_punct("|=") || peek_punct("!=") || peek_punct("|~") || peek_punct("!~")) {
        st.kind = Stage::Kind::kLine;
        st.line_op = tok_.text == "|=" ? LineOp::kContains
                     : tok_.text == "!=" ? LineOp::kNotContains
                     : tok_.text == "|~" ? LineOp::kRegex
                                         : LineOp::kNotRegex;
        MAAS_RETURN_IF_ERROR(advance());
        MAAS_ASSIGN_OR_RETURN(st.text, string_literal());
        if (st.line_op == LineOp::kRegex || st.line_op == LineOp::kNotRegex) {
          MAAS_ASSIGN_OR_RETURN(st.regex, compile(st.text, false));
        }
      } else if (peek_punct("|")) {
        MAAS_RETURN_IF_ERROR(advance());
        MAAS_ASSIGN_OR_RETURN(std::string name, identifier());
        if (name == "json") {
          st.kind = Stage::Kind::kJson;
        } else {
          st.kind = Stage::Kind::kField;
          st.name = name;
          MAAS_RETURN_IF_ERROR(field_filter(&st));
        }
      } else {
        break;
      }
      q.stages.push_back(std::move(st));
    }
    return q;
  }

  Status field_filter(Stage* st) {
    struct OpName {
      const char* text;
      FieldOp op;
    };
    static const OpName kOps[] = {{"=", FieldOp::kEq},         {"==", FieldOp::kEq},      {"!=", FieldOp::kNotEq},
                                  {"=~", FieldOp::kRegex},     {"!~", FieldOp::kNotRegex}, {">", FieldOp::kGreater},
                                  {">=", FieldOp::kGreaterEq}, {"<", FieldOp::kLess},     {"<=", FieldOp::kLessEq}};
    bool found = false;
    for (const auto& o : kOps) {
      if (peek_punct(o.text)) {
        st->field_op = o.op;
        found = true;
      }
    }
    if (!found) return unexpected("a comparison after '" + st->name + "'");
    MAAS_RETURN_IF_ERROR(advance());
    bool ordering = st->field_op >= FieldOp::kGreater;
    if (tok_.kind == Token::Kind::kNumber) {
      // `status >= 500` and `status == 500` compare numbers; `status = "500"` compares text.
      if (st->field_op == FieldOp::kRegex || st->field_op == FieldOp::kNotRegex) {
        return invalid_argument("=~ and !~ take a quoted regular expression");
      }
      char* end = nullptr;
      st->number = std::strtod(tok_.text.c_str(), &end);
      if (end == nullptr || *end != '\0') return unexpected("a number");
      st->numeric = true;
      st->text = tok_.text;
      return advance();
    }
    if (ordering) return unexpected("a number");
    MAAS_ASSIGN_OR_RETURN(st->text, string_literal());
    if (st->field_op == FieldOp::kRegex || st->field_op == FieldOp::kNotRegex) {
      MAAS_ASSIGN_OR_RETURN(st->regex, compile(st->text, true));
    }
    return {};
  }

  Status grouping(MetricQuery* m) {
    if (tok_.kind != Token::Kind::kIdent || (tok_.text != "by" && tok_.text != "without")) return {};
    m->without = tok_.text == "without";
    MAAS_RETURN_IF_ERROR(advance());
    MAAS_RETURN_IF_ERROR(expect("("));
    while (!peek_punct(")")) {
      MAAS_ASSIGN_OR_RETURN(m->grouping.emplace_back(), identifier());
      if (!peek_punct(",")) break;
      MAAS_RETURN_IF_ERROR(advance());
    }
    return expect(")");
  }

  Result<MetricQuery> metric_query() {
    MetricQuery m;
    MAAS_ASSIGN_OR_RETURN(std::string fn, identifier());
    if (fn == "sum") {
      m.aggregate = true;
      MAAS_RETURN_IF_ERROR(grouping(&m));
      MAAS_RETURN_IF_ERROR(expect("("));
      MAAS_ASSIGN_OR_RETURN(fn, identifier());
    }
    if (fn == "count_over_time") {
      m.function = MetricQuery::Function::kCountOverTime;
    } else if (fn == "rate") {
      m.function = MetricQuery::Function::kRate;
    } else {
      return invalid_argument("'" + fn + "' is not supported; use count_over_time, rate or sum (see docs/LOGS.md)");
    }
    MAAS_RETURN_IF_ERROR(expect("("));
    MAAS_ASSIGN_OR_RETURN(m.log, log_query());
    MAAS_RETURN_IF_ERROR(expect("["));
    if (tok_.kind != Token::Kind::kDuration) return unexpected("a range such as 5m");
    MAAS_ASSIGN_OR_RETURN(m.range_ns, parse_duration_ns(tok_.text));
    MAAS_RETURN_IF_ERROR(advance());
    MAAS_RETURN_IF_ERROR(expect("]"));
    MAAS_RETURN_IF_ERROR(expect(")"));
    if (m.aggregate) {
      MAAS_RETURN_IF_ERROR(expect(")"));
      if (m.grouping.empty() && !m.without) {
        MAAS_RETURN_IF_ERROR(grouping(&m));
      }
    }
    return m;
  }

  Lexer lexer_;
  Token tok_;
};

}  // namespace

bool LabelMatcher::matches(std::string_view v) const {
  switch (op) {
    case MatchOp::kEq: return v == value;
    case MatchOp::kNotEq: return v != value;
    case MatchOp::kRegex: return RE2::FullMatch(re2::StringPiece(v.data(), v.size()), *regex);
    case MatchOp::kNotRegex: return !RE2::FullMatch(re2::StringPiece(v.data(), v.size()), *regex);
  }
  return false;
}

bool LogQuery::extracts_json() const {
  for (const auto& s : stages) {
    if (s.kind == Stage::Kind::kJson) return true;
  }
  return false;
}

bool LogQuery::matches_stream(const LabelSet& labels) const {
  for (const auto& m : matchers) {
    if (!m.matches(labels.get(m.name))) return false;
  }
  return true;
}

Result<int64_t> parse_duration_ns(std::string_view text) {
  if (text.empty()) return invalid_argument("empty duration");
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    int64_t n = 0;
    auto [ptr, ec] = std::from_chars(text.data() + i, text.data() + text.size(), n);
    if (ec != std::errc() || n < 0) return invalid_argument("'" + std::string(text) + "' is not a duration (e.g. 5m)");
    i = static_cast<size_t>(ptr - text.data());
    size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    int64_t factor = unit == "ms" ? 1'000'000LL
                     : unit == "s" ? 1'000'000'000LL
                     : unit == "m" ? 60'000'000'000LL
                     : unit == "h" ? 3'600'000'000'000LL
                     : unit == "d" ? 86'400'000'000'000LL
                     : unit == "w" ? 604'800'000'000'000LL
                                   : 0;
    if (factor == 0) return invalid_argument("'" + std::string(text) + "' has an unknown unit; use ms, s, m, h, d or w");
    // Each part and the sum stay under half the range (room for the arithmetic on ranges that follows): several
    // parts each within the bound could still overflow the sum (found by fuzz/).
    if (n > INT64_MAX / factor / 2 || n * factor > INT64_MAX / 2 - total) {
      return invalid_argument("'" + std::string(text) + "' is too long");
    }
    total += n * factor;
  }
  return total;
}

Result<Query> parse_logql(std::string_view text) {
  if (text.size() > kMaxQueryBytes) return invalid_argument("the query is over 64 KiB");
  return Parser(text).parse();
}

}  // namespace maas::logs
