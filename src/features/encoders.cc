// The one-for-one categorical encoders: OrdinalEncoder as scikit-learn 1.2, and count / frequency encoding (each
// value replaced by how often it occurred when fitting). Categories are learned per column (categorical_step.h).
#include <cmath>

#include "features/categorical_step.h"
#include "features/step_kinds.h"

namespace maas::features {
namespace {

class OrdinalEncoder : public CategoricalStep {
 public:
  OrdinalEncoder(bool use_encoded_value, double unknown, double missing)
      : CategoricalStep("OrdinalEncoder"),
        use_encoded_value_(use_encoded_value),
        unknown_(unknown),
        missing_(missing) {}

  Result<Table> transform(const Table& input) const override {
    return encode_one_for_one(input, !use_encoded_value_, [this](size_t i, std::optional<size_t> k) {
      const Categories& cats = categories_[i];
      const bool missing = k && cats.has_missing() && *k + 1 == cats.size();
      return !k ? unknown_ : missing ? missing_ : static_cast<double>(*k);
    });
  }

 protected:
  Status fit_more(const Table& input) override {
    // sklearn refuses an unknown_value that is also the code of a seen category.
    for (size_t i = 0; i < categories_.size(); ++i) {
      const double codes = static_cast<double>(categories_[i].size() - (categories_[i].has_missing() ? 1 : 0));
      if (use_encoded_value_ && unknown_ >= 0 && unknown_ < codes) {
        return invalid_argument("OrdinalEncoder: unknown_value " + std::to_string(static_cast<long long>(unknown_)) +
                                " is the code of a category of column '" + input.columns[i].name +
                                "'; use -1 or a number above the codes");
      }
    }
    return {};
  }

 private:
  bool use_encoded_value_;
  double unknown_, missing_;
};

class CountEncoder : public CategoricalStep {
 public:
  CountEncoder(bool normalize, bool error_on_unknown)
      : CategoricalStep(normalize ? "FrequencyEncoder" : "CountEncoder"),
        normalize_(normalize),
        error_on_unknown_(error_on_unknown) {}

  Result<Table> transform(const Table& input) const override {
    return encode_one_for_one(input, error_on_unknown_,
                              [this](size_t i, std::optional<size_t> k) { return k ? values_[i][*k] : 0.0; });
  }

 protected:
  Status fit_more(const Table& input) override {
    values_.clear();
    for (size_t i = 0; i < categories_.size(); ++i) {
      const Column& c = input.columns[i];
      std::vector<double> counts(categories_[i].size(), 0.0);
      for (size_t row = 0; row < c.size(); ++row) counts[*categories_[i].index_of(c, row)] += 1;
      if (normalize_) {
        for (double& v : counts) v /= static_cast<double>(c.size());
      }
      values_.push_back(std::move(counts));
    }
    return {};
  }
  nlohmann::json more_state() const override { return {{"values", values_}}; }
  Status load_more(const nlohmann::json& state) override {
    values_ = state.at("values").get<std::vector<std::vector<double>>>();
    return {};
  }

 private:
  bool normalize_, error_on_unknown_;
  std::vector<std::vector<double>> values_;
};

}  // namespace

Result<std::unique_ptr<Step>> make_ordinal_encoder(const Params& params) {
  MAAS_ASSIGN_OR_RETURN(std::string handle_unknown,
                        params.choice("handle_unknown", "error", {"error", "use_encoded_value"}));
  const bool use_encoded_value = handle_unknown == "use_encoded_value";
  const nlohmann::json* unknown = params.find("unknown_value");
  if (use_encoded_value != (unknown != nullptr)) {
    return params.error("unknown_value", "is set exactly when handle_unknown is use_encoded_value");
  }
  MAAS_ASSIGN_OR_RETURN(double unknown_value, params.number_or_nan("unknown_value", NAN));
  if (!std::isnan(unknown_value) && unknown_value != std::trunc(unknown_value)) {
    return params.error("unknown_value", "must be an integer or null (NaN)");
  }
  MAAS_ASSIGN_OR_RETURN(double missing, params.number_or_nan("encoded_missing_value", NAN));
  return std::unique_ptr<Step>(std::make_unique<OrdinalEncoder>(use_encoded_value, unknown_value, missing));
}

Result<std::unique_ptr<Step>> make_count_encoder(const Params& params, bool normalize) {
  MAAS_ASSIGN_OR_RETURN(std::string handle_unknown, params.choice("handle_unknown", "value", {"value", "error"}));
  return std::unique_ptr<Step>(std::make_unique<CountEncoder>(normalize, handle_unknown == "error"));
}

}  // namespace maas::features
