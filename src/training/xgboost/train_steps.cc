#include "training/xgboost/train_steps.h"

#include <cmath>
#include <cstdlib>

namespace maas::training {

Status check_labels(const TrainSpec& spec, const TrainingTable& table) {
  const std::string& objective = spec.booster.at("objective");
  double classes = spec.task() == Task::kBinary       ? 2
                   : spec.task() == Task::kMulticlass ? std::strtod(spec.booster.at("num_class").c_str(), nullptr)
                                                      : 0;
  for (float y : table.label) {
    if (!std::isfinite(y)) return invalid_argument("the label column '" + spec.label + "' has a non-finite value");
    if (classes > 0 && (y < 0 || y >= classes || y != std::floor(y))) {
      return invalid_argument("the label column '" + spec.label + "' has the value " + std::to_string(y) + "; " +
                              objective + " needs class labels 0 to " + std::to_string(static_cast<int>(classes) - 1));
    }
    if ((objective == "count:poisson" || objective == "reg:tweedie") && y < 0) {
      return invalid_argument("the label column '" + spec.label + "' has a negative value, which " + objective +
                              " does not allow");
    }
  }
  return {};
}

std::map<std::string, double> parse_evaluation(const std::string& line) {
  std::map<std::string, double> out;
  size_t start = line.find('\t');
  while (start != std::string::npos) {
    size_t end = line.find('\t', start + 1);
    std::string item = line.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
    if (size_t colon = item.rfind(':'); colon != std::string::npos) {
      out[item.substr(0, colon)] = std::strtod(item.c_str() + colon + 1, nullptr);
    }
    start = end;
  }
  return out;
}

Status configure(Booster& booster, const TrainSpec& spec, int threads) {
  for (const auto& [key, value] : spec.booster) {
    if (key == "eval_metric") continue;
    MAAS_RETURN_IF_ERROR(booster.set_param(key, value));
  }
  // Several metrics, as xgboost.train sets a list: one call each; the last one is the one early stopping watches.
  if (auto it = spec.booster.find("eval_metric"); it != spec.booster.end()) {
    size_t start = 0;
    while (start <= it->second.size()) {
      size_t comma = it->second.find(',', start);
      std::string metric = it->second.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!metric.empty()) MAAS_RETURN_IF_ERROR(booster.set_param("eval_metric", metric));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return booster.set_param("nthread", std::to_string(threads));
}

}  // namespace maas::training
