// Studies (docs/HPO.md): create, list, get (with the best trial or the Pareto front), delete; and ask-and-tell —
// ask for a trial (the study's sampler over its stored trials), report an intermediate value (the study's pruner
// answers whether to stop; a pruned report ends the trial), tell the final values or a failure. Each study's asks,
// reports and tells are serialized (a mutex per study, shared with the studies whose names hash alike), so trial
// numbers are unique and every decision sees the trials before it; everything is written to the StudyStore before
// it is answered, so a study survives a restart.
// A study's spec never changes after create: its compiled form (space, sampler, pruner) is built once and cached
// by study id until the study is deleted.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "studies/study_spec.h"
#include "studies/study_store.h"

namespace maas::studies {

struct StudyLimits {
  int64_t max_studies = 1000;
  int64_t max_trials_per_study = 10'000;
  int64_t max_intermediate_values = 10'000;  // per trial
  int64_t max_running_trials = 1000;         // per study
};

// A study with its trials, as the service read them together.
struct StudySnapshot {  // NOLINT(bugprone-exception-escape): nlohmann::json members, moved, never thrown
  StudyRecord record;
  StudySpec spec;
  std::vector<TrialRecord> trials;
  std::shared_ptr<const CompiledStudy> compiled;  // shared with the service's cache; immutable
};

struct AskResult {  // NOLINT(bugprone-exception-escape): nlohmann::json member, moved, never thrown
  int64_t number = 0;
  nlohmann::json params;
};

class StudyService {
 public:
  StudyService(StudyStore& store, StudyLimits limits) : store_(store), limits_(limits) {}

  // 400 naming the field; 409 for a taken name; 429 past studies.max_studies.
  Result<StudySnapshot> create(const nlohmann::json& body, const std::string& created_by);
  Result<StudySnapshot> get(const std::string& name);
  Result<std::vector<StudySnapshot>> list();
  // The studies with a built-in objective, with their trials (the others are not read).
  Result<std::vector<StudySnapshot>> list_with_objective();
  Status remove(const std::string& name);

  // A new running trial. 409 when the budget (trials or seconds) is spent or the sampler has nothing left; 429 past
  // studies.max_trials_per_study or studies.max_running_trials. A study with a built-in objective asks its own trials
  // (`by_driver`); a client's ask there is a 409.
  Result<AskResult> ask(const std::string& name, bool by_driver = false);
  // Adds (step, value) to a running trial and answers whether to prune; a prune marks the trial pruned. A step
  // already reported keeps its first value. 409 for a finished trial; 429 past studies.max_intermediate_values.
  Result<bool> report(const std::string& name, int64_t number, int64_t step, double value);
  // {"values": [...]} completes a running trial; {"state": "failed"} or {"state": "pruned"} ends it so. 409 for a
  // finished trial (telling a pruned trial "pruned" again is accepted).
  Result<TrialRecord> tell(const std::string& name, int64_t number, const nlohmann::json& body);
  // Adds the steps of `values` a running trial has not reported, without asking the pruner (a built-in objective's
  // rounds that finished between two looks at its job), up to studies.max_intermediate_values.
  Status add_intermediate(const std::string& name, int64_t number,
                          const std::vector<std::pair<int64_t, double>>& values);
  // Sets the job that runs a running trial (built-in objectives).
  Status set_job(const std::string& name, int64_t number, const std::string& job_id);
  Result<TrialRecord> trial(const std::string& name, int64_t number);
  Result<std::vector<TrialRecord>> trials(const std::string& name, int64_t after, int64_t limit);

  const StudyLimits& limits() const { return limits_; }

 private:
  // The mutex that serializes the study's decisions: one of a fixed set, by the name's hash (studies that share one
  // wait for each other now and then; no per-name state grows with the names requests carry).
  std::mutex& study_mutex(const std::string& name);
  Result<StudySnapshot> load(const std::string& name);
  Result<std::vector<StudySnapshot>> list_where(bool with_objective_only);
  // The record's spec and compiled study, from the cache or built (and cached) now.
  Result<StudySnapshot> from_record(StudyRecord record);
  // Drops the cache entries of studies not in `records` (every study there is).
  void keep_cached(const std::vector<StudyRecord>& records);

  // A study's spec and its compiled form, built once.
  struct Cached {  // NOLINT(bugprone-exception-escape): nlohmann::json members, moved, never thrown
    StudySpec spec;
    CompiledStudy compiled;
  };

  StudyStore& store_;
  StudyLimits limits_;
  static constexpr size_t kMutexStripes = 64;
  std::array<std::mutex, kMutexStripes> study_mutexes_;
  std::mutex cache_mu_;
  std::map<int64_t, std::shared_ptr<const Cached>> cache_;  // by study id
};

// FAILED_PRECONDITION naming the budget when the study has asked budget.trials trials or is budget.seconds old.
Status budget_left(const StudySnapshot& study);

// The complete trials that are best: for one objective the best one (lowest number among ties), for several the
// Pareto front (complete trials no other complete trial dominates), by number.
std::vector<const TrialRecord*> best_trials(const StudySpec& spec, const std::vector<TrialRecord>& trials);

}  // namespace maas::studies
