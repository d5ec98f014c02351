// The categorical encoders: OneHotEncoder and OrdinalEncoder as scikit-learn 1.2, and count / frequency encoding
// (each value replaced by how often it occurred when fitting). Categories are learned per column (categories.h).
#include <cmath>

#include "features/categories.h"
#include "features/step_kinds.h"

namespace maas::features {
namespace {

// What the encoders share: categories learned per column, saved as the state's "categories".
class CategoricalStep : public Step {
 public:
  explicit CategoricalStep(const char* kind) : kind_(kind) {}

  Status fit(const Table& input) override {
    MAAS_RETURN_IF_ERROR(check_categorical(input, kind_));
    categories_.clear();
    for (const Column& c : input.columns) categories_.push_back(Categories::of(c));
    return fit_more(input);
  }

  nlohmann::json state() const override {
    nlohmann::json j = more_state();
    j["categories"] = nlohmann::json::array();
    for (const Categories& c : categories_) j["categories"].push_back(c.to_json());
    return j;
  }

  Status load_state(const nlohmann::json& state) override {
    categories_.clear();
    for (const auto& c : state.at("categories")) categories_.push_back(Categories::from_json(c));
    return load_more(state);
  }

 protected:
  template <typename Code>
  Result<Table> encode_one_for_one(const Table& input, bool error_on_unknown, Code code) const {
    return encode_columns(input, categories_, kind_, error_on_unknown, code);
  }

  virtual Status fit_more(const Table&) { return {}; }
  virtual nlohmann::json more_state() const { return nlohmann::json::object(); }
  virtual Status load_more(const nlohmann::json&) { return {}; }

  const char* kind_;
  std::vector<Categories> categories_;
};

class OneHotEncoder : public CategoricalStep {
 public:
  OneHotEncoder(std::string handle_unknown, std::string drop)
      : CategoricalStep("OneHotEncoder"), handle_unknown_(std::move(handle_unknown)), drop_(std::move(drop)) {}

  Result<Table> transform(const Table& input) const override {
    MAAS_RETURN_IF_ERROR(check_categorical(input, kind_));
    Table out;
    for (size_t i = 0; i < input.columns.size(); ++i) {
      const Column& in = input.columns[i];
      const Categories& cats = categories_[i];
      const std::optional<size_t> dropped = dropped_index(cats);
      const size_t first_out = out.columns.size();
      for (size_t k = 0; k < cats.size(); ++k) {
        if (dropped == k) continue;
        out.columns.push_back(Column::of_numbers(in.name + "_" + cats.name(k), std::vector<double>(in.size(), 0.0)));
      }
      for (size_t row = 0; row < in.size(); ++row) {
        const std::optional<size_t> k = cats.index_of(in, row);
        if (!k) {
          if (handle_unknown_ == "error") return unknown_category(kind_, in, row);
          continue;  // ignore / infrequent_if_exist without infrequent categories: all zeros
        }
        if (dropped == *k) continue;
        const size_t column = first_out + *k - (dropped && *dropped < *k ? 1 : 0);
        out.columns[column].numbers[row] = 1.0;
      }
    }
    return out;
  }

 private:
  std::optional<size_t> dropped_index(const Categories& cats) const {
    if (drop_ == "first" || (drop_ == "if_binary" && cats.size() == 2)) return 0;
    return std::nullopt;
  }

  std::string handle_unknown_, drop_;
};

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

Result<std::unique_ptr<Step>> make_one_hot_encoder(const Params& params) {
  MAAS_ASSIGN_OR_RETURN(std::string handle_unknown,
                        params.choice("handle_unknown", "error", {"error", "ignore", "infrequent_if_exist"}));
  std::string drop;
  if (const nlohmann::json* d = params.find("drop"); d != nullptr && !d->is_null()) {
    MAAS_ASSIGN_OR_RETURN(drop, params.choice("drop", "", {"first", "if_binary"}));
  }
  return std::unique_ptr<Step>(std::make_unique<OneHotEncoder>(handle_unknown, drop));
}

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
