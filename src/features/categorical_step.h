// What the categorical encoders share (private to src/features): categories learned per column when fitting,
// saved as the state's "categories", and the one-for-one encoding loop. Fit is not thread-safe; transform is const.
#pragma once

#include "features/categories.h"
#include "features/step.h"

namespace maas::features {

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

}  // namespace maas::features
