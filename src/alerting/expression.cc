#include "alerting/expression.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace maas::alerting {
namespace {

// The last comparison outside brackets and quotes: "a / b > 0.1" -> ("a / b", ">", "0.1").
std::optional<std::tuple<std::string, std::string, std::string>> split_comparison(const std::string& s) {
  int depth = 0;
  char quote = 0;
  std::optional<std::tuple<std::string, std::string, std::string>> found;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (c == '\\' && quote == '"') ++i;
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '`') quote = c;
    else if (c == '(' || c == '{' || c == '[') ++depth;
    else if (c == ')' || c == '}' || c == ']') --depth;
    else if (depth == 0 && (c == '>' || c == '<' || c == '=' || c == '!')) {
      size_t len = (i + 1 < s.size() && s[i + 1] == '=') ? 2 : 1;
      std::string op = s.substr(i, len);
      if (op == "=" || op == "!") continue;  // not comparisons (=~ and !~ live inside braces)
      found = std::make_tuple(s.substr(0, i), op, s.substr(i + len));
      i += len - 1;
    }
  }
  return found;
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  Result<std::unique_ptr<Expr>> parse() {
    MAAS_ASSIGN_OR_RETURN(auto e, additive());
    skip();
    if (i_ != s_.size()) return error("an operator or the end");
    return e;
  }

 private:
  Status too_deep() const {
    return invalid_argument("the expression is nested deeper than " + std::to_string(kMaxExpressionDepth) +
                            " levels (each operator, function and bracket is a level)");
  }
  // Sets `parent`'s height from its children's.
  Status adopt(Expr& parent) const {
    size_t below = 0;
    for (const auto* child : {parent.lhs.get(), parent.rhs.get()}) {
      if (child != nullptr) below = std::max(below, child->height);
    }
    parent.height = below + 1;
    return parent.height > kMaxExpressionDepth ? too_deep() : Status();
  }

  Status error(const std::string& wanted) const {
    return invalid_argument("expected " + wanted + " at position " + std::to_string(i_) + " of '" +
                            std::string(s_.substr(0, 200)) + "'");
  }
  void skip() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool eat(char c) {
    skip();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  std::string ident() {
    skip();
    size_t start = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' || s_[i_] == ':')) ++i_;
    return std::string(s_.substr(start, i_ - start));
  }
  bool peek_word(std::string_view w) {
    skip();
    size_t save = i_;
    bool match = ident() == w;
    i_ = save;
    return match;
  }

  Result<std::unique_ptr<Expr>> binary(Result<std::unique_ptr<Expr>> (Parser::*next)(), const char* ops) {
    MAAS_ASSIGN_OR_RETURN(auto lhs, (this->*next)());
    for (;;) {
      skip();
      if (i_ >= s_.size() || std::string_view(ops).find(s_[i_]) == std::string_view::npos) return lhs;
      auto e = std::make_unique<Expr>();
      e->kind = Expr::Kind::kBinary;
      e->op = s_[i_++];
      e->lhs = std::move(lhs);
      MAAS_ASSIGN_OR_RETURN(e->rhs, (this->*next)());
      MAAS_RETURN_IF_ERROR(adopt(*e));
      lhs = std::move(e);
    }
  }
  Result<std::unique_ptr<Expr>> additive() { return binary(&Parser::multiplicative, "+-"); }
  Result<std::unique_ptr<Expr>> multiplicative() { return binary(&Parser::primary, "*/"); }

  Status grouping(Expr* e) {
    if (!peek_word("by") && !peek_word("without")) return {};
    e->without = ident() == "without";
    if (!eat('(')) return error("'(' after by");
    while (!eat(')')) {
      std::string name = ident();
      if (name.empty()) return error("a label name");
      e->grouping.push_back(name);
      eat(',');
    }
    return {};
  }

  Result<std::unique_ptr<Expr>> selector(std::string name) {
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Kind::kSelector;
    e->metric = std::move(name);
    skip();
    if (i_ < s_.size() && s_[i_] == '{') {
      size_t close = s_.find('}', i_);
      if (close == std::string_view::npos) return error("'}'");
      std::string braces(s_.substr(i_, close + 1 - i_));
      i_ = close + 1;
      if (braces.find_first_not_of("{} ") != std::string::npos) {
        // The matcher syntax is LogQL's; an always-true matcher satisfies its "one positive matcher" rule.
        auto parsed = logs::parse_logql("{__maas__=\"x\"," + braces.substr(1));
        if (!parsed.ok()) return parsed.status();
        e->matchers.assign(parsed->log.matchers.begin() + 1, parsed->log.matchers.end());
      }
    }
    return e;
  }

  Result<std::unique_ptr<Expr>> primary() {
    // Every recursion of the parser passes here: brackets and function arguments nest through primary().
    struct Nesting {
      size_t& depth;
      ~Nesting() { --depth; }
    } nesting{++nesting_};
    if (nesting_ > kMaxExpressionDepth) return too_deep();
    skip();
    if (i_ >= s_.size()) return error("an expression");
    if (eat('(')) {
      MAAS_ASSIGN_OR_RETURN(auto e, additive());
      if (!eat(')')) return error("')'");
      return e;
    }
    if (std::isdigit(static_cast<unsigned char>(s_[i_])) || s_[i_] == '.') {
      char* end = nullptr;
      std::string rest(s_.substr(i_));
      double v = std::strtod(rest.c_str(), &end);
      i_ += static_cast<size_t>(end - rest.c_str());
      auto e = std::make_unique<Expr>();
      e->number = v;
      return e;
    }
    std::string name = ident();
    if (name.empty()) return error("a metric, a number, rate, sum or histogram_quantile");
    if (name == "sum") {
      auto e = std::make_unique<Expr>();
      e->kind = Expr::Kind::kSum;
      MAAS_RETURN_IF_ERROR(grouping(e.get()));
      if (!eat('(')) return error("'(' after sum");
      MAAS_ASSIGN_OR_RETURN(e->lhs, additive());
      MAAS_RETURN_IF_ERROR(adopt(*e));
      if (!eat(')')) return error("')'");
      if (e->grouping.empty() && !e->without) MAAS_RETURN_IF_ERROR(grouping(e.get()));
      return e;
    }
    if (name == "rate") {
      if (!eat('(')) return error("'(' after rate");
      MAAS_ASSIGN_OR_RETURN(auto e, selector(ident()));
      if (e->metric.empty()) return error("a metric name");
      e->kind = Expr::Kind::kRate;
      if (!eat('[')) return error("a range such as [1m]");
      size_t close = s_.find(']', i_);
      if (close == std::string_view::npos) return error("']'");
      auto range = logs::parse_duration_ns(trim(std::string(s_.substr(i_, close - i_))));
      if (!range.ok()) return range.status();
      e->range_ms = *range / 1'000'000;
      i_ = close + 1;
      if (!eat(')')) return error("')'");
      return e;
    }
    if (name == "histogram_quantile") {
      auto e = std::make_unique<Expr>();
      e->kind = Expr::Kind::kQuantile;
      if (!eat('(')) return error("'('");
      MAAS_ASSIGN_OR_RETURN(auto q, primary());
      if (q->kind != Expr::Kind::kNumber) return error("a quantile between 0 and 1");
      e->number = q->number;
      if (!eat(',')) return error("','");
      MAAS_ASSIGN_OR_RETURN(e->lhs, additive());
      MAAS_RETURN_IF_ERROR(adopt(*e));
      if (!eat(')')) return error("')'");
      return e;
    }
    return selector(name);
  }

  std::string_view s_;
  size_t i_ = 0;
  size_t nesting_ = 0;  // primary() calls under way
};

}  // namespace

bool Comparison::passes(double v) const {
  if (op == ">") return v > threshold;
  if (op == ">=") return v >= threshold;
  if (op == "<") return v < threshold;
  if (op == "<=") return v <= threshold;
  if (op == "==") return v == threshold;
  return v != threshold;
}

Result<std::shared_ptr<RuleExpression>> parse_rule_expression(const std::string& text) {
  if (text.size() > kMaxExpressionBytes) {
    return invalid_argument("the expression is " + std::to_string(text.size()) + " bytes; at most " +
                            std::to_string(kMaxExpressionBytes) + " are accepted");
  }
  auto rule = std::make_shared<RuleExpression>();
  rule->text = text;
  std::string lhs = text;
  if (auto split = split_comparison(text)) {
    auto& [left, op, right] = *split;
    std::string number = trim(right);
    char* end = nullptr;
    double threshold = std::strtod(number.c_str(), &end);
    if (number.empty() || *end != '\0') return invalid_argument("'" + number + "' after " + op + " is not a number");
    rule->comparison = Comparison{op, threshold};
    lhs = trim(left);
  }
  // A LogQL metric query has a {selector} where PromQL has a metric name.
  auto log = logs::parse_logql(lhs);
  if (log.ok() && log->is_metric) {
    rule->log_query = std::move(*log);
    return rule;
  }
  MAAS_ASSIGN_OR_RETURN(rule->metric, Parser(lhs).parse());
  return rule;
}

}  // namespace maas::alerting
