// Strict readers for a step's parameters in its JSON spec: a wrong type or a value out of range is INVALID_ARGUMENT
// naming the step and the parameter, never an exception. Pure functions; no threading.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"

namespace maas::features {

// Reads the parameters of one step; `where` names it in messages ("transformers[1].steps[0] (StandardScaler)").
class Params {
 public:
  Params(const nlohmann::json& spec, std::string where) : spec_(spec), where_(std::move(where)) {}

  Result<bool> boolean(const char* name, bool fallback) const;
  Result<double> number(const char* name, double fallback) const;
  // A number or null (NaN), as sklearn's parameters that accept np.nan.
  Result<double> number_or_nan(const char* name, double fallback) const;
  Result<int> integer(const char* name, int fallback, int min, int max) const;
  Result<std::string> choice(const char* name, const char* fallback, std::initializer_list<const char*> allowed) const;
  // [a, b] of numbers with a < b (or a <= b when `allow_equal`).
  Result<std::pair<double, double>> range(const char* name, std::pair<double, double> fallback, bool allow_equal) const;
  const nlohmann::json* find(const char* name) const;
  Status error(const std::string& name, const std::string& what) const;
  const std::string& where() const { return where_; }

 private:
  const nlohmann::json& spec_;
  std::string where_;
};

}  // namespace maas::features
