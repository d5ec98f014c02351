#include "features/params.h"

#include <cmath>
#include <limits>

namespace maas::features {

const nlohmann::json* Params::find(const char* name) const {
  const auto it = spec_.find(name);
  return it == spec_.end() ? nullptr : &*it;
}

Status Params::error(const std::string& name, const std::string& what) const {
  return invalid_argument(where_ + ": '" + name + "' " + what);
}

Result<bool> Params::boolean(const char* name, bool fallback) const {
  const nlohmann::json* v = find(name);
  if (v == nullptr) return fallback;
  if (!v->is_boolean()) return error(name, "must be true or false");
  return v->get<bool>();
}

Result<double> Params::number(const char* name, double fallback) const {
  const nlohmann::json* v = find(name);
  if (v == nullptr) return fallback;
  if (!v->is_number() || !std::isfinite(v->get<double>())) return error(name, "must be a finite number");
  return v->get<double>();
}

Result<double> Params::number_or_nan(const char* name, double fallback) const {
  const nlohmann::json* v = find(name);
  if (v != nullptr && v->is_null()) return std::numeric_limits<double>::quiet_NaN();
  return number(name, fallback);
}

Result<int> Params::integer(const char* name, int fallback, int min, int max) const {
  const nlohmann::json* v = find(name);
  if (v == nullptr) return fallback;
  if (!v->is_number_integer() || v->get<int64_t>() < min || v->get<int64_t>() > max) {
    return error(name, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return static_cast<int>(v->get<int64_t>());
}

Result<std::string> Params::choice(const char* name, const char* fallback,
                                   std::initializer_list<const char*> allowed) const {
  const nlohmann::json* v = find(name);
  if (v == nullptr) return std::string(fallback);
  std::string accepted;
  for (const char* a : allowed) {
    if (v->is_string() && v->get_ref<const std::string&>() == a) return std::string(a);
    accepted += (accepted.empty() ? "" : ", ") + std::string(a);
  }
  return error(name, "must be one of: " + accepted);
}

Result<std::pair<double, double>> Params::range(const char* name, std::pair<double, double> fallback,
                                                bool allow_equal) const {
  const nlohmann::json* v = find(name);
  if (v == nullptr) return fallback;
  if (!v->is_array() || v->size() != 2 || !(*v)[0].is_number() || !(*v)[1].is_number()) {
    return error(name, "must be [low, high], two numbers");
  }
  const double low = (*v)[0].get<double>(), high = (*v)[1].get<double>();
  if (!std::isfinite(low) || !std::isfinite(high) || low > high || (!allow_equal && low == high)) {
    return error(name, std::string("must have low ") + (allow_equal ? "<=" : "<") + " high");
  }
  return std::pair{low, high};
}

}  // namespace maas::features
