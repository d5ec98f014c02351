#include "studies/study_spec.h"

#include <fmt/format.h>

#include <cmath>

#include "common/json_fields.h"
#include "common/names.h"
#include "studies/objective_spec.h"

namespace maas::studies {
namespace {

Status read_budget(const nlohmann::json& body, int64_t max_trials, StudySpec& spec) {
  const auto it = body.find("budget");
  if (it == body.end() || it->is_null()) return {};
  MAAS_RETURN_IF_ERROR(check_known_fields(*it, "budget", {"trials", "seconds"}));
  if (const auto trials = it->find("trials"); trials != it->end() && !trials->is_null()) {
    if (!trials->is_number_integer() || trials->get<int64_t>() < 1 || trials->get<int64_t>() > max_trials) {
      return invalid_argument(
          fmt::format("'budget.trials' must be an integer from 1 to {} (studies.max_trials_per_study)", max_trials));
    }
    spec.budget_trials = trials->get<int64_t>();
  }
  if (const auto seconds = it->find("seconds"); seconds != it->end() && !seconds->is_null()) {
    if (!seconds->is_number() || !std::isfinite(seconds->get<double>()) || seconds->get<double>() <= 0 ||
        seconds->get<double>() > 1e9) {
      return invalid_argument("'budget.seconds' must be a positive number of seconds (at most 1e9)");
    }
    spec.budget_seconds = seconds->get<double>();
  }
  return {};
}

}  // namespace

Result<StudySpec> parse_study_spec(const nlohmann::json& body, int64_t max_trials) {
  MAAS_RETURN_IF_ERROR(
      check_known_fields(body, "", {"name", "directions", "space", "sampler", "pruner", "budget", "objective"}));
  StudySpec spec;
  const auto name = body.find("name");
  if (name == body.end() || !name->is_string()) return invalid_argument("'name' is required: the study's name");
  spec.name = name->get<std::string>();
  MAAS_RETURN_IF_ERROR(validate_name(spec.name, "study"));
  const auto directions = body.find("directions");
  MAAS_ASSIGN_OR_RETURN(spec.directions,
                        hpo::parse_directions(directions == body.end() ? nlohmann::json() : *directions));
  const auto space = body.find("space");
  MAAS_ASSIGN_OR_RETURN(const auto parsed_space,
                        hpo::SearchSpace::parse(space == body.end() ? nlohmann::json() : *space));
  spec.space = parsed_space.to_json();
  if (const auto it = body.find("sampler"); it != body.end()) spec.sampler = *it;
  if (const auto it = body.find("pruner"); it != body.end()) spec.pruner = *it;
  MAAS_RETURN_IF_ERROR(read_budget(body, max_trials, spec));
  if (const auto it = body.find("objective"); it != body.end() && !it->is_null()) {
    MAAS_ASSIGN_OR_RETURN(spec.objective, parse_objective(*it, parsed_space, spec.directions.size()));
  }
  // Build the sampler and pruner once so that their errors are the create's.
  MAAS_RETURN_IF_ERROR(compile_study(spec).status());
  return spec;
}

nlohmann::json study_spec_json(const StudySpec& spec) {
  nlohmann::json directions = nlohmann::json::array();
  for (const auto d : spec.directions) directions.push_back(hpo::direction_name(d));
  nlohmann::json budget = nlohmann::json::object();
  budget["trials"] = spec.budget_trials ? nlohmann::json(*spec.budget_trials) : nlohmann::json(nullptr);
  budget["seconds"] = spec.budget_seconds ? nlohmann::json(*spec.budget_seconds) : nlohmann::json(nullptr);
  return {{"name", spec.name},     {"directions", directions}, {"space", spec.space},        {"sampler", spec.sampler},
          {"pruner", spec.pruner}, {"budget", budget},         {"objective", spec.objective}};
}

Result<StudySpec> stored_study_spec(const nlohmann::json& stored) {
  const auto field = [&stored](const char* key) {
    const auto it = stored.find(key);
    return it == stored.end() ? nlohmann::json() : *it;
  };
  const auto corrupt = [&stored](const char* what) {
    return internal_error(fmt::format("a stored study spec has no valid '{}': {}", what, stored.dump()));
  };
  if (!stored.is_object()) return corrupt("object");
  StudySpec spec;
  const auto name = field("name");
  if (!name.is_string()) return corrupt("name");
  spec.name = name.get<std::string>();
  const auto directions = field("directions");
  if (!directions.is_array()) return corrupt("directions");
  for (const auto& entry : directions) {
    const auto direction = entry.is_string() ? hpo::direction_from_name(entry.get_ref<const std::string&>())
                                             : std::optional<hpo::Direction>();
    if (!direction) return corrupt("directions");
    spec.directions.push_back(*direction);
  }
  spec.space = field("space");
  spec.sampler = field("sampler");
  spec.pruner = field("pruner");
  spec.objective = field("objective");
  if (const auto budget = field("budget"); budget.is_object()) {
    if (const auto it = budget.find("trials"); it != budget.end() && it->is_number_integer()) {
      spec.budget_trials = it->get<int64_t>();
    }
    if (const auto it = budget.find("seconds"); it != budget.end() && it->is_number()) {
      spec.budget_seconds = it->get<double>();
    }
  }
  return spec;
}

Result<CompiledStudy> compile_study(const StudySpec& spec) {
  CompiledStudy out;
  MAAS_ASSIGN_OR_RETURN(out.space, hpo::SearchSpace::parse(spec.space));
  out.directions = spec.directions;
  MAAS_ASSIGN_OR_RETURN(out.sampler, hpo::make_sampler(spec.sampler, out.space, spec.directions.size()));
  MAAS_ASSIGN_OR_RETURN(out.pruner, hpo::make_pruner(spec.pruner, spec.directions.size()));
  return out;
}

}  // namespace maas::studies
