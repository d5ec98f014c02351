// OneHotEncoder as scikit-learn 1.2: one output column per category ("x_cat"), infrequent categories (min_frequency,
// max_categories) grouped into "x_infrequent_sklearn" after the frequent ones, drop first / if_binary / a list.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "features/categorical_step.h"
#include "features/step_kinds.h"

namespace maas::features {
namespace {

struct Options {
  std::string handle_unknown = "error";
  std::string drop;          // "", first, if_binary, list
  nlohmann::json drop_list;  // one value per column (null: the missing category)
  double min_frequency = 0;  // 0: none
  bool min_frequency_is_count = true;
  int max_categories = 0;  // 0: none
};

class OneHotEncoder : public CategoricalStep {
 public:
  explicit OneHotEncoder(Options o) : CategoricalStep("OneHotEncoder"), o_(std::move(o)) {}

  Result<Table> transform(const Table& input) const override {
    MAAS_RETURN_IF_ERROR(check_categorical(input, kind_));
    Table out;
    for (size_t i = 0; i < input.columns.size(); ++i) {
      const Column& in = input.columns[i];
      const std::vector<size_t>& slot_of = slot_of_[i];
      const size_t slots = slot_count(i);
      const std::optional<size_t> infrequent_slot = has_infrequent(i) ? std::optional<size_t>(slots - 1) : std::nullopt;
      const int64_t dropped = drop_[i];
      const size_t first_out = out.columns.size();
      for (size_t slot = 0; slot < slots; ++slot) {
        if (static_cast<int64_t>(slot) == dropped) continue;
        out.columns.push_back(Column::of_numbers(in.name + "_" + slot_name(i, slot), std::vector<double>(in.size())));
      }
      for (size_t row = 0; row < in.size(); ++row) {
        const std::optional<size_t> k = categories_[i].index_of(in, row);
        std::optional<size_t> slot = k ? std::optional<size_t>(slot_of[*k]) : std::nullopt;
        if (!k) {
          if (o_.handle_unknown == "error") return unknown_category(kind_, in, row);
          if (o_.handle_unknown == "infrequent_if_exist") slot = infrequent_slot;
          if (!slot) continue;  // all zeros
        }
        if (static_cast<int64_t>(*slot) == dropped) continue;
        out.columns[first_out + *slot - (dropped >= 0 && dropped < static_cast<int64_t>(*slot) ? 1 : 0)].numbers[row] =
            1.0;
      }
    }
    return out;
  }

 protected:
  Status fit_more(const Table& input) override {
    slot_of_.clear();
    drop_.clear();
    infrequent_.clear();
    if (o_.drop == "list" && o_.drop_list.size() != categories_.size()) {
      return invalid_argument("OneHotEncoder: 'drop' lists " + std::to_string(o_.drop_list.size()) +
                              " categories for " + std::to_string(categories_.size()) + " columns");
    }
    for (size_t i = 0; i < categories_.size(); ++i) {
      const std::vector<bool> infrequent = find_infrequent(input.columns[i], categories_[i]);
      infrequent_.push_back(std::find(infrequent.begin(), infrequent.end(), true) != infrequent.end());
      // Frequent categories keep their order; the infrequent ones share the last slot.
      const size_t frequent = static_cast<size_t>(std::count(infrequent.begin(), infrequent.end(), false));
      std::vector<size_t> slot_of(categories_[i].size());
      for (size_t k = 0, next = 0; k < slot_of.size(); ++k) slot_of[k] = infrequent[k] ? frequent : next++;
      slot_of_.push_back(std::move(slot_of));
      MAAS_ASSIGN_OR_RETURN(int64_t dropped, dropped_slot(i, infrequent, input.columns[i].name));
      drop_.push_back(dropped);
    }
    return {};
  }

  nlohmann::json more_state() const override {
    return {{"slot_of", slot_of_}, {"drop", drop_}, {"infrequent", infrequent_}};
  }
  Status load_more(const nlohmann::json& state) override {
    infrequent_ = state.at("infrequent").get<std::vector<bool>>();
    slot_of_ = state.at("slot_of").get<std::vector<std::vector<size_t>>>();
    drop_ = state.at("drop").get<std::vector<int64_t>>();
    return {};
  }

 private:
  bool has_infrequent(size_t i) const { return infrequent_[i]; }
  size_t slot_count(size_t i) const {
    const auto& s = slot_of_[i];
    return s.empty() ? 0 : *std::max_element(s.begin(), s.end()) + 1;
  }
  std::string slot_name(size_t i, size_t slot) const {
    if (has_infrequent(i) && slot + 1 == slot_count(i)) return "infrequent_sklearn";
    const auto& s = slot_of_[i];
    return categories_[i].name(static_cast<size_t>(std::find(s.begin(), s.end(), slot) - s.begin()));
  }

  // sklearn's _identify_infrequent: fewer than min_frequency rows (a count, or a fraction of the rows), then the
  // least frequent beyond max_categories - 1 (a stable sort by count).
  std::vector<bool> find_infrequent(const Column& column, const Categories& cats) const {
    std::vector<double> counts(cats.size(), 0.0);
    for (size_t row = 0; row < column.size(); ++row) counts[*cats.index_of(column, row)] += 1;
    std::vector<bool> infrequent(cats.size(), false);
    const double threshold =
        o_.min_frequency_is_count ? o_.min_frequency : o_.min_frequency * static_cast<double>(column.size());
    for (size_t k = 0; k < cats.size(); ++k) infrequent[k] = counts[k] < threshold;
    const size_t current =
        cats.size() - static_cast<size_t>(std::count(infrequent.begin(), infrequent.end(), true)) + 1;
    if (o_.max_categories > 0 && static_cast<size_t>(o_.max_categories) < current) {
      std::vector<size_t> order(cats.size());
      std::iota(order.begin(), order.end(), size_t{0});
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return counts[a] < counts[b]; });
      // argsort(...)[: -max_categories + 1]: empty for max_categories 1, as in sklearn.
      const size_t smallest = o_.max_categories == 1 ? 0 : cats.size() - static_cast<size_t>(o_.max_categories) + 1;
      for (size_t k = 0; k < smallest; ++k) infrequent[order[k]] = true;
    }
    return infrequent;
  }

  // The slot drop removes, -1 for none (sklearn's drop_idx_, after grouping).
  Result<int64_t> dropped_slot(size_t i, const std::vector<bool>& infrequent, const std::string& column) const {
    if (o_.drop == "first") return 0;
    if (o_.drop == "if_binary") return slot_count(i) == 2 ? 0 : -1;
    if (o_.drop != "list") return -1;
    const nlohmann::json& value = o_.drop_list[i];
    for (size_t k = 0; k < categories_[i].size(); ++k) {
      if (!categories_[i].matches(k, value)) continue;
      if (infrequent[k]) {
        return invalid_argument("OneHotEncoder: cannot drop category " + value.dump() + " of column '" + column +
                                "', which is infrequent");
      }
      return static_cast<int64_t>(slot_of_[i][k]);
    }
    return invalid_argument("OneHotEncoder: 'drop' names category " + value.dump() + " of column '" + column +
                            "', which the data does not hold");
  }

  Options o_;
  std::vector<std::vector<size_t>> slot_of_;
  std::vector<int64_t> drop_;
  std::vector<bool> infrequent_;  // per column: some categories share the last slot, "infrequent_sklearn"
};

}  // namespace

Result<std::unique_ptr<Step>> make_one_hot_encoder(const Params& params) {
  Options o;
  MAAS_ASSIGN_OR_RETURN(o.handle_unknown,
                        params.choice("handle_unknown", "error", {"error", "ignore", "infrequent_if_exist"}));
  if (const nlohmann::json* d = params.find("drop"); d != nullptr && d->is_array()) {
    o.drop = "list";
    o.drop_list = *d;
    for (const auto& v : *d) {
      if (!v.is_null() && !v.is_string() && !v.is_number()) {
        return params.error("drop", "must list one category (a string, a number or null) per column");
      }
    }
  } else if (d != nullptr && !d->is_null()) {
    MAAS_ASSIGN_OR_RETURN(o.drop, params.choice("drop", "", {"first", "if_binary"}));
  }
  if (const nlohmann::json* m = params.find("min_frequency"); m != nullptr && !m->is_null()) {
    o.min_frequency_is_count = m->is_number_integer();
    if (!m->is_number() ||
        (o.min_frequency_is_count ? m->get<double>() < 1 : !(m->get<double>() > 0 && m->get<double>() <= 1))) {
      return params.error("min_frequency", "must be a count >= 1 or a fraction in (0, 1]");
    }
    o.min_frequency = m->get<double>();
  }
  MAAS_ASSIGN_OR_RETURN(o.max_categories, params.integer("max_categories", 0, 1, 1 << 20));
  return std::unique_ptr<Step>(std::make_unique<OneHotEncoder>(std::move(o)));
}

}  // namespace maas::features
