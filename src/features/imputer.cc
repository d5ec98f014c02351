// SimpleImputer: missing values (NaN, or null text) replaced by the column's mean, median, most frequent value or a
// constant, as scikit-learn 1.2 computes them.
#include <cmath>
#include <map>

#include "features/numeric.h"
#include "features/step_kinds.h"

namespace maas::features {
namespace {

// The most frequent present value; among ties the smallest (sklearn's _most_frequent, for numbers and strings).
template <typename T>
std::optional<T> most_frequent(const std::vector<T>& present) {
  std::map<T, size_t> counts;
  for (const T& v : present) ++counts[v];
  std::optional<T> best;
  size_t best_count = 0;
  for (const auto& [value, count] : counts) {
    if (count > best_count) best = value, best_count = count;
  }
  return best;
}

class SimpleImputer : public Step {
 public:
  SimpleImputer(std::string strategy, nlohmann::json fill_value)
      : strategy_(std::move(strategy)), fill_value_(std::move(fill_value)) {}

  Status fit(const Table& input) override {
    fills_.clear();
    for (const Column& c : input.columns) {
      MAAS_ASSIGN_OR_RETURN(nlohmann::json fill, fit_column(c));
      fills_.push_back(std::move(fill));
    }
    return {};
  }

  Result<Table> transform(const Table& input) const override {
    Table out;
    for (size_t i = 0; i < input.columns.size(); ++i) {
      Column c = input.columns[i];
      if (c.type == ColumnType::kNumber) {
        MAAS_RETURN_IF_ERROR(check_finite(c, /*allow_nan=*/true, "SimpleImputer"));
        const double fill = fills_[i].get<double>();
        for (double& v : c.numbers) v = std::isnan(v) ? fill : v;
      } else {
        const std::string fill = fills_[i].get<std::string>();
        for (auto& v : c.texts) v = v ? v : fill;
      }
      out.columns.push_back(std::move(c));
    }
    return out;
  }

  nlohmann::json state() const override { return {{"statistics", fills_}}; }
  Status load_state(const nlohmann::json& state) override {
    fills_ = state.at("statistics").get<std::vector<nlohmann::json>>();
    return {};
  }

 private:
  Result<nlohmann::json> fit_column(const Column& c) const {
    if (c.type == ColumnType::kText) {
      if (strategy_ == "mean" || strategy_ == "median") {
        return invalid_argument("SimpleImputer: strategy '" + strategy_ + "' needs numbers, but column '" + c.name +
                                "' holds text; use most_frequent or constant");
      }
      if (strategy_ == "constant") {
        if (!fill_value_.is_null() && !fill_value_.is_string()) {
          return invalid_argument("SimpleImputer: 'fill_value' must be a string for text column '" + c.name + "'");
        }
        return fill_value_.is_null() ? nlohmann::json("missing_value") : fill_value_;
      }
      std::vector<std::string> present;
      for (const auto& v : c.texts) {
        if (v) present.push_back(*v);
      }
      auto best = most_frequent(present);
      if (!best) return no_values(c);
      return nlohmann::json(*best);
    }
    MAAS_RETURN_IF_ERROR(check_finite(c, /*allow_nan=*/true, "SimpleImputer"));
    if (strategy_ == "constant") {
      if (!fill_value_.is_null() && !fill_value_.is_number()) {
        return invalid_argument("SimpleImputer: 'fill_value' must be a number for numeric column '" + c.name + "'");
      }
      return fill_value_.is_null() ? nlohmann::json(0.0) : nlohmann::json(fill_value_.get<double>());
    }
    const std::vector<double> sorted = sorted_present(c.numbers);
    if (sorted.empty()) return no_values(c);
    if (strategy_ == "mean") return nlohmann::json(nan_sum(c.numbers) / static_cast<double>(sorted.size()));
    if (strategy_ == "median") return nlohmann::json(median(sorted));
    return nlohmann::json(*most_frequent(sorted));
  }

  // sklearn drops a column with no value to learn from (with a warning); a pipeline's output columns must not
  // depend on the data, so here it is an error.
  Status no_values(const Column& c) const {
    return invalid_argument("SimpleImputer: column '" + c.name + "' has no values to compute the " + strategy_ +
                            " from; use strategy constant");
  }

  std::string strategy_;
  nlohmann::json fill_value_;
  std::vector<nlohmann::json> fills_;
};

}  // namespace

Result<std::unique_ptr<Step>> make_simple_imputer(const Params& params) {
  MAAS_ASSIGN_OR_RETURN(std::string strategy,
                        params.choice("strategy", "mean", {"mean", "median", "most_frequent", "constant"}));
  const nlohmann::json* fill = params.find("fill_value");
  if (fill != nullptr && !fill->is_null() && !fill->is_string() &&
      !(fill->is_number() && std::isfinite(fill->get<double>()))) {
    return params.error("fill_value", "must be a number or a string");
  }
  return std::unique_ptr<Step>(std::make_unique<SimpleImputer>(strategy, fill ? *fill : nlohmann::json()));
}

}  // namespace maas::features
