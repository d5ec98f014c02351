#include "features/search/search.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "features/pipeline.h"
#include "features/search/candidates.h"
#include "features/search/model_scores.h"
#include "features/search/mutual_info.h"

namespace maas::features::search {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// The report lists at most this many dropped candidates (dropped_total counts them all).
constexpr size_t kMaxDroppedListed = 200;

// A candidate and what the selection learned of it.
struct Scored {
  const Candidate* candidate;
  double mutual_info = 0;
  double importance = 0;
  double best_gain = 0;  // the most it added in a forward round it was tried in
  bool tried = false;
};

double mean(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

// The mean per-fold gain of `scores` over `current`, and the least of the per-fold gains.
std::pair<double, double> fold_gain(const std::vector<double>& scores, const std::vector<double>& current) {
  std::vector<double> gains;
  for (size_t f = 0; f < scores.size(); ++f) gains.push_back(scores[f] - current[f]);
  return {mean(gains), *std::min_element(gains.begin(), gains.end())};
}

double mutual_info_of(const std::vector<double>& values, const Target& target, size_t rows) {
  const size_t n = std::min(rows, values.size());
  const std::span<const double> feature(values.data(), n);
  if (target.task == Task::kRegression) return mutual_info_continuous(feature, {target.values.data(), n});
  return mutual_info_discrete(feature, {target.classes.data(), n});
}

// The pipeline spec that computes the base columns and the kept candidates, output named as the report names them.
json servable_spec(const std::vector<std::string>& base, const std::vector<const Candidate*>& kept) {
  json transformers = json::array({{{"name", "base"}, {"columns", base}, {"steps", json::array()}}});
  for (size_t k = 0; k < kept.size(); ++k) {
    transformers.push_back(
        {{"name", "search_" + std::to_string(k + 1)}, {"columns", kept[k]->columns}, {"steps", kept[k]->steps}});
  }
  return {{"transformers", transformers}, {"remainder", "drop"}, {"verbose_feature_names_out", false}};
}

class Search {
 public:
  Search(const Table& data, const SearchOptions& options, int nthread, const SearchHooks& hooks)
      : data_(data),
        options_(options),
        nthread_(nthread),
        hooks_(hooks),
        deadline_(Clock::now() +
                  std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.max_seconds))) {}

  Result<json> run() {
    MAAS_RETURN_IF_ERROR(data_.check_shape());
    if (data_.rows() == 0) return invalid_argument("the dataset version has no rows to search features on");
    const Column* label = data_.find(options_.label);
    if (label == nullptr) {
      std::string names;
      for (const Column& c : data_.columns) names += (names.empty() ? "" : ", ") + c.name;
      return invalid_argument("the data has no label column '" + options_.label + "' (it has: " + names + ")");
    }
    if (data_.rows() < static_cast<size_t>(options_.folds) * 2) {
      return invalid_argument("the data has " + std::to_string(data_.rows()) + " rows; " +
                              std::to_string(options_.folds) + "-fold cross-validation needs at least " +
                              std::to_string(options_.folds * 2));
    }
    MAAS_ASSIGN_OR_RETURN(target_, read_target(*label, options_.task));
    progress(0.0, "generating candidates");
    MAAS_ASSIGN_OR_RETURN(candidates_,
                          generate_candidates(data_, options_, [this] { return out_of_time() || cancelled(); }));
    log(std::to_string(candidates_.generated) + " candidates generated, " + std::to_string(candidates_.pruned.size()) +
        " pruned, over " + std::to_string(candidates_.base.size()) + " numeric columns and " +
        std::to_string(candidates_.keys.size()) + " keys");
    if (cancelled()) return unavailable("cancelled while generating candidates");
    ModelScores scores(options_, target_, nthread_);
    MAAS_RETURN_IF_ERROR(screen(scores));
    MAAS_RETURN_IF_ERROR(forward(scores));
    return report(scores);
  }

 private:
  struct ForwardStep {
    size_t index;  // into scored_
    double before, after;
  };

  bool out_of_time() const { return Clock::now() >= deadline_; }
  bool cancelled() const { return hooks_.cancelled && hooks_.cancelled(); }
  void progress(double fraction, const std::string& message) const {
    if (hooks_.progress) hooks_.progress(fraction, message);
  }
  void log(const std::string& line) const {
    if (hooks_.log) hooks_.log(line);
  }

  std::vector<const std::vector<double>*> base_columns() const {
    std::vector<const std::vector<double>*> out;
    for (const std::string& name : candidates_.base) out.push_back(&data_.find(name)->numbers);
    return out;
  }

  // Mutual information ranks every candidate; the best 2 x screen go to one XGBoost model over them and the base
  // columns. Forward selection tries the best half of `screen` by mutual information and fills the rest by gain,
  // so that of two near-copies a model splits on only one, the other still gets its chance.
  Status screen(const ModelScores& scores) {
    progress(0.2, "scoring " + std::to_string(candidates_.kept.size()) + " candidates");
    for (const Candidate& c : candidates_.kept) {
      scored_.push_back({&c, mutual_info_of(c.values, target_, options_.mi_rows)});
    }
    std::stable_sort(scored_.begin(), scored_.end(),
                     [](const Scored& a, const Scored& b) { return a.mutual_info > b.mutual_info; });
    size_t by_mi = std::min(scored_.size(), options_.screen * 2);
    while (by_mi > 0 && scored_[by_mi - 1].mutual_info <= options_.min_mutual_info) --by_mi;
    for (size_t k = by_mi; k < scored_.size(); ++k) dropped_.push_back({scored_[k], "mutual information too low"});
    scored_.resize(by_mi);
    if (scored_.empty()) return {};
    std::vector<const std::vector<double>*> columns = base_columns();
    for (const Scored& s : scored_) columns.push_back(&s.candidate->values);
    progress(0.3, "importance of " + std::to_string(scored_.size()) + " candidates");
    MAAS_ASSIGN_OR_RETURN(std::vector<double> gain, scores.gain(columns));
    for (size_t k = 0; k < scored_.size(); ++k) scored_[k].importance = gain[candidates_.base.size() + k];
    const size_t first = std::min(scored_.size(), (options_.screen + 1) / 2);
    const auto rest = scored_.begin() + static_cast<std::ptrdiff_t>(first);
    std::stable_sort(rest, scored_.end(), [](const Scored& a, const Scored& b) { return a.importance > b.importance; });
    while (scored_.size() > first && (scored_.size() > options_.screen || scored_.back().importance == 0)) {
      dropped_.push_back({scored_.back(), scored_.back().importance == 0
                                              ? "mutual information too low, never split on by the importance model"
                                              : "mutual information and importance too low"});
      scored_.pop_back();
    }
    return {};
  }

  // Rounds of forward selection: the candidate whose addition gives the best CV score is kept when its mean gain
  // over the folds is above the tolerance and every fold gains (a gain the folds agree on, not the luck of the best
  // of many tries on noise).
  Status forward(const ModelScores& scores) {
    std::vector<const std::vector<double>*> columns = base_columns();
    progress(0.4, "baseline cross-validation");
    MAAS_ASSIGN_OR_RETURN(std::vector<double> current, scores.cv_scores(columns));
    baseline_ = mean(current);
    log("baseline " + std::string(scores.metric()) + " " + json(baseline_).dump());
    const size_t rounds = std::min(options_.max_features, scored_.size());
    std::vector<bool> taken(scored_.size(), false);
    stopped_ = rounds == 0 ? "no candidate passed screening" : "";
    for (size_t round = 0; round < rounds && stopped_.empty(); ++round) {
      std::vector<double> best;
      std::pair<double, double> best_gain{0, 0};
      size_t best_index = scored_.size();
      size_t tried = 0;
      for (size_t k = 0; k < scored_.size(); ++k) {
        if (taken[k]) continue;
        if (cancelled()) return unavailable("cancelled during forward selection");
        if (out_of_time()) {
          stopped_ = "time budget (max_seconds) spent";
          break;
        }
        const double done =
            (static_cast<double>(round) + static_cast<double>(tried++) / static_cast<double>(scored_.size())) /
            static_cast<double>(rounds);
        progress(0.4 + 0.55 * done, "forward step " + std::to_string(round + 1) + " of " + std::to_string(rounds) +
                                        ": trying " + scored_[k].candidate->name);
        columns.push_back(&scored_[k].candidate->values);
        MAAS_ASSIGN_OR_RETURN(std::vector<double> score, scores.cv_scores(columns));
        columns.pop_back();
        const auto gain = fold_gain(score, current);
        scored_[k].best_gain = scored_[k].tried ? std::max(scored_[k].best_gain, gain.first) : gain.first;
        scored_[k].tried = true;
        if (best_index == scored_.size() || gain.first > best_gain.first) {
          best = std::move(score);
          best_gain = gain;
          best_index = k;
        }
      }
      if (!stopped_.empty() || best_index == scored_.size()) break;
      if (best_gain.first <= options_.tolerance || best_gain.second <= 0) {
        stopped_ = "no candidate improves the score by more than the tolerance in every fold";
        break;
      }
      taken[best_index] = true;
      columns.push_back(&scored_[best_index].candidate->values);
      steps_.push_back({best_index, mean(current), mean(best)});
      log("forward step " + std::to_string(round + 1) + ": kept " + scored_[best_index].candidate->name + " (" +
          json(mean(current)).dump() + " -> " + json(mean(best)).dump() + ")");
      current = std::move(best);
    }
    if (stopped_.empty()) stopped_ = "max_features kept";
    for (size_t k = 0; k < scored_.size(); ++k) {
      if (!taken[k]) {
        dropped_.push_back(
            {scored_[k], scored_[k].tried ? "adds too little under cross-validation" : "not tried within the budget"});
      }
    }
    return {};
  }

  Result<json> report(const ModelScores& scores) {
    json kept = json::array(), steps = json::array({{{"step", 0}, {"feature", nullptr}, {"score", baseline_}}});
    std::vector<const Candidate*> chosen;
    for (const ForwardStep& s : steps_) {
      const Scored& c = scored_[s.index];
      chosen.push_back(c.candidate);
      kept.push_back({{"name", c.candidate->name},
                      {"definition", {{"columns", c.candidate->columns}, {"steps", c.candidate->steps}}},
                      {"mutual_info", c.mutual_info},
                      {"importance", c.importance},
                      {"score_before", s.before},
                      {"score_after", s.after},
                      {"gain", s.after - s.before}});
      steps.push_back({{"step", steps.size()}, {"feature", c.candidate->name}, {"score", s.after}});
    }
    json dropped = json::array();
    for (const auto& [s, reason] : dropped_) {
      if (dropped.size() == kMaxDroppedListed) break;
      json d = {{"name", s.candidate->name}, {"reason", reason}, {"mutual_info", s.mutual_info}};
      if (s.importance > 0) d["importance"] = s.importance;
      if (s.tried) d["best_gain"] = s.best_gain;
      dropped.push_back(std::move(d));
    }
    for (const Pruned& p : candidates_.pruned) {
      if (dropped.size() == kMaxDroppedListed) break;
      dropped.push_back({{"name", p.name}, {"reason", "pruned: " + p.reason}});
    }
    json spec = servable_spec(candidates_.base, chosen);
    // The spec must fit and give the features scored: fitting it here proves it before anyone serves it.
    MAAS_ASSIGN_OR_RETURN(Pipeline pipeline, Pipeline::from_spec(spec));
    MAAS_RETURN_IF_ERROR(pipeline.fit(data_));
    progress(1.0, std::to_string(chosen.size()) + " features kept");
    return json{{"task", task_name(options_.task)},
                {"label", options_.label},
                {"metric", scores.metric()},
                {"rows", data_.rows()},
                {"folds", options_.folds},
                {"base_features", candidates_.base},
                {"keys", candidates_.keys},
                {"baseline_score", baseline_},
                {"final_score", steps_.empty() ? baseline_ : steps_.back().after},
                {"candidates",
                 {{"generated", candidates_.generated},
                  {"pruned", candidates_.pruned.size()},
                  {"scored", candidates_.kept.size()},
                  {"screened", scored_.size()},
                  {"budget_hit", candidates_.budget_hit}}},
                {"kept", kept},
                {"steps", steps},
                {"dropped", dropped},
                {"dropped_total", dropped_.size() + candidates_.pruned.size()},
                {"stopped", stopped_},
                {"spec", spec}};
  }

  const Table& data_;
  const SearchOptions& options_;
  int nthread_;
  const SearchHooks& hooks_;
  Clock::time_point deadline_;
  Target target_;
  Candidates candidates_;
  std::vector<Scored> scored_;
  std::vector<std::pair<Scored, std::string>> dropped_;
  std::vector<ForwardStep> steps_;
  double baseline_ = 0;
  std::string stopped_;
};

}  // namespace

Result<json> run_search(const Table& data, const SearchOptions& options, int nthread, const SearchHooks& hooks) {
  Search search(data, options, nthread, hooks);
  return search.run();
}

}  // namespace maas::features::search
