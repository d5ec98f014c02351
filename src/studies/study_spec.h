// A study's spec: the body of `POST /api/v1/studies` read strictly (issue 15's fixed shape, plus "pruner",
// "budget" and "objective"), normalized for storage, and compiled into what asking and reporting use (the space,
// directions, sampler and pruner). Pure; no I/O.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "hpo/pruner.h"
#include "hpo/sampler.h"
#include "hpo/search_space.h"
#include "hpo/trial.h"

namespace maas::studies {

struct StudySpec {  // NOLINT(bugprone-exception-escape): nlohmann::json members, moved, never thrown
  std::string name;
  std::vector<hpo::Direction> directions;
  nlohmann::json space;                  // as SearchSpace::to_json writes it
  nlohmann::json sampler;                // null: maas's default
  nlohmann::json pruner;                 // null: none
  std::optional<int64_t> budget_trials;  // trials asked at most
  std::optional<double> budget_seconds;  // no trial is asked this long after the study was created
  nlohmann::json objective;              // null: trials are asked and told by clients (objective_spec.h)
};

// What a study needs to ask and report: built once per study from its spec (the StudyService caches it).
struct CompiledStudy {
  hpo::SearchSpace space;
  std::vector<hpo::Direction> directions;
  std::unique_ptr<hpo::Sampler> sampler;
  std::unique_ptr<hpo::Pruner> pruner;
};

// Reads a create body: INVALID_ARGUMENT naming the field for anything wrong (an unknown sampler or pruner lists
// the known ones). `max_trials` bounds budget.trials.
Result<StudySpec> parse_study_spec(const nlohmann::json& body, int64_t max_trials);
// The stored form, which stored_study_spec reads back.
nlohmann::json study_spec_json(const StudySpec& spec);
// A spec study_spec_json wrote, read without validating it again (it was valid when created; limits lowered since
// do not make it unreadable). INTERNAL for a record that is not of that shape.
Result<StudySpec> stored_study_spec(const nlohmann::json& stored);
Result<CompiledStudy> compile_study(const StudySpec& spec);

}  // namespace maas::studies
