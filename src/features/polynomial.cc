// PolynomialFeatures (scikit-learn 1.2's column order, names and products) and Log1p (FunctionTransformer(np.log1p)).
#include <cmath>

#include "features/step_kinds.h"

namespace maas::features {
namespace {

class PolynomialFeatures : public Step {
 public:
  PolynomialFeatures(int degree, bool interaction_only, bool include_bias)
      : degree_(degree), interaction_only_(interaction_only), include_bias_(include_bias) {}

  Status fit(const Table& input) override {
    for (const Column& c : input.columns) MAAS_RETURN_IF_ERROR(check_finite(c, false, "PolynomialFeatures"));
    return {};
  }

  Result<Table> transform(const Table& input) const override {
    for (const Column& c : input.columns) MAAS_RETURN_IF_ERROR(check_finite(c, false, "PolynomialFeatures"));
    Table out;
    const size_t rows = input.rows();
    for (const std::vector<size_t>& term : terms(input.columns.size())) {
      Column c = Column::of_numbers(term_name(input, term), std::vector<double>(rows, 1.0));
      if (!term.empty()) {
        // sklearn builds a term by multiplying the term of its later features by its first one, so the product
        // runs from the last feature to the first; the same order gives the same bits.
        for (size_t row = 0; row < rows; ++row) {
          double p = input.columns[term.back()].numbers[row];
          for (size_t k = term.size() - 1; k-- > 0;) p *= input.columns[term[k]].numbers[row];
          c.numbers[row] = p;
        }
      }
      out.columns.push_back(std::move(c));
    }
    return out;
  }

  nlohmann::json state() const override { return nlohmann::json::object(); }
  Status load_state(const nlohmann::json&) override { return {}; }

 private:
  // Combinations (with replacement unless interaction_only) of feature indexes, by degree, in itertools' order.
  std::vector<std::vector<size_t>> terms(size_t features) const {
    std::vector<std::vector<size_t>> out;
    if (include_bias_) out.emplace_back();
    for (int degree = 1; degree <= degree_; ++degree) {
      std::vector<size_t> term(static_cast<size_t>(degree));
      add_terms(features, term, 0, 0, out);
    }
    return out;
  }

  void add_terms(size_t features, std::vector<size_t>& term, size_t position, size_t first,
                 std::vector<std::vector<size_t>>& out) const {
    if (position == term.size()) {
      out.push_back(term);
      return;
    }
    for (size_t f = first; f < features; ++f) {
      term[position] = f;
      add_terms(features, term, position + 1, interaction_only_ ? f + 1 : f, out);
    }
  }

  static std::string term_name(const Table& input, const std::vector<size_t>& term) {
    if (term.empty()) return "1";
    std::string name;
    for (size_t k = 0; k < term.size();) {
      size_t power = 1;
      while (k + power < term.size() && term[k + power] == term[k]) ++power;
      name += (name.empty() ? "" : " ") + input.columns[term[k]].name;
      if (power > 1) name += "^" + std::to_string(power);
      k += power;
    }
    return name;
  }

  int degree_;
  bool interaction_only_, include_bias_;
};

class Log1p : public Step {
 public:
  Status fit(const Table& input) override { return check(input); }

  Result<Table> transform(const Table& input) const override {
    MAAS_RETURN_IF_ERROR(check(input));
    Table out = input;
    for (Column& c : out.columns) {
      c.integral = false;
      for (double& v : c.numbers) v = std::log1p(v);
    }
    return out;
  }

  nlohmann::json state() const override { return nlohmann::json::object(); }
  Status load_state(const nlohmann::json&) override { return {}; }

 private:
  // numpy answers -inf or NaN (with a warning) for x <= -1; a feature of -inf is a defect, so it is refused here.
  static Status check(const Table& input) {
    for (const Column& c : input.columns) {
      MAAS_RETURN_IF_ERROR(check_finite(c, /*allow_nan=*/true, "Log1p"));
      for (size_t row = 0; row < c.numbers.size(); ++row) {
        if (c.numbers[row] <= -1) {
          return invalid_argument("Log1p: column '" + c.name + "' holds " + std::to_string(c.numbers[row]) +
                                  " at row " + std::to_string(row) + "; log1p needs values above -1");
        }
      }
    }
    return {};
  }
};

}  // namespace

Result<std::unique_ptr<Step>> make_polynomial_features(const Params& params) {
  MAAS_ASSIGN_OR_RETURN(int degree, params.integer("degree", 2, 1, 8));
  MAAS_ASSIGN_OR_RETURN(bool interaction_only, params.boolean("interaction_only", false));
  MAAS_ASSIGN_OR_RETURN(bool include_bias, params.boolean("include_bias", true));
  return std::unique_ptr<Step>(std::make_unique<PolynomialFeatures>(degree, interaction_only, include_bias));
}

Result<std::unique_ptr<Step>> make_log1p(const Params&) { return std::unique_ptr<Step>(std::make_unique<Log1p>()); }

}  // namespace maas::features
