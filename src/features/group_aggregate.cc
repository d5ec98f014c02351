// GroupAggregate: a numeric column's statistic per value of a key column, as pandas 1.5's
// df.groupby(key)[column].transform(agg), fitted once so that serving answers a row with the statistics of the rows
// it was fitted on (Featuretools' aggregation primitives; the group candidates of feature search).
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "features/numeric.h"
#include "features/step_kinds.h"

namespace maas::features {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kAggs[] = {"mean", "std", "min", "max", "count"};

// pandas' statistics of one group's values, NaN skipped: mean, std (ddof 1, NaN below two values), min, max (NaN
// without values) and count (values that are not NaN).
double statistic(const std::string& agg, std::span<const double> values) {
  std::vector<double> present;
  for (double v : values) {
    if (!std::isnan(v)) present.push_back(v);
  }
  const auto n = static_cast<double>(present.size());
  if (agg == "count") return n;
  if (present.empty()) return kNaN;
  if (agg == "min") return *std::min_element(present.begin(), present.end());
  if (agg == "max") return *std::max_element(present.begin(), present.end());
  const double mean = nan_sum(present) / n;
  if (agg == "mean") return mean;
  if (present.size() < 2) return kNaN;
  for (double& v : present) v = (v - mean) * (v - mean);
  return std::sqrt(nan_sum(present) / (n - 1));
}

class GroupAggregate : public Step {
 public:
  GroupAggregate(std::string key, std::string column, std::vector<std::string> aggs, std::string relative,
                 std::string handle_unknown)
      : key_(std::move(key)),
        column_(std::move(column)),
        aggs_(std::move(aggs)),
        relative_(std::move(relative)),
        handle_unknown_(std::move(handle_unknown)) {}

  Status fit(const Table& input) override {
    MAAS_ASSIGN_OR_RETURN(auto columns, find_columns(input));
    const auto& [key, values] = columns;
    std::map<std::string, std::vector<double>> groups;
    for (size_t row = 0; row < input.rows(); ++row) {
      // pandas' groupby drops a missing key (dropna=True): such rows get NaN, at fit and at serving.
      if (auto name = key_name(*key, row)) groups[*name].push_back(values->numbers[row]);
    }
    if (groups.empty()) return invalid_argument("GroupAggregate: the key column '" + key_ + "' has no values");
    keys_.clear();
    stats_.assign(aggs_.size(), {});
    global_.clear();
    for (const auto& [name, group] : groups) {
      index_[name] = keys_.size();
      keys_.push_back(name);
      for (size_t a = 0; a < aggs_.size(); ++a) stats_[a].push_back(statistic(aggs_[a], group));
    }
    for (const std::string& agg : aggs_) global_.push_back(statistic(agg, values->numbers));
    return {};
  }

  Result<Table> transform(const Table& input) const override {
    MAAS_ASSIGN_OR_RETURN(auto columns, find_columns(input));
    const auto& [key, values] = columns;
    const size_t rows = input.rows();
    Table out;
    for (const std::string& agg : aggs_) out.columns.push_back(Column::of_numbers(output_name(agg), {}));
    for (Column& c : out.columns) c.numbers.resize(rows, kNaN);
    for (size_t row = 0; row < rows; ++row) {
      const auto name = key_name(*key, row);
      if (!name) continue;
      const auto it = index_.find(*name);
      if (it == index_.end() && handle_unknown_ == "error") {
        return invalid_argument("GroupAggregate: the key column '" + key_ + "' holds '" + *name + "' at row " +
                                std::to_string(row) + ", a value it was not fitted on");
      }
      if (it == index_.end() && handle_unknown_ == "nan") continue;
      for (size_t a = 0; a < aggs_.size(); ++a) {
        const double stat = it == index_.end() ? global_[a] : stats_[a][it->second];
        out.columns[a].numbers[row] = relate(values->numbers[row], stat);
      }
    }
    return out;
  }

  nlohmann::json state() const override {
    nlohmann::json stats = nlohmann::json::object();
    nlohmann::json global = nlohmann::json::object();
    for (size_t a = 0; a < aggs_.size(); ++a) {
      stats[aggs_[a]] = numbers_json(stats_[a]);
      global[aggs_[a]] = number_json(global_[a]);
    }
    return {{"keys", keys_}, {"stats", stats}, {"global", global}};
  }

  Status load_state(const nlohmann::json& state) override {
    keys_ = state.at("keys").get<std::vector<std::string>>();
    index_.clear();
    for (size_t k = 0; k < keys_.size(); ++k) index_[keys_[k]] = k;
    stats_.clear();
    global_.clear();
    for (const std::string& agg : aggs_) {
      stats_.push_back(json_numbers(state.at("stats").at(agg)));
      global_.push_back(json_number(state.at("global").at(agg)));
      if (stats_.back().size() != keys_.size()) return internal_error("GroupAggregate: the state is malformed");
    }
    return {};
  }

 private:
  using Columns = std::pair<const Column*, const Column*>;

  Result<Columns> find_columns(const Table& input) const {
    const Column* key = input.find(key_);
    const Column* values = input.find(column_);
    if (key == nullptr || values == nullptr) {
      return invalid_argument("GroupAggregate: 'key' and 'column' must be among the transformer's columns ('" + key_ +
                              "', '" + column_ + "')");
    }
    MAAS_RETURN_IF_ERROR(check_numeric(*values, "GroupAggregate"));
    MAAS_RETURN_IF_ERROR(check_finite(*values, /*allow_nan=*/true, "GroupAggregate"));
    if (key->type == ColumnType::kNumber) MAAS_RETURN_IF_ERROR(check_finite(*key, true, "GroupAggregate"));
    return Columns{key, values};
  }

  // The key's value as a group's name ("3" for an integral 3, as categories are named); nullopt when missing.
  static std::optional<std::string> key_name(const Column& key, size_t row) {
    if (key.type == ColumnType::kText) return key.texts[row];
    if (std::isnan(key.numbers[row])) return std::nullopt;
    return number_name(key.numbers[row], key.integral);
  }

  std::string output_name(const std::string& agg) const {
    std::string stat = agg + "(" + column_ + " by " + key_ + ")";
    if (relative_ == "ratio") return column_ + "/" + stat;
    if (relative_ == "difference") return column_ + "-" + stat;
    return stat;
  }

  double relate(double value, double stat) const {
    if (relative_ == "ratio") return stat == 0 ? kNaN : value / stat;
    if (relative_ == "difference") return value - stat;
    return stat;
  }

  std::string key_, column_;
  std::vector<std::string> aggs_;
  std::string relative_, handle_unknown_;
  std::vector<std::string> keys_;
  std::map<std::string, size_t> index_;
  std::vector<std::vector<double>> stats_;  // per agg, per key
  std::vector<double> global_;              // per agg, over all rows
};

Result<std::string> column_name(const Params& params, const char* name) {
  const nlohmann::json* v = params.find(name);
  if (v == nullptr || !v->is_string() || v->get_ref<const std::string&>().empty()) {
    return params.error(name, "must be a column name");
  }
  return v->get<std::string>();
}

}  // namespace

Result<std::unique_ptr<Step>> make_group_aggregate(const Params& params) {
  MAAS_ASSIGN_OR_RETURN(std::string key, column_name(params, "key"));
  MAAS_ASSIGN_OR_RETURN(std::string column, column_name(params, "column"));
  std::vector<std::string> aggs;
  const nlohmann::json* names = params.find("aggs");
  if (names == nullptr) aggs.emplace_back("mean");
  if (names != nullptr && (!names->is_array() || names->empty())) {
    return params.error("aggs", "must be a non-empty array of: mean, std, min, max, count");
  }
  for (const auto& name : names == nullptr ? nlohmann::json::array() : *names) {
    const bool known = name.is_string() && std::any_of(std::begin(kAggs), std::end(kAggs), [&](const char* a) {
                         return name.get_ref<const std::string&>() == a;
                       });
    if (!known || std::find(aggs.begin(), aggs.end(), name.get<std::string>()) != aggs.end()) {
      return params.error("aggs", "must hold each of mean, std, min, max, count at most once");
    }
    aggs.push_back(name.get<std::string>());
  }
  MAAS_ASSIGN_OR_RETURN(std::string relative, params.choice("relative", "none", {"none", "ratio", "difference"}));
  MAAS_ASSIGN_OR_RETURN(std::string handle_unknown, params.choice("handle_unknown", "nan", {"nan", "global", "error"}));
  return std::unique_ptr<Step>(std::make_unique<GroupAggregate>(std::move(key), std::move(column), std::move(aggs),
                                                                std::move(relative), std::move(handle_unknown)));
}

}  // namespace maas::features
