// KBinsDiscretizer (uniform and quantile bins; ordinal or one-hot output) as scikit-learn 1.2 fits and applies it.
#include <algorithm>

#include "features/numeric.h"
#include "features/step_kinds.h"

namespace maas::features {
namespace {

class KBinsDiscretizer : public Step {
 public:
  KBinsDiscretizer(int n_bins, bool quantile, bool onehot) : n_bins_(n_bins), quantile_(quantile), onehot_(onehot) {}

  Status fit(const Table& input) override {
    inner_edges_.clear();
    for (const Column& c : input.columns) {
      MAAS_RETURN_IF_ERROR(check_finite(c, /*allow_nan=*/false, "KBinsDiscretizer"));
      inner_edges_.push_back(fit_column(sorted_present(c.numbers)));
    }
    return {};
  }

  Result<Table> transform(const Table& input) const override {
    Table out;
    for (size_t i = 0; i < input.columns.size(); ++i) {
      const Column& in = input.columns[i];
      MAAS_RETURN_IF_ERROR(check_finite(in, /*allow_nan=*/false, "KBinsDiscretizer"));
      const std::vector<double>& edges = inner_edges_[i];
      std::vector<double> bins(in.size());
      // np.searchsorted(bin_edges[1:-1], x, side="right")
      for (size_t row = 0; row < in.size(); ++row) {
        bins[row] = static_cast<double>(std::upper_bound(edges.begin(), edges.end(), in.numbers[row]) - edges.begin());
      }
      if (!onehot_) {
        out.columns.push_back(Column::of_numbers(in.name, std::move(bins)));
        continue;
      }
      // sklearn names the bins after its inner encoder's float categories: "x_0.0", "x_1.0", ...
      for (size_t bin = 0; bin <= edges.size(); ++bin) {
        Column indicator = Column::of_numbers(in.name + "_" + python_float_repr(static_cast<double>(bin)),
                                              std::vector<double>(in.size()));
        for (size_t row = 0; row < in.size(); ++row)
          indicator.numbers[row] = bins[row] == static_cast<double>(bin) ? 1.0 : 0.0;
        out.columns.push_back(std::move(indicator));
      }
    }
    return out;
  }

  nlohmann::json state() const override { return {{"inner_edges", inner_edges_}}; }
  Status load_state(const nlohmann::json& state) override {
    inner_edges_ = state.at("inner_edges").get<std::vector<std::vector<double>>>();
    return {};
  }

 private:
  // The edges between bins (bin_edges_[1:-1]); a constant column is one bin, so none.
  std::vector<double> fit_column(const std::vector<double>& sorted) const {
    const double low = sorted.front(), high = sorted.back();
    if (low == high) return {};
    std::vector<double> edges = quantile_ ? quantile_edges(sorted) : linspace(low, high, n_bins_ + 1);
    if (quantile_) {
      // Bins narrower than 1e-8 are removed, as sklearn does (np.ediff1d(edges, to_begin=inf) > 1e-8).
      std::vector<double> kept{edges.front()};
      for (size_t k = 1; k < edges.size(); ++k) {
        if (edges[k] - edges[k - 1] > 1e-8) kept.push_back(edges[k]);
      }
      edges = std::move(kept);
    }
    return {edges.begin() + 1, edges.end() - 1};
  }

  std::vector<double> quantile_edges(const std::vector<double>& sorted) const {
    std::vector<double> edges;
    for (double percent : linspace(0, 100, n_bins_ + 1)) edges.push_back(percentile(sorted, percent));
    return edges;
  }

  int n_bins_;
  bool quantile_, onehot_;
  std::vector<std::vector<double>> inner_edges_;
};

}  // namespace

Result<std::unique_ptr<Step>> make_kbins_discretizer(const Params& params) {
  MAAS_ASSIGN_OR_RETURN(int n_bins, params.integer("n_bins", 5, 2, 1 << 16));
  MAAS_ASSIGN_OR_RETURN(std::string strategy, params.choice("strategy", "quantile", {"uniform", "quantile"}));
  MAAS_ASSIGN_OR_RETURN(std::string encode, params.choice("encode", "onehot", {"onehot", "onehot-dense", "ordinal"}));
  return std::unique_ptr<Step>(std::make_unique<KBinsDiscretizer>(n_bins, strategy == "quantile", encode != "ordinal"));
}

}  // namespace maas::features
