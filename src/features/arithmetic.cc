// ArithmeticFeatures: products, ratios, differences and sums of pairs of numeric columns, the pairwise candidates of
// feature search (docs/FEATURES.md). Not in scikit-learn; each value is numpy's on the same float64s, except that
// a ratio whose denominator is 0 is NaN (numpy answers +/-inf, which every other step refuses).
#include <cmath>
#include <limits>

#include "features/step_kinds.h"

namespace maas::features {
namespace {

enum class Op { kProduct, kRatio, kDifference, kSum };

struct OpName {
  Op op;
  const char* name;
  const char* symbol;
};
constexpr OpName kOps[] = {{Op::kProduct, "product", "*"},
                           {Op::kRatio, "ratio", "/"},
                           {Op::kDifference, "difference", "-"},
                           {Op::kSum, "sum", "+"}};

double apply(Op op, double a, double b) {
  switch (op) {
    case Op::kProduct:
      return a * b;
    case Op::kRatio:
      return b == 0 ? std::numeric_limits<double>::quiet_NaN() : a / b;
    case Op::kDifference:
      return a - b;
    case Op::kSum:
      return a + b;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

class ArithmeticFeatures : public Step {
 public:
  ArithmeticFeatures(std::vector<std::pair<std::string, std::string>> pairs, std::vector<OpName> ops, bool passthrough)
      : pairs_(std::move(pairs)), ops_(std::move(ops)), passthrough_(passthrough) {}

  Status fit(const Table& input) override { return check(input); }

  Result<Table> transform(const Table& input) const override {
    MAAS_RETURN_IF_ERROR(check(input));
    Table out;
    if (passthrough_) out = input;
    const size_t rows = input.rows();
    for (const auto& [left, right] : pairs_) {
      const Column& a = *input.find(left);
      const Column& b = *input.find(right);
      for (const OpName& op : ops_) {
        Column c = Column::of_numbers(left + op.symbol + right, std::vector<double>(rows));
        for (size_t row = 0; row < rows; ++row) c.numbers[row] = apply(op.op, a.numbers[row], b.numbers[row]);
        out.columns.push_back(std::move(c));
      }
    }
    return out;
  }

  nlohmann::json state() const override { return nlohmann::json::object(); }
  Status load_state(const nlohmann::json&) override { return {}; }

 private:
  Status check(const Table& input) const {
    for (const auto& [left, right] : pairs_) {
      for (const std::string& name : {left, right}) {
        const Column* c = input.find(name);
        if (c == nullptr) {
          return invalid_argument("ArithmeticFeatures: column '" + name +
                                  "' of 'pairs' is not among the transformer's columns");
        }
        MAAS_RETURN_IF_ERROR(check_numeric(*c, "ArithmeticFeatures"));
        MAAS_RETURN_IF_ERROR(check_finite(*c, /*allow_nan=*/true, "ArithmeticFeatures"));
      }
    }
    return {};
  }

  std::vector<std::pair<std::string, std::string>> pairs_;
  std::vector<OpName> ops_;
  bool passthrough_;
};

bool is_name(const nlohmann::json& v) { return v.is_string() && !v.get_ref<const std::string&>().empty(); }

}  // namespace

Result<std::unique_ptr<Step>> make_arithmetic_features(const Params& params) {
  const nlohmann::json* pairs = params.find("pairs");
  if (pairs == nullptr || !pairs->is_array() || pairs->empty()) {
    return params.error("pairs", "must be a non-empty array of [left, right] column names");
  }
  std::vector<std::pair<std::string, std::string>> columns;
  for (const auto& pair : *pairs) {
    if (!pair.is_array() || pair.size() != 2 || !is_name(pair[0]) || !is_name(pair[1])) {
      return params.error("pairs", "must hold [left, right] pairs of column names");
    }
    columns.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
  }
  std::vector<OpName> ops;
  const nlohmann::json* names = params.find("ops");
  if (names == nullptr) ops.push_back(kOps[0]);
  if (names != nullptr && (!names->is_array() || names->empty())) {
    return params.error("ops", "must be a non-empty array of: product, ratio, difference, sum");
  }
  for (const auto& name : names == nullptr ? nlohmann::json::array() : *names) {
    const OpName* found = nullptr;
    for (const OpName& op : kOps) {
      if (name.is_string() && name.get_ref<const std::string&>() == op.name) found = &op;
    }
    if (found == nullptr) return params.error("ops", "must hold only: product, ratio, difference, sum");
    ops.push_back(*found);
  }
  MAAS_ASSIGN_OR_RETURN(bool passthrough, params.boolean("passthrough", false));
  return std::unique_ptr<Step>(std::make_unique<ArithmeticFeatures>(std::move(columns), std::move(ops), passthrough));
}

}  // namespace maas::features
