// TargetEncoder with scikit-learn 1.3's definition (1.2 has none): each category replaced by the target's mean
// in it, shrunk towards the global mean (empirical Bayes with smooth "auto", or a fixed weight), fitted out of
// fold when the data it is fitted on is transformed.
#include <cmath>
#include <numeric>
#include <random>

#include "features/categories.h"
#include "features/numeric.h"
#include "features/step_kinds.h"

namespace maas::features {
namespace {

struct Options {
  std::string target;
  bool auto_smooth = true;
  double smooth = 0;
  int folds = 5;
  bool shuffle = true;
  uint64_t seed = 0;
};

class TargetEncoder : public Step {
 public:
  explicit TargetEncoder(Options options) : options_(std::move(options)) {}

  std::string target() const override { return options_.target; }

  Status fit(const Table&) override {
    return invalid_argument("TargetEncoder fits only inside a pipeline, which gives it its 'target' column");
  }

  Result<Table> fit_transform(const Table& input, const Column* target) override {
    MAAS_RETURN_IF_ERROR(check_categorical(input, "TargetEncoder"));
    if (target == nullptr) return invalid_argument("TargetEncoder needs its 'target' column");
    MAAS_RETURN_IF_ERROR(check_finite(*target, /*allow_nan=*/false, "TargetEncoder's target"));
    const size_t rows = input.rows();
    std::vector<size_t> all(rows);
    std::iota(all.begin(), all.end(), size_t{0});
    categories_.clear();
    for (const Column& c : input.columns) categories_.push_back(Categories::of(c));
    fit_encodings(input, target->numbers, all, mean_, encodings_);
    // Out of fold: sklearn's KFold over the rows (shuffled by our own seeded generator, not numpy's).
    Table out;
    for (const Column& c : input.columns) out.columns.push_back(Column::of_numbers(c.name, std::vector<double>(rows)));
    const std::vector<size_t> order = fold_order(rows);
    const size_t folds = std::min<size_t>(static_cast<size_t>(options_.folds), rows);
    size_t start = 0;
    for (size_t fold = 0; fold < folds; ++fold) {
      const size_t size = rows / folds + (fold < rows % folds ? 1 : 0);
      std::vector<size_t> train(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(start));
      train.insert(train.end(), order.begin() + static_cast<std::ptrdiff_t>(start + size), order.end());
      double fold_mean = 0;
      std::vector<std::vector<double>> fold_encodings;
      fit_encodings(input, target->numbers, train, fold_mean, fold_encodings);
      for (size_t k = start; k < start + size; ++k) {
        const size_t row = order[k];
        for (size_t i = 0; i < input.columns.size(); ++i) {
          const std::optional<size_t> code = categories_[i].index_of(input.columns[i], row);
          out.columns[i].numbers[row] = fold_encodings[i][*code];
        }
      }
      start += size;
    }
    return out;
  }

  Result<Table> transform(const Table& input) const override {
    // An unseen category gets the target's mean, as sklearn.
    return encode_columns(input, categories_, "TargetEncoder", /*error_on_unknown=*/false,
                          [this](size_t i, std::optional<size_t> k) { return k ? encodings_[i][*k] : mean_; });
  }

  nlohmann::json state() const override {
    nlohmann::json categories = nlohmann::json::array(), encodings = nlohmann::json::array();
    for (size_t i = 0; i < categories_.size(); ++i) {
      categories.push_back(categories_[i].to_json());
      encodings.push_back(numbers_json(encodings_[i]));
    }
    return {{"categories", categories}, {"encodings", encodings}, {"target_mean", mean_}};
  }

  Status load_state(const nlohmann::json& state) override {
    categories_.clear();
    encodings_.clear();
    for (const auto& c : state.at("categories")) categories_.push_back(Categories::from_json(c));
    for (const auto& e : state.at("encodings")) encodings_.push_back(json_numbers(e));
    mean_ = state.at("target_mean").get<double>();
    return {};
  }

 private:
  std::vector<size_t> fold_order(size_t rows) const {
    std::vector<size_t> order(rows);
    std::iota(order.begin(), order.end(), size_t{0});
    if (!options_.shuffle) return order;
    // Fisher-Yates over mt19937_64, whose output the standard fixes, so a seed means the same folds everywhere.
    std::mt19937_64 rng(options_.seed);
    for (size_t i = rows; i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
    return order;
  }

  // sklearn 1.3's _fit_encoding_fast(_auto_smooth) over the rows `train`.
  void fit_encodings(const Table& input, const std::vector<double>& y, const std::vector<size_t>& train, double& mean,
                     std::vector<std::vector<double>>& encodings) const {
    std::vector<double> y_train;
    y_train.reserve(train.size());
    for (size_t row : train) y_train.push_back(y[row]);
    mean = numpy_sum(y_train) / static_cast<double>(y_train.size());
    const double y_variance = variance(y_train);
    encodings.clear();
    for (size_t i = 0; i < input.columns.size(); ++i) {
      const size_t n = categories_[i].size();
      std::vector<double> sums(n, 0.0), counts(n, 0.0), squared(n, 0.0), encoding(n);
      std::vector<size_t> codes;
      codes.reserve(train.size());
      for (size_t row : train) codes.push_back(*categories_[i].index_of(input.columns[i], row));
      for (size_t k = 0; k < train.size(); ++k) {
        sums[codes[k]] += y[train[k]];
        counts[codes[k]] += 1;
      }
      for (size_t k = 0; k < train.size(); ++k) {
        const double diff = y[train[k]] - sums[codes[k]] / counts[codes[k]];
        squared[codes[k]] += diff * diff;
      }
      for (size_t c = 0; c < n; ++c) {
        if (!options_.auto_smooth) {
          encoding[c] = (sums[c] + options_.smooth * mean) / (counts[c] + options_.smooth);
          continue;
        }
        const double category_mean = sums[c] / counts[c];
        const double lambda = y_variance * counts[c] / (y_variance * counts[c] + squared[c] / counts[c]);
        // NaN when the category is not in these rows, or neither the target nor the category varies.
        encoding[c] = std::isnan(lambda) ? mean : lambda * category_mean + (1 - lambda) * mean;
      }
      encodings.push_back(std::move(encoding));
    }
  }

  Options options_;
  std::vector<Categories> categories_;
  std::vector<std::vector<double>> encodings_;
  double mean_ = 0;
};

}  // namespace

Result<std::unique_ptr<Step>> make_target_encoder(const Params& params) {
  Options o;
  const nlohmann::json* target = params.find("target");
  if (target == nullptr || !target->is_string() || target->get_ref<const std::string&>().empty()) {
    return params.error("target", "must name the target column");
  }
  o.target = target->get<std::string>();
  if (const nlohmann::json* smooth = params.find("smooth"); smooth != nullptr && *smooth != "auto") {
    MAAS_ASSIGN_OR_RETURN(o.smooth, params.number("smooth", 0));
    if (o.smooth <= 0) return params.error("smooth", "must be \"auto\" or a number above 0");
    o.auto_smooth = false;
  }
  MAAS_ASSIGN_OR_RETURN(o.folds, params.integer("cv", 5, 2, 1000));
  MAAS_ASSIGN_OR_RETURN(o.shuffle, params.boolean("shuffle", true));
  MAAS_ASSIGN_OR_RETURN(int seed, params.integer("random_state", 0, 0, 2147483647));
  o.seed = static_cast<uint64_t>(seed);
  return std::unique_ptr<Step>(std::make_unique<TargetEncoder>(std::move(o)));
}

}  // namespace maas::features
