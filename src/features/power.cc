// PowerTransformer (Box-Cox and Yeo-Johnson, optionally standardized) as scikit-learn 1.2: lambda by maximum
// likelihood with scipy's Brent from the bracket (-2, 2) (brent.h), NaN ignored when fitting and kept when
// transforming.
#include <cfloat>
#include <cmath>

#include "features/brent.h"
#include "features/numeric.h"
#include "features/step_kinds.h"

namespace maas::features {
namespace {

// scipy.special.boxcox.
double box_cox(double x, double lambda) {
  return std::fabs(lambda) < 1e-19 ? std::log(x) : std::expm1(lambda * std::log(x)) / lambda;
}

// sklearn's _yeo_johnson_transform for one value.
double yeo_johnson(double x, double lambda) {
  constexpr double kSpacing = DBL_EPSILON;  // np.spacing(1.0)
  if (x >= 0) return std::fabs(lambda) < kSpacing ? std::log1p(x) : (std::pow(x + 1, lambda) - 1) / lambda;
  return std::fabs(lambda - 2) > kSpacing ? -(std::pow(-x + 1, 2 - lambda) - 1) / (2 - lambda) : -std::log1p(-x);
}

// -scipy.stats.boxcox_llf(lambda, x).
double box_cox_negative_llf(const std::vector<double>& x, const std::vector<double>& log_x, double lambda) {
  std::vector<double> t(x.size());
  for (size_t i = 0; i < x.size(); ++i) t[i] = lambda == 0 ? log_x[i] : std::pow(x[i], lambda) / lambda;
  const double n = static_cast<double>(x.size());
  return -((lambda - 1) * numpy_sum(log_x) - n / 2 * std::log(variance(t)));
}

// sklearn's _neg_log_likelihood of _yeo_johnson_optimize.
double yeo_johnson_negative_llf(const std::vector<double>& x, double signed_log_sum, double lambda) {
  std::vector<double> t(x.size());
  for (size_t i = 0; i < x.size(); ++i) t[i] = yeo_johnson(x[i], lambda);
  const double var = variance(t);
  if (var < DBL_MIN) return INFINITY;
  const double n = static_cast<double>(x.size());
  return -(-n / 2 * std::log(var) + (lambda - 1) * signed_log_sum);
}

class PowerTransformer : public Step {
 public:
  PowerTransformer(bool box_cox, bool standardize) : box_cox_(box_cox), standardize_(standardize) {}

  Status fit(const Table& input) override {
    MAAS_RETURN_IF_ERROR(check(input));
    lambdas_.clear();
    center_.clear();
    scale_.clear();
    for (const Column& c : input.columns) {
      std::vector<double> x;
      for (double v : c.numbers) {
        if (!std::isnan(v)) x.push_back(v);
      }
      MAAS_ASSIGN_OR_RETURN(double lambda, fit_lambda(c.name, x));
      lambdas_.push_back(lambda);
      std::vector<double> transformed = c.numbers;
      for (double& v : transformed) v = apply(v, lambda);
      const auto [mean, scale] = standard_scale(transformed);
      center_.push_back(standardize_ ? mean : 0.0);
      scale_.push_back(standardize_ ? scale : 1.0);
    }
    return {};
  }

  Result<Table> transform(const Table& input) const override {
    MAAS_RETURN_IF_ERROR(check(input));
    Table out = input;
    for (size_t i = 0; i < out.columns.size(); ++i) {
      out.columns[i].integral = false;
      for (double& v : out.columns[i].numbers) v = (apply(v, lambdas_[i]) - center_[i]) / scale_[i];
    }
    return out;
  }

  nlohmann::json state() const override {
    return {{"lambdas", numbers_json(lambdas_)}, {"center", numbers_json(center_)}, {"scale", numbers_json(scale_)}};
  }
  Status load_state(const nlohmann::json& state) override {
    lambdas_ = json_numbers(state.at("lambdas"));
    center_ = json_numbers(state.at("center"));
    scale_ = json_numbers(state.at("scale"));
    return {};
  }

 private:
  double apply(double v, double lambda) const { return box_cox_ ? box_cox(v, lambda) : yeo_johnson(v, lambda); }

  Status check(const Table& input) const {
    for (const Column& c : input.columns) {
      MAAS_RETURN_IF_ERROR(check_finite(c, /*allow_nan=*/true, "PowerTransformer"));
      for (size_t row = 0; box_cox_ && row < c.numbers.size(); ++row) {
        if (c.numbers[row] <= 0) {
          return invalid_argument("PowerTransformer: box-cox needs values above 0, but column '" + c.name + "' holds " +
                                  std::to_string(c.numbers[row]) + " at row " + std::to_string(row) +
                                  "; use yeo-johnson");
        }
      }
    }
    return {};
  }

  Result<double> fit_lambda(const std::string& column, const std::vector<double>& x) const {
    if (x.empty()) return invalid_argument("PowerTransformer: column '" + column + "' has no values to fit");
    Result<double> lambda = invalid_argument("");
    if (box_cox_) {
      bool constant = true;
      for (double v : x) constant = constant && v == x.front();
      if (constant) {
        return invalid_argument("PowerTransformer: column '" + column + "' is constant; box-cox needs varied data");
      }
      std::vector<double> log_x(x.size());
      for (size_t i = 0; i < x.size(); ++i) log_x[i] = std::log(x[i]);
      lambda = brent_minimize([&](double l) { return box_cox_negative_llf(x, log_x, l); }, -2.0, 2.0);
    } else {
      std::vector<double> signed_log(x.size());
      for (size_t i = 0; i < x.size(); ++i) {
        const double sign = x[i] > 0 ? 1.0 : x[i] < 0 ? -1.0 : 0.0;
        signed_log[i] = sign * std::log1p(std::fabs(x[i]));
      }
      const double signed_log_sum = numpy_sum(signed_log);
      lambda = brent_minimize([&](double l) { return yeo_johnson_negative_llf(x, signed_log_sum, l); }, -2.0, 2.0);
    }
    if (!lambda.ok()) {
      return invalid_argument("PowerTransformer: no lambda for column '" + column + "': " + lambda.status().message());
    }
    return lambda;
  }

  bool box_cox_, standardize_;
  std::vector<double> lambdas_, center_, scale_;
};

}  // namespace

Result<std::unique_ptr<Step>> make_power_transformer(const Params& params) {
  MAAS_ASSIGN_OR_RETURN(std::string method, params.choice("method", "yeo-johnson", {"yeo-johnson", "box-cox"}));
  MAAS_ASSIGN_OR_RETURN(bool standardize, params.boolean("standardize", true));
  return std::unique_ptr<Step>(std::make_unique<PowerTransformer>(method == "box-cox", standardize));
}

}  // namespace maas::features
