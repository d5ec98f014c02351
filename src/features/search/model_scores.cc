#include "features/search/model_scores.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <map>
#include <random>

#include "features/numeric.h"
#include "training/metrics/probability.h"
#include "training/metrics/regression.h"
#include "training/xgboost/xgboost_handles.h"

namespace maas::features::search {
namespace {

using training::Booster;
using training::DMatrix;
using training::TrainingTable;

// The rows whose fold is (or, with `inside` false, is not) `fold`; -1 selects every row.
std::vector<size_t> rows_of(const std::vector<int>& fold_of, int fold, bool inside) {
  std::vector<size_t> rows;
  for (size_t row = 0; row < fold_of.size(); ++row) {
    if (fold < 0 || (fold_of[row] == fold) == inside) rows.push_back(row);
  }
  return rows;
}

// A value libxgboost takes: a double beyond float's range (a huge ratio) is missing, as NaN is.
float to_float(double v) { return std::fabs(v) > FLT_MAX ? std::nanf("") : static_cast<float>(v); }

}  // namespace

Result<Target> read_target(const Column& label, Task task) {
  Target t;
  t.task = task;
  for (size_t row = 0; row < label.size(); ++row) {
    const bool missing =
        label.type == ColumnType::kText ? !label.texts[row].has_value() : std::isnan(label.numbers[row]);
    if (missing) {
      return invalid_argument("the label '" + label.name + "' is missing at row " + std::to_string(row) +
                              "; drop or fill those rows first");
    }
  }
  if (task == Task::kRegression) {
    MAAS_RETURN_IF_ERROR(check_numeric(label, "feature search (regression label)"));
    MAAS_RETURN_IF_ERROR(check_finite(label, false, "feature search"));
    t.values = label.numbers;
    return t;
  }
  std::map<std::string, int64_t> codes;
  std::vector<std::string> names(label.size());
  for (size_t row = 0; row < label.size(); ++row) {
    names[row] = label.type == ColumnType::kText ? *label.texts[row] : number_name(label.numbers[row], label.integral);
  }
  std::map<double, std::string> numeric_order;  // numbers sort as numbers, not as text
  for (size_t row = 0; row < label.size(); ++row) {
    if (label.type == ColumnType::kNumber) numeric_order.emplace(label.numbers[row], names[row]);
    codes.emplace(names[row], 0);
  }
  if (codes.size() < 2)
    return invalid_argument("the label '" + label.name + "' has one class; classification needs two");
  int64_t next = 0;
  if (label.type == ColumnType::kNumber) {
    for (const auto& [value, name] : numeric_order) codes[name] = next++;
  } else {
    for (auto& [name, code] : codes) code = next++;
  }
  t.class_names.resize(codes.size());
  for (const auto& [name, code] : codes) t.class_names[static_cast<size_t>(code)] = name;
  for (const std::string& name : names) t.classes.push_back(codes[name]);
  return t;
}

ModelScores::ModelScores(const SearchOptions& options, const Target& target, int nthread)
    : options_(options), target_(target), nthread_(std::max(1, nthread)) {
  const size_t n = target.rows();
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::mt19937_64 rng(options.seed);
  for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[std::uniform_int_distribution<size_t>(0, i - 1)(rng)]);
  fold_of_.resize(n);
  for (size_t i = 0; i < n; ++i) fold_of_[order[i]] = static_cast<int>(i * static_cast<size_t>(options.folds) / n);
}

const char* ModelScores::metric() const { return target_.task == Task::kRegression ? "r2" : "neg_log_loss"; }

namespace {

TrainingTable table_of(std::span<const std::vector<double>* const> features, const std::vector<size_t>& rows,
                       const Target& target) {
  TrainingTable t;
  for (size_t f = 0; f < features.size(); ++f) t.features.push_back({"f" + std::to_string(f), false, {}});
  t.values.reserve(rows.size() * features.size());
  for (size_t row : rows) {
    for (const std::vector<double>* column : features) t.values.push_back(to_float((*column)[row]));
    t.label.push_back(target.task == Task::kRegression ? static_cast<float>(target.values[row])
                                                       : static_cast<float>(target.classes[row]));
  }
  return t;
}

// A booster and the matrix it was trained on (its prediction cache refers to it).
struct Trained {
  DMatrix matrix;
  Booster booster;
};

Result<Trained> train(const TrainingTable& table, const SearchOptions& options, const Target& target, int nthread) {
  MAAS_ASSIGN_OR_RETURN(DMatrix matrix, DMatrix::from_table(table));
  MAAS_ASSIGN_OR_RETURN(Booster booster, Booster::create({&matrix}));
  const size_t classes = target.class_names.size();
  const char* objective = target.task == Task::kRegression ? "reg:squarederror"
                          : classes == 2                   ? "binary:logistic"
                                                           : "multi:softprob";
  MAAS_RETURN_IF_ERROR(booster.set_param("objective", objective));
  if (classes > 2) MAAS_RETURN_IF_ERROR(booster.set_param("num_class", std::to_string(classes)));
  MAAS_RETURN_IF_ERROR(booster.set_param("max_depth", std::to_string(options.max_depth)));
  MAAS_RETURN_IF_ERROR(booster.set_param("eta", std::to_string(options.eta)));
  MAAS_RETURN_IF_ERROR(booster.set_param("nthread", std::to_string(nthread)));
  MAAS_RETURN_IF_ERROR(booster.set_param("seed", std::to_string(options.seed)));
  MAAS_RETURN_IF_ERROR(booster.set_param("verbosity", "0"));
  MAAS_RETURN_IF_ERROR(booster.describe_features(table));
  for (int round = 0; round < options.trees; ++round) MAAS_RETURN_IF_ERROR(booster.update(round, matrix));
  return Trained{std::move(matrix), std::move(booster)};
}

}  // namespace

Result<std::vector<double>> ModelScores::cv_scores(std::span<const std::vector<double>* const> features) const {
  std::vector<double> out;
  for (int fold = 0; fold < options_.folds; ++fold) {
    const TrainingTable train_table = table_of(features, rows_of(fold_of_, fold, false), target_);
    const std::vector<size_t> test_rows = rows_of(fold_of_, fold, true);
    const TrainingTable test_table = table_of(features, test_rows, target_);
    MAAS_ASSIGN_OR_RETURN(Trained trained, train(train_table, options_, target_, nthread_));
    MAAS_ASSIGN_OR_RETURN(DMatrix test, DMatrix::from_table(test_table));
    size_t columns = 0;
    MAAS_ASSIGN_OR_RETURN(std::vector<double> predicted, trained.booster.predict(test, &columns));
    if (target_.task == Task::kRegression) {
      std::vector<double> truth;
      truth.reserve(test_rows.size());
      for (size_t row : test_rows) truth.push_back(target_.values[row]);
      MAAS_ASSIGN_OR_RETURN(double r2, training::metrics::r2(truth, predicted));
      out.push_back(r2);
    } else {
      std::vector<int64_t> truth;
      truth.reserve(test_rows.size());
      for (size_t row : test_rows) truth.push_back(target_.classes[row]);
      MAAS_ASSIGN_OR_RETURN(double loss,
                            training::metrics::log_loss(truth, training::metrics::ScoreMatrix{predicted, columns}));
      out.push_back(-loss);
    }
  }
  return out;
}

Result<std::vector<double>> ModelScores::gain(std::span<const std::vector<double>* const> features) const {
  const TrainingTable table = table_of(features, rows_of(fold_of_, -1, true), target_);
  MAAS_ASSIGN_OR_RETURN(Trained trained, train(table, options_, target_, nthread_));
  MAAS_ASSIGN_OR_RETURN(auto scores, trained.booster.feature_scores("gain"));
  std::vector<double> out(features.size(), 0.0);
  for (const auto& [name, score] : scores) {
    const size_t f = std::stoul(name.substr(1));
    if (f < out.size()) out[f] = score;
  }
  return out;
}

}  // namespace maas::features::search
