// StandardScaler, RobustScaler and MaxAbsScaler ((x - center) / scale) and MinMaxScaler (x * scale + min), each
// fitted per column as scikit-learn 1.2 fits it: NaN ignored when fitting and kept when transforming.
#include <algorithm>
#include <cfloat>
#include <cmath>

#include "features/numeric.h"
#include "features/step_kinds.h"

namespace maas::features {
namespace {

// sklearn's _handle_zeros_in_scale: a scale within 10 eps of zero becomes 1, so a constant column maps to 0.
double nonzero_scale(double scale) { return scale < 10 * DBL_EPSILON ? 1.0 : scale; }

// The columns with each value v of column i replaced by f(i, v); the results are not integral any more.
template <typename F>
Table map_values(const Table& input, F f) {
  Table out = input;
  for (size_t i = 0; i < out.columns.size(); ++i) {
    out.columns[i].integral = false;
    for (double& v : out.columns[i].numbers) v = f(i, v);
  }
  return out;
}

Status check_inputs(const Table& input, const char* step) {
  for (const Column& c : input.columns) MAAS_RETURN_IF_ERROR(check_finite(c, /*allow_nan=*/true, step));
  return {};
}

// The scalers whose transform is (x - center) / scale; what differs is how fit finds center and scale.
class CenterScale : public Step {
 public:
  using Fitter = std::pair<double, double> (*)(const CenterScale&, const std::vector<double>& column);
  CenterScale(const char* kind, Fitter fitter) : kind_(kind), fitter_(fitter) {}

  Status fit(const Table& input) override {
    MAAS_RETURN_IF_ERROR(check_inputs(input, kind_));
    center_.clear();
    scale_.clear();
    for (const Column& c : input.columns) {
      const auto [center, scale] = fitter_(*this, c.numbers);
      center_.push_back(center);
      scale_.push_back(scale);
    }
    return {};
  }

  Result<Table> transform(const Table& input) const override {
    MAAS_RETURN_IF_ERROR(check_inputs(input, kind_));
    return map_values(input, [this](size_t i, double v) { return (v - center_[i]) / scale_[i]; });
  }

  nlohmann::json state() const override { return {{"center", numbers_json(center_)}, {"scale", numbers_json(scale_)}}; }
  Status load_state(const nlohmann::json& state) override {
    center_ = json_numbers(state.at("center"));
    scale_ = json_numbers(state.at("scale"));
    return {};
  }

  bool with_center = true, with_scale = true;
  std::pair<double, double> quantile_range{25, 75};

 private:
  const char* kind_;
  Fitter fitter_;
  std::vector<double> center_, scale_;
};

std::pair<double, double> fit_standard(const CenterScale& s, const std::vector<double>& x) {
  const auto [mean, scale] = standard_scale(x);
  return {s.with_center ? mean : 0.0, s.with_scale ? scale : 1.0};
}

std::pair<double, double> fit_robust(const CenterScale& s, const std::vector<double>& x) {
  const std::vector<double> sorted = sorted_present(x);
  if (sorted.empty()) return {s.with_center ? NAN : 0.0, s.with_scale ? NAN : 1.0};
  const double scale = percentile(sorted, s.quantile_range.second) - percentile(sorted, s.quantile_range.first);
  return {s.with_center ? median(sorted) : 0.0, s.with_scale ? nonzero_scale(scale) : 1.0};
}

std::pair<double, double> fit_max_abs(const CenterScale&, const std::vector<double>& x) {
  double max_abs = NAN;
  for (double v : x) {
    if (!std::isnan(v)) max_abs = std::isnan(max_abs) ? std::fabs(v) : std::max(max_abs, std::fabs(v));
  }
  return {0.0, std::isnan(max_abs) ? max_abs : nonzero_scale(max_abs)};
}

class MinMaxScaler : public Step {
 public:
  MinMaxScaler(std::pair<double, double> range, bool clip) : range_(range), clip_(clip) {}

  Status fit(const Table& input) override {
    MAAS_RETURN_IF_ERROR(check_inputs(input, "MinMaxScaler"));
    scale_.clear();
    min_.clear();
    for (const Column& c : input.columns) {
      const std::vector<double> sorted = sorted_present(c.numbers);
      const double low = sorted.empty() ? NAN : sorted.front(), high = sorted.empty() ? NAN : sorted.back();
      const double scale = (range_.second - range_.first) / nonzero_scale(high - low);
      scale_.push_back(scale);
      min_.push_back(range_.first - low * scale);
    }
    return {};
  }

  Result<Table> transform(const Table& input) const override {
    MAAS_RETURN_IF_ERROR(check_inputs(input, "MinMaxScaler"));
    return map_values(input, [this](size_t i, double v) {
      v = v * scale_[i] + min_[i];
      return clip_ && !std::isnan(v) ? std::clamp(v, range_.first, range_.second) : v;
    });
  }

  nlohmann::json state() const override { return {{"scale", numbers_json(scale_)}, {"min", numbers_json(min_)}}; }
  Status load_state(const nlohmann::json& state) override {
    scale_ = json_numbers(state.at("scale"));
    min_ = json_numbers(state.at("min"));
    return {};
  }

 private:
  std::pair<double, double> range_;
  bool clip_;
  std::vector<double> scale_, min_;
};

}  // namespace

Result<std::unique_ptr<Step>> make_standard_scaler(const Params& params) {
  auto step = std::make_unique<CenterScale>("StandardScaler", fit_standard);
  MAAS_ASSIGN_OR_RETURN(step->with_center, params.boolean("with_mean", true));
  MAAS_ASSIGN_OR_RETURN(step->with_scale, params.boolean("with_std", true));
  return std::unique_ptr<Step>(std::move(step));
}

Result<std::unique_ptr<Step>> make_robust_scaler(const Params& params) {
  auto step = std::make_unique<CenterScale>("RobustScaler", fit_robust);
  MAAS_ASSIGN_OR_RETURN(step->with_center, params.boolean("with_centering", true));
  MAAS_ASSIGN_OR_RETURN(step->with_scale, params.boolean("with_scaling", true));
  MAAS_ASSIGN_OR_RETURN(step->quantile_range, params.range("quantile_range", {25.0, 75.0}, /*allow_equal=*/true));
  if (step->quantile_range.first < 0 || step->quantile_range.second > 100) {
    return params.error("quantile_range", "must lie within [0, 100]");
  }
  return std::unique_ptr<Step>(std::move(step));
}

Result<std::unique_ptr<Step>> make_max_abs_scaler(const Params&) {
  return std::unique_ptr<Step>(std::make_unique<CenterScale>("MaxAbsScaler", fit_max_abs));
}

Result<std::unique_ptr<Step>> make_min_max_scaler(const Params& params) {
  MAAS_ASSIGN_OR_RETURN(auto range, params.range("feature_range", {0.0, 1.0}, /*allow_equal=*/false));
  MAAS_ASSIGN_OR_RETURN(bool clip, params.boolean("clip", false));
  return std::unique_ptr<Step>(std::make_unique<MinMaxScaler>(range, clip));
}

}  // namespace maas::features
