#include "training/retrain/retrainer.h"

#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "common/random.h"
#include "training/retrain/policy.h"
#include "training/retrain/triggers.h"

namespace maas::training::retrain {
namespace {

using nlohmann::json;

bool trainer_kind(const std::string& kind) { return kind == "train.xgboost" || kind == "train.torch"; }

// The recipe of a version trained by maas: its lineage's source job kind and submission.
Result<json> recipe_of_version(registry::Registry& models, const std::string& model, const std::string& ref) {
  auto view = models.get_version(model, ref);
  if (!view.ok()) {
    if (view.status().code() != StatusCode::kNotFound) return view.status();
    return invalid_argument("from_version: model '" + model + "' has no version '" + ref +
                            "' to take the recipe from; give `recipe` ({kind, params})");
  }
  const json& lineage = view->version.lineage;
  const std::string source = lineage.is_object() && lineage.contains("source") && lineage["source"].is_string()
                                 ? lineage["source"].get<std::string>()
                                 : "";
  if (!source.starts_with("job:") || !lineage.contains("recipe") || !lineage["recipe"].is_object()) {
    return invalid_argument(
        "from_version: version " + std::to_string(view->version.version) + " of '" + model +
        "' has no recipe in its lineage (it was not trained by maas); give `recipe` ({kind, params})");
  }
  return json{{"kind", source.substr(4)}, {"params", lineage["recipe"]}, {"from_version", view->version.version}};
}

}  // namespace

Retrainer::Retrainer(RunStore& store, jobs::JobService& jobs, registry::Registry& models, data::api::DataApi& data,
                     validation::Validator& validator, logs::LogCenter& logs, RetrainHooks hooks, RetrainLimits limits)
    : store_(store),
      jobs_(jobs),
      models_(models),
      data_(data),
      validator_(validator),
      logs_(logs),
      hooks_(std::move(hooks)),
      limits_(limits) {}

Retrainer::~Retrainer() { stop(); }

void Retrainer::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void Retrainer::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Retrainer::loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    tick();
    lock.lock();
    cv_.wait_for(lock, limits_.tick, [this] { return stopping_; });
  }
}

Result<PolicyRow> Retrainer::put_policy(const std::string& model, const json& body, const std::string& actor) {
  MAAS_RETURN_IF_ERROR(models_.get_model(model).status());
  MAAS_ASSIGN_OR_RETURN(json policy, parse_retrain_policy(body, limits_.min_interval_floor_seconds));
  MAAS_ASSIGN_OR_RETURN(auto existing, store_.find_policy(model));
  if (!existing) {
    MAAS_ASSIGN_OR_RETURN(int64_t count, store_.count_policies());
    if (count >= limits_.max_policies) {
      return resource_exhausted("there are " + std::to_string(count) +
                                " retraining policies, the server's limit "
                                "(retraining.max_policies): delete one first");
    }
  }
  if (auto v = validator_.get_policy(model); !v.ok()) {
    if (v.status().code() != StatusCode::kNotFound) return v.status();
    return failed_precondition("model '" + model + "' has no validation policy: retraining rolls out only what " +
                               "passes one (PUT /api/v1/models/" + model + "/validation-policy first)");
  }
  if (!policy.contains("recipe")) {
    MAAS_ASSIGN_OR_RETURN(policy["recipe"],
                          recipe_of_version(models_, model, policy["from_version"].get<std::string>()));
  }
  json& recipe = policy["recipe"];
  const std::string kind = recipe["kind"].get<std::string>();
  if (!trainer_kind(kind) || !jobs_.kinds().find(kind)) {
    return invalid_argument("recipe.kind must be train.xgboost or train.torch (a kind this server runs), not '" + kind +
                            "'");
  }
  if (!policy.contains("dataset")) {
    const json& params = recipe["params"];
    if (!params.contains("dataset") || !params["dataset"].is_string()) {
      return invalid_argument("dataset: the recipe names no dataset; give `dataset`");
    }
    policy["dataset"] = params["dataset"];
  }
  const std::string dataset = policy["dataset"].get<std::string>();
  auto newest = data_.registry().resolve(dataset, "latest");
  if (!newest.ok()) return invalid_argument("dataset: " + newest.status().message());
  // The recipe as it will run: checked now by its kind, on today's newest version.
  json params = recipe["params"];
  params["model"] = model;
  params["dataset"] = dataset;
  params["version"] = *newest;
  if (auto checked = jobs_.kinds().find(kind)->validate(params); !checked.ok()) {
    return invalid_argument("recipe.params: " + checked.status().message());
  }
  const json& triggers = policy["triggers"];
  if (policy.contains("canary")) {
    if (!hooks_.check_service) return invalid_argument("canary: this server has no gateway");
    if (Status s = hooks_.check_service(policy["canary"]["service"].get<std::string>(), model); !s.ok()) {
      return invalid_argument("canary.service: " + s.message());
    }
  }
  // What the triggers have seen so far: only what happens after this policy starts a run.
  json state = json::object();
  state["dataset_version"] = *newest;
  if (triggers.contains("alert") && hooks_.alert_fired_at) {
    state["alert_fired_at_ms"] = hooks_.alert_fired_at(triggers["alert"].get<std::string>()).value_or(0);
  }
  if (triggers.contains("schedule")) {
    MAAS_RETURN_IF_ERROR(schedule_due(triggers["schedule"].get<std::string>(), state, now_unix_ms()).status());
  }
  if (existing && existing->trigger_state.contains("last_run_at_ms")) {
    state["last_run_at_ms"] = existing->trigger_state["last_run_at_ms"];
  }
  return store_.put_policy(model, policy, state, actor);
}

Result<PolicyRow> Retrainer::get_policy(const std::string& model) {
  MAAS_ASSIGN_OR_RETURN(auto row, store_.find_policy(model));
  if (!row) return not_found("model '" + model + "' has no retraining policy");
  return *row;
}

Status Retrainer::delete_policy(const std::string& model) { return store_.remove_policy(model); }

Result<json> Retrainer::run_now(const std::string& model, const std::string& actor) {
  MAAS_ASSIGN_OR_RETURN(PolicyRow policy, get_policy(model));
  std::lock_guard lock(run_mu_);
  return start_run(policy, {{"type", "manual"}, {"by", actor}}, actor);
}

Result<std::vector<json>> Retrainer::runs(const std::string& model, int limit) {
  MAAS_RETURN_IF_ERROR(models_.get_model(model).status());
  return store_.runs(model, limit);
}

Result<json> Retrainer::run(const std::string& model, const std::string& id) {
  MAAS_ASSIGN_OR_RETURN(auto found, store_.run(model, id));
  if (!found) return not_found("model '" + model + "' has no retraining run '" + id + "'");
  return *found;
}

bool Retrainer::active(const std::string& model) {
  auto runs = store_.unfinished_runs();
  if (!runs.ok()) return true;  // unknown: start nothing
  for (const json& r : *runs) {
    if (r["model"] == model) return true;
  }
  return false;
}

Result<json> Retrainer::start_run(const PolicyRow& policy, const json& trigger, const std::string& actor) {
  const std::string& model = policy.model;
  if (active(model)) {
    return failed_precondition("model '" + model + "' has a retraining run in progress (GET /api/v1/models/" + model +
                               "/retraining/runs)");
  }
  const int64_t now = now_unix_ms();
  if (auto why = too_soon(policy.trigger_state, policy.policy["min_interval_seconds"].get<int64_t>(), now)) {
    return failed_precondition("model '" + model + "' may not retrain yet: " + *why);
  }
  json state = policy.trigger_state;
  state["last_run_at_ms"] = now;
  MAAS_RETURN_IF_ERROR(store_.set_trigger_state(model, state));
  const json& recipe = policy.policy["recipe"];
  const std::string dataset = policy.policy["dataset"].get<std::string>();
  json run = {{"id", "rt-" + random_hex(8)}, {"model", model},
              {"finished", false},           {"state", "training"},
              {"trigger", trigger},          {"recipe_kind", recipe["kind"]},
              {"created_by", actor},         {"created_at", format_rfc3339_ms(now)},
              {"created_at_ms", now},        {"steps", json::array()}};
  if (policy.policy.contains("canary")) run["canary"] = policy.policy["canary"];
  begin_step(run, "train", "running");
  MAAS_RETURN_IF_ERROR(store_.create_run(run));
  (void)store_.prune(model, limits_.runs_kept);
  emit(run, "retraining_started",
       "retraining run " + run["id"].get<std::string>() + " started (" + trigger["type"].get<std::string>() + ")");
  auto newest = data_.registry().resolve(dataset, "latest");
  if (!newest.ok()) {
    MAAS_RETURN_IF_ERROR(finish(run, "failed", "the dataset '" + dataset + "': " + newest.status().message()));
    return run;
  }
  run["dataset"] = dataset + "@" + std::to_string(*newest);
  json params = recipe["params"];
  params["model"] = model;
  params["dataset"] = dataset;
  params["version"] = *newest;
  params["description"] = "retraining run " + run["id"].get<std::string>();
  jobs::Submission submission;
  submission.kind = recipe["kind"].get<std::string>();
  submission.params = std::move(params);
  submission.owner = actor;
  auto job = jobs_.submit(std::move(submission));
  if (!job.ok()) {
    MAAS_RETURN_IF_ERROR(finish(run, "failed", "the training job was refused: " + job.status().message()));
    return run;
  }
  run["train_job"] = job->record.id;
  run["steps"].back()["job_id"] = job->record.id;
  MAAS_RETURN_IF_ERROR(store_.update_run(run));
  return run;
}

void Retrainer::check_triggers(PolicyRow& policy, int64_t now_ms) {
  const json& triggers = policy.policy["triggers"];
  json state = policy.trigger_state;
  json fired;
  if (triggers.contains("schedule")) {
    auto due = schedule_due(triggers["schedule"].get<std::string>(), state, now_ms);
    if (due.ok() && *due) fired = {{"type", "schedule"}, {"schedule", triggers["schedule"]}};
  }
  if (triggers.contains("alert") && hooks_.alert_fired_at) {
    const std::string rule = triggers["alert"].get<std::string>();
    if (auto at = hooks_.alert_fired_at(rule); at && newer_than_seen(state, "alert_fired_at_ms", *at)) {
      fired = {{"type", "alert"}, {"alert", rule}, {"fired_at", format_rfc3339_ms(*at)}};
    }
  }
  if (triggers.contains("dataset")) {
    const std::string dataset = policy.policy["dataset"].get<std::string>();
    auto newest = data_.registry().resolve(dataset, "latest");
    if (newest.ok() && newer_than_seen(state, "dataset_version", *newest)) {
      fired = {{"type", "dataset"}, {"dataset", dataset}, {"version", *newest}};
    }
  }
  if (state == policy.trigger_state) return;
  if (Status s = store_.set_trigger_state(policy.model, state); !s.ok()) {
    spdlog::warn("retraining of {}: cannot record its triggers: {}", policy.model, s.message());
    return;
  }
  policy.trigger_state = state;
  if (fired.is_null()) return;
  auto run = start_run(policy, fired, policy.updated_by);
  if (!run.ok()) {
    // A storm's extra triggers: each is logged, none starts a run.
    json line = {{"event", "retraining_skipped"},
                 {"model", policy.model},
                 {"trigger", fired},
                 {"reason", run.status().message()}};
    static const logs::LabelSet kEvents = *logs::LabelSet::make({{"job", logs::kOwnJob}, {"kind", "event"}});
    logs_.emit(kEvents, now_unix_ms() * 1'000'000, line.dump(-1, ' ', false, json::error_handler_t::replace));
  }
}

void Retrainer::tick() {
  std::lock_guard lock(run_mu_);
  const int64_t now = now_unix_ms();
  if (auto policies = store_.policies(); policies.ok()) {
    for (PolicyRow& policy : *policies) check_triggers(policy, now);
  } else {
    spdlog::warn("retraining: cannot read the policies: {}", policies.status().message());
  }
  auto runs = store_.unfinished_runs();
  if (!runs.ok()) return;
  for (json& run : *runs) {
    if (Status s = advance(run); !s.ok()) {
      spdlog::warn("retraining run {}: {}", run["id"].get<std::string>(), s.message());
    }
  }
}

}  // namespace maas::training::retrain
