#include "studies/study_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

#include "common/clock.h"
#include "common/json_fields.h"

namespace maas::studies {
namespace {

std::vector<hpo::Trial> plain_trials(const std::vector<TrialRecord>& records) {
  std::vector<hpo::Trial> out;
  out.reserve(records.size());
  for (const auto& r : records) out.push_back(r.trial);
  return out;
}

Status finished(const TrialRecord& record) {
  return failed_precondition(
      fmt::format("trial {} is already {}", record.trial.number, hpo::trial_state_name(record.trial.state)));
}

TrialRecord* find_trial(std::vector<TrialRecord>& trials, int64_t number) {
  const auto it = std::find_if(trials.begin(), trials.end(), [&](const auto& r) { return r.trial.number == number; });
  return it == trials.end() ? nullptr : &*it;
}

Status no_trial(const std::string& study, int64_t number) {
  return not_found(fmt::format("study '{}' has no trial {}", study, number));
}

Result<std::vector<double>> read_values(const nlohmann::json& values, size_t directions) {
  if (!values.is_array() || values.size() != directions) {
    return invalid_argument(fmt::format("'values' must be an array of {} number{}, one per direction", directions,
                                        directions == 1 ? "" : "s"));
  }
  std::vector<double> out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!values[i].is_number() || !std::isfinite(values[i].get<double>())) {
      return invalid_argument(fmt::format("'values[{}]' must be a finite number", i));
    }
    out.push_back(values[i].get<double>());
  }
  return out;
}

}  // namespace

std::vector<const TrialRecord*> best_trials(const StudySpec& spec, const std::vector<TrialRecord>& trials) {
  std::vector<const TrialRecord*> complete;
  for (const auto& r : trials) {
    if (r.trial.state == hpo::TrialState::kComplete && r.trial.values.size() == spec.directions.size()) {
      complete.push_back(&r);
    }
  }
  std::vector<std::vector<double>> points;
  points.reserve(complete.size());
  for (const auto* r : complete) points.push_back(hpo::minimized(spec.directions, r->trial.values));
  std::vector<const TrialRecord*> out;
  if (spec.directions.size() == 1) {
    if (complete.empty()) return out;
    size_t best = 0;  // the lowest number among ties
    for (size_t i = 1; i < complete.size(); ++i) {
      if (points[i][0] < points[best][0]) best = i;
    }
    return {complete[best]};
  }
  for (const size_t i : hpo::pareto_front(points)) out.push_back(complete[i]);
  return out;
}

Status budget_left(const StudySnapshot& study) {
  const auto& name = study.record.name;
  if (study.spec.budget_trials && static_cast<int64_t>(study.trials.size()) >= *study.spec.budget_trials) {
    return failed_precondition(
        fmt::format("study '{}' has spent its budget of {} trials", name, *study.spec.budget_trials));
  }
  if (study.spec.budget_seconds &&
      static_cast<double>(now_unix_ms() - study.record.created_at_ms) >= *study.spec.budget_seconds * 1000) {
    return failed_precondition(
        fmt::format("study '{}' has spent its budget of {} seconds", name, *study.spec.budget_seconds));
  }
  return {};
}

std::mutex& StudyService::study_mutex(const std::string& name) {
  return study_mutexes_[std::hash<std::string>{}(name) % kMutexStripes];
}

Result<StudySnapshot> StudyService::load(const std::string& name) {
  MAAS_ASSIGN_OR_RETURN(auto record, store_.get(name));
  MAAS_ASSIGN_OR_RETURN(auto out, from_record(std::move(record)));
  MAAS_ASSIGN_OR_RETURN(out.trials, store_.trials(out.record.id));
  return out;
}

Result<StudySnapshot> StudyService::from_record(StudyRecord record) {
  std::shared_ptr<const Cached> cached;
  {
    std::lock_guard lock(cache_mu_);
    if (const auto it = cache_.find(record.id); it != cache_.end()) cached = it->second;
  }
  if (!cached) {
    // Built outside the lock: a grid sampler lists its combinations. Two builders race harmlessly (same result).
    auto built = std::make_shared<Cached>();
    MAAS_ASSIGN_OR_RETURN(built->spec, stored_study_spec(record.spec));
    MAAS_ASSIGN_OR_RETURN(built->compiled, compile_study(built->spec));
    std::lock_guard lock(cache_mu_);
    cached = cache_.emplace(record.id, std::move(built)).first->second;
  }
  StudySnapshot out;
  out.record = std::move(record);
  out.spec = cached->spec;
  out.compiled = std::shared_ptr<const CompiledStudy>(cached, &cached->compiled);
  return out;
}

void StudyService::keep_cached(const std::vector<StudyRecord>& records) {
  std::set<int64_t> ids;
  for (const auto& record : records) ids.insert(record.id);
  std::lock_guard lock(cache_mu_);
  std::erase_if(cache_, [&ids](const auto& entry) { return !ids.contains(entry.first); });
}

Result<StudySnapshot> StudyService::create(const nlohmann::json& body, const std::string& created_by) {
  MAAS_ASSIGN_OR_RETURN(const auto spec, parse_study_spec(body, limits_.max_trials_per_study));
  MAAS_ASSIGN_OR_RETURN(auto record, store_.create(spec.name, study_spec_json(spec), created_by, limits_.max_studies));
  return from_record(std::move(record));
}

Result<StudySnapshot> StudyService::get(const std::string& name) { return load(name); }

Result<std::vector<StudySnapshot>> StudyService::list() { return list_where(/*with_objective_only=*/false); }

Result<std::vector<StudySnapshot>> StudyService::list_with_objective() {
  return list_where(/*with_objective_only=*/true);
}

Result<std::vector<StudySnapshot>> StudyService::list_where(bool with_objective_only) {
  MAAS_ASSIGN_OR_RETURN(auto records, store_.list());
  keep_cached(records);  // a get that raced a delete may have cached a deleted study
  std::vector<StudySnapshot> out;
  for (auto& record : records) {
    if (with_objective_only) {
      const auto objective = record.spec.find("objective");
      if (objective == record.spec.end() || objective->is_null()) continue;
    }
    auto snapshot = from_record(std::move(record));
    if (!snapshot.ok()) continue;
    auto trials = store_.trials(snapshot->record.id);
    if (!trials.ok()) continue;  // deleted meanwhile: left out
    snapshot->trials = std::move(*trials);
    out.push_back(std::move(*snapshot));
  }
  return out;
}

Status StudyService::remove(const std::string& name) {
  std::lock_guard lock(study_mutex(name));
  MAAS_ASSIGN_OR_RETURN(const auto record, store_.get(name));
  MAAS_RETURN_IF_ERROR(store_.remove(name));
  std::lock_guard cache_lock(cache_mu_);
  cache_.erase(record.id);
  return {};
}

Result<AskResult> StudyService::ask(const std::string& name, bool by_driver) {
  std::lock_guard lock(study_mutex(name));
  MAAS_ASSIGN_OR_RETURN(auto study, load(name));
  if (!by_driver && !study.spec.objective.is_null()) {
    return failed_precondition(fmt::format("study '{}' runs its own trials (its objective is {}); read them instead",
                                           name, study.spec.objective.at("kind").get<std::string>()));
  }
  MAAS_RETURN_IF_ERROR(budget_left(study));
  const auto count = static_cast<int64_t>(study.trials.size());
  if (count >= limits_.max_trials_per_study) {
    return resource_exhausted(
        fmt::format("study '{}' has {} trials, the most studies.max_trials_per_study allows", name, count));
  }
  const auto running = std::count_if(study.trials.begin(), study.trials.end(),
                                     [](const TrialRecord& r) { return r.trial.state == hpo::TrialState::kRunning; });
  if (running >= limits_.max_running_trials) {
    return resource_exhausted(fmt::format(
        "study '{}' has {} running trials, the most studies.max_running_trials allows; tell one first", name, running));
  }
  const auto& compiled = *study.compiled;
  const auto trials = plain_trials(study.trials);
  const hpo::StudyView view{&compiled.space, compiled.directions, trials};
  // The next number is the store's (numbers of trials deleted with nothing else are never reused).
  const int64_t number = trials.empty() ? 0 : trials.back().number + 1;
  MAAS_ASSIGN_OR_RETURN(auto params, compiled.sampler->sample(view, number));
  MAAS_ASSIGN_OR_RETURN(auto record, store_.add_trial(study.record.id, params));
  return AskResult{record.trial.number, std::move(record.trial.params)};
}

Result<bool> StudyService::report(const std::string& name, int64_t number, int64_t step, double value) {
  std::lock_guard lock(study_mutex(name));
  MAAS_ASSIGN_OR_RETURN(auto study, load(name));
  TrialRecord* record = find_trial(study.trials, number);
  if (record == nullptr) return no_trial(name, number);
  if (record->trial.state != hpo::TrialState::kRunning) return finished(*record);
  auto& intermediate = record->trial.intermediate;
  const auto at = std::lower_bound(intermediate.begin(), intermediate.end(), step,
                                   [](const auto& entry, int64_t s) { return entry.first < s; });
  if (at == intermediate.end() || at->first != step) {
    if (static_cast<int64_t>(intermediate.size()) >= limits_.max_intermediate_values) {
      return resource_exhausted(
          fmt::format("trial {} has {} intermediate values, the most "
                      "studies.max_intermediate_values allows",
                      number, intermediate.size()));
    }
    intermediate.insert(at, {step, value});
  }
  const auto& compiled = *study.compiled;
  const auto trials = plain_trials(study.trials);
  const hpo::StudyView view{&compiled.space, compiled.directions, trials};
  const bool prune = compiled.pruner->should_prune(view, record->trial, step);
  if (prune) {
    record->trial.state = hpo::TrialState::kPruned;
    record->finished_at_ms = now_unix_ms();
  }
  MAAS_RETURN_IF_ERROR(store_.update_trial(study.record.id, *record));
  return prune;
}

Result<TrialRecord> StudyService::tell(const std::string& name, int64_t number, const nlohmann::json& body) {
  MAAS_RETURN_IF_ERROR(check_known_fields(body, "", {"values", "state"}));
  const auto values = body.find("values");
  const auto state_field = body.find("state");
  std::optional<hpo::TrialState> state;
  if (state_field != body.end() && !state_field->is_null()) {
    state = state_field->is_string() ? hpo::trial_state_from_name(state_field->get_ref<const std::string&>())
                                     : std::nullopt;
    if (!state || *state == hpo::TrialState::kRunning) {
      return invalid_argument("'state' must be \"complete\" (with 'values'), \"failed\" or \"pruned\"");
    }
  }
  const bool has_values = values != body.end() && !values->is_null();
  if (!state) state = has_values ? hpo::TrialState::kComplete : std::optional<hpo::TrialState>();
  if (!state) return invalid_argument("'values' (one per direction) or 'state' (\"failed\" or \"pruned\") is required");
  if (*state == hpo::TrialState::kComplete && !has_values) {
    return invalid_argument("'values' is required to complete a trial");
  }
  if (*state != hpo::TrialState::kComplete && has_values) {
    return invalid_argument(fmt::format("'values' cannot be told with state \"{}\"", hpo::trial_state_name(*state)));
  }
  std::lock_guard lock(study_mutex(name));
  MAAS_ASSIGN_OR_RETURN(auto study, load(name));
  TrialRecord* record = find_trial(study.trials, number);
  if (record == nullptr) return no_trial(name, number);
  if (record->trial.state == hpo::TrialState::kPruned && *state == hpo::TrialState::kPruned) return *record;
  if (record->trial.state != hpo::TrialState::kRunning) return finished(*record);
  if (has_values) {
    MAAS_ASSIGN_OR_RETURN(record->trial.values, read_values(*values, study.spec.directions.size()));
  }
  record->trial.state = *state;
  record->finished_at_ms = now_unix_ms();
  MAAS_RETURN_IF_ERROR(store_.update_trial(study.record.id, *record));
  return *record;
}

Status StudyService::add_intermediate(const std::string& name, int64_t number,
                                      const std::vector<std::pair<int64_t, double>>& values) {
  std::lock_guard lock(study_mutex(name));
  MAAS_ASSIGN_OR_RETURN(auto study, store_.get(name));
  MAAS_ASSIGN_OR_RETURN(auto record, store_.trial(study.id, number));
  if (record.trial.state != hpo::TrialState::kRunning) return finished(record);
  auto& intermediate = record.trial.intermediate;
  for (const auto& [step, value] : values) {
    if (static_cast<int64_t>(intermediate.size()) >= limits_.max_intermediate_values) break;
    const auto at = std::lower_bound(intermediate.begin(), intermediate.end(), step,
                                     [](const auto& entry, int64_t s) { return entry.first < s; });
    if (at == intermediate.end() || at->first != step) intermediate.insert(at, {step, value});
  }
  return store_.update_trial(study.id, record);
}

Status StudyService::set_job(const std::string& name, int64_t number, const std::string& job_id) {
  std::lock_guard lock(study_mutex(name));
  MAAS_ASSIGN_OR_RETURN(auto study, store_.get(name));
  MAAS_ASSIGN_OR_RETURN(auto record, store_.trial(study.id, number));
  record.job_id = job_id;
  return store_.update_trial(study.id, record);
}

Result<TrialRecord> StudyService::trial(const std::string& name, int64_t number) {
  MAAS_ASSIGN_OR_RETURN(auto study, store_.get(name));
  auto record = store_.trial(study.id, number);
  if (!record.ok() && record.status().code() == StatusCode::kNotFound) return no_trial(name, number);
  return record;
}

Result<std::vector<TrialRecord>> StudyService::trials(const std::string& name, int64_t after, int64_t limit) {
  MAAS_ASSIGN_OR_RETURN(auto study, store_.get(name));
  return store_.trials(study.id, after, limit);
}

}  // namespace maas::studies
