// maas-hpo: maas's samplers over JSON lines on stdin/stdout, so that a benchmark or a script can run a study without
// the studies server. The first line sets the study up: {"space": {...}, "sampler": {...} or null, "directions":
// ["minimize"]}; then each line is {"op": "ask"} (answers {"number", "params"}) or {"op": "tell", "number",
// "values": [...]} / {"op": "tell", "number", "state": "failed"|"pruned", "intermediate": [[step, value], ...]}
// (answers {"ok": true}), or {"op": "add", "params", "values"} for a trial run elsewhere. Every error answers {"error":
// {"code", "message"}} and the tool goes on. Trials live in memory only. Single-threaded.
#include <iostream>
#include <string>
#include <vector>

#include "common/status.h"
#include "hpo/sampler.h"
#include "hpo/search_space.h"
#include "hpo/trial.h"

namespace maas::hpo {
namespace {

nlohmann::json error_json(const Status& status) {
  return {{"error", {{"code", std::string(status_code_name(status.code()))}, {"message", status.message()}}}};
}

struct Study {
  SearchSpace space;
  std::vector<Direction> directions;
  std::unique_ptr<Sampler> sampler;
  std::vector<Trial> trials;

  StudyView view() const { return {&space, directions, trials}; }
};

Result<Study> open_study(const nlohmann::json& line) {
  if (!line.is_object() || !line.contains("space")) return invalid_argument("the first line must hold 'space'");
  Study study;
  MAAS_ASSIGN_OR_RETURN(study.space, SearchSpace::parse(line["space"]));
  const auto directions = line.find("directions");
  if (directions == line.end()) {
    study.directions.push_back(Direction::kMinimize);
  } else {
    MAAS_ASSIGN_OR_RETURN(study.directions, parse_directions(*directions));
  }
  const auto sampler = line.find("sampler");
  MAAS_ASSIGN_OR_RETURN(study.sampler, make_sampler(sampler == line.end() ? nlohmann::json() : *sampler, study.space,
                                                    study.directions.size()));
  return study;
}

Result<nlohmann::json> ask(Study& study) {
  const auto number = static_cast<int64_t>(study.trials.size());
  MAAS_ASSIGN_OR_RETURN(auto params, study.sampler->sample(study.view(), number));
  MAAS_RETURN_IF_ERROR(study.space.check(params));
  Trial trial;
  trial.number = number;
  trial.params = params;
  study.trials.push_back(std::move(trial));
  return nlohmann::json{{"number", number}, {"params", params}};
}

Result<nlohmann::json> tell(Study& study, const nlohmann::json& line) {
  const auto number = line.find("number");
  if (number == line.end() || !number->is_number_integer() || number->get<int64_t>() < 0 ||
      number->get<size_t>() >= study.trials.size()) {
    return invalid_argument("'number' must name an asked trial");
  }
  Trial& trial = study.trials[number->get<size_t>()];
  if (trial.state != TrialState::kRunning) return failed_precondition("the trial is already finished");
  // Everything is read into locals first: a line refused halfway leaves the trial as it was.
  std::vector<std::pair<int64_t, double>> intermediate;
  if (const auto it = line.find("intermediate"); it != line.end()) {
    if (!it->is_array()) return invalid_argument("'intermediate' must be an array of [step, value]");
    for (const auto& pair : *it) {
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_number_integer() || !pair[1].is_number()) {
        return invalid_argument("'intermediate' must be an array of [step, value]");
      }
      intermediate.emplace_back(pair[0].get<int64_t>(), pair[1].get<double>());
    }
  }
  TrialState state = TrialState::kComplete;
  std::vector<double> values;
  if (const auto it = line.find("state"); it != line.end()) {
    const auto parsed = it->is_string() ? trial_state_from_name(it->get<std::string>()) : std::nullopt;
    if (!parsed || *parsed == TrialState::kRunning || *parsed == TrialState::kComplete) {
      return invalid_argument("'state' must be \"failed\" or \"pruned\" (send 'values' to complete a trial)");
    }
    state = *parsed;
  } else {
    const auto it_values = line.find("values");
    if (it_values == line.end() || !it_values->is_array() || it_values->size() != study.directions.size()) {
      return invalid_argument("'values' must hold one number per direction");
    }
    for (const auto& value : *it_values) {
      if (!value.is_number()) return invalid_argument("'values' must hold numbers");
      values.push_back(value.get<double>());
    }
  }
  trial.intermediate.insert(trial.intermediate.end(), intermediate.begin(), intermediate.end());
  trial.values = std::move(values);
  trial.state = state;
  return nlohmann::json{{"ok", true}};
}

// A trial run elsewhere: {"op": "add", "params": {...}} opens it with those parameters (checked against the space);
// the rest of the line is read as a tell.
Result<nlohmann::json> add(Study& study, const nlohmann::json& line) {
  const auto params = line.find("params");
  if (params == line.end()) return invalid_argument("'add' needs 'params'");
  MAAS_RETURN_IF_ERROR(study.space.check(*params));
  Trial trial;
  trial.number = static_cast<int64_t>(study.trials.size());
  trial.params = *params;
  study.trials.push_back(std::move(trial));
  nlohmann::json told = line;
  told["number"] = study.trials.back().number;
  auto result = tell(study, told);
  if (!result.ok()) study.trials.pop_back();
  return result;
}

Result<nlohmann::json> handle(Study& study, const nlohmann::json& line) {
  const auto op = line.is_object() ? line.find("op") : line.end();
  if (op == line.end() || !op->is_string()) return invalid_argument("each line needs 'op': ask, tell or add");
  if (*op == "ask") return ask(study);
  if (*op == "tell") return tell(study, line);
  if (*op == "add") return add(study, line);
  return invalid_argument("'op' must be ask, tell or add");
}

nlohmann::json parse_line(const std::string& text) {
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

}  // namespace
}  // namespace maas::hpo

namespace maas::hpo {
namespace {

int serve() {
  std::ios::sync_with_stdio(false);
  std::string text;
  std::optional<Study> study;
  while (std::getline(std::cin, text)) {
    if (text.empty()) continue;
    const auto line = parse_line(text);
    nlohmann::json answer;
    if (line.is_discarded()) {
      answer = error_json(invalid_argument("each line must be one JSON object"));
    } else if (!study) {
      auto opened = open_study(line);
      if (opened.ok()) {
        study.emplace(std::move(opened).value());
        answer = {{"ok", true}, {"sampler", std::string(study->sampler->name())}};
      } else {
        answer = error_json(opened.status());
      }
    } else {
      auto result = handle(*study, line);
      answer = result.ok() ? std::move(result).value() : error_json(result.status());
    }
    std::cout << answer.dump() << '\n' << std::flush;
  }
  return 0;
}

}  // namespace
}  // namespace maas::hpo

int main() {
  try {
    return maas::hpo::serve();
  } catch (const std::exception& e) {
    // Only a broken stream or an allocation failure gets here; client input never throws.
    std::cerr << "maas-hpo: " << e.what() << '\n';
    return 1;
  }
}
