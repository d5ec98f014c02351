#include "studies/study_routes.h"

#include <boost/asio/awaitable.hpp>
#include <charconv>
#include <cmath>
#include <utility>  // before Asio 1.74's awaitable.hpp, which uses std::exchange without including it

#include "api/json_io.h"
#include "common/clock.h"
#include "common/paging.h"

namespace maas::studies {
namespace {

using Awaitable = boost::asio::awaitable<http::Response>;
using http::Request;
using http::Response;
using nlohmann::json;

constexpr int kDefaultTrialPage = 100;

std::string creator(const Request& req) { return req.principal ? req.principal->key_id : req.actor; }

json optional_time(const std::optional<int64_t>& ms) { return ms ? json(format_rfc3339_ms(*ms)) : json(nullptr); }

Result<int64_t> trial_number(const Request& req) {
  const std::string text = req.param("trial");
  int64_t number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end != text.data() + text.size() || number < 0) {
    return invalid_argument("the trial in the path must be a trial number (0, 1, ...), not '" + text + "'");
  }
  return number;
}

Awaitable create(StudyService& service, Request& req) {
  API_ASSIGN_OR_RESPOND(json body, maas::api::parse_json_body(req));
  API_ASSIGN_OR_RESPOND(auto study, service.create(body, creator(req)));
  Response res = Response::json(201, study_json(study));
  res.headers.emplace_back("Location", "/api/v1/studies/" + study.record.name);
  co_return res;
}

Awaitable report(StudyService& service, api::BlockingPool& blocking, Request& req) {
  API_ASSIGN_OR_RESPOND(const int64_t number, trial_number(req));
  API_ASSIGN_OR_RESPOND(json body, maas::api::parse_json_object(req, {"step", "value"}));
  const json* step = maas::api::find_field(body, "step");
  const auto step_value = step ? maas::api::int64_of(*step) : std::nullopt;
  if (!step_value || *step_value < 0) {
    co_return Response::error(invalid_argument("'step' must be a non-negative integer (a round, an epoch)"));
  }
  const json* value = maas::api::find_field(body, "value");
  if (value == nullptr || !value->is_number() || !std::isfinite(value->get<double>())) {
    co_return Response::error(invalid_argument("'value' must be a finite number"));
  }
  // The pruner runs on the blocking pool: it waits for the study's other decisions and reads all its trials.
  auto decide = [&service, &req, number, step = *step_value, v = value->get<double>()] {
    return service.report(req.param("study"), number, step, v);
  };
  auto prune = co_await blocking.run(std::move(decide));
  if (!prune.ok()) co_return Response::error(prune.status());
  co_return Response::json(200, {{"prune", *prune}});
}

Awaitable list_trials(StudyService& service, Request& req) {
  API_ASSIGN_OR_RESPOND(const int limit, maas::api::limit_param(req, kDefaultTrialPage));
  API_RESPOND_IF_ERROR(check_page_limit(limit));
  int64_t after = -1;
  if (const auto text = req.query_param("after")) {
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), after);
    if (ec != std::errc() || end != text->data() + text->size() || after < -1) {
      co_return Response::error(invalid_argument("'after' must be a trial number"));
    }
  }
  bool more = false;
  const auto fetch = [&](int n) { return service.trials(req.param("study"), after, n); };
  API_ASSIGN_OR_RESPOND(auto trials, fetch_page(limit, fetch, &more));
  json out = json::array();
  for (const auto& t : trials) out.push_back(trial_json(t));
  const json next = more ? json(trials.back().trial.number) : json(nullptr);
  co_return Response::json(200, {{"trials", out}, {"next_after", next}});
}

}  // namespace

json trial_json(const TrialRecord& record) {
  const auto& t = record.trial;
  json intermediate = json::array();
  for (const auto& [step, value] : t.intermediate) intermediate.push_back({{"step", step}, {"value", value}});
  return {{"number", t.number},
          {"state", hpo::trial_state_name(t.state)},
          {"params", t.params},
          {"values", t.values.empty() ? json(nullptr) : json(t.values)},
          {"intermediate_values", intermediate},
          {"job_id", record.job_id.empty() ? json(nullptr) : json(record.job_id)},
          {"created_at", format_rfc3339_ms(record.created_at_ms)},
          {"updated_at", format_rfc3339_ms(record.updated_at_ms)},
          {"finished_at", optional_time(record.finished_at_ms)}};
}

json study_json(const StudySnapshot& study) {
  json out = study_spec_json(study.spec);
  json counts = {{"total", study.trials.size()}, {"running", 0}, {"complete", 0}, {"pruned", 0}, {"failed", 0}};
  for (const auto& t : study.trials) {
    auto& count = counts[std::string(hpo::trial_state_name(t.trial.state))];
    count = count.get<int64_t>() + 1;
  }
  out["trials"] = counts;
  json best = json::array();
  for (const auto* t : best_trials(study.spec, study.trials)) best.push_back(trial_json(*t));
  out["best_trial"] = study.spec.directions.size() == 1 && !best.empty() ? best[0] : json(nullptr);
  out["best_trials"] = best;
  out["created_by"] = study.record.created_by;
  out["created_at"] = format_rfc3339_ms(study.record.created_at_ms);
  return out;
}

void add_study_routes(http::Router& router, StudyService& service, const StudyHooks& hooks,
                      api::BlockingPool& blocking) {
  router.add("POST", "/api/v1/studies", [&service](Request& req) -> Awaitable { return create(service, req); });
  router.add("GET", "/api/v1/studies", [&service](Request&) -> Awaitable {
    API_ASSIGN_OR_RESPOND(auto studies, service.list());
    json out = json::array();
    for (const auto& s : studies) out.push_back(study_json(s));
    co_return Response::json(200, {{"studies", out}});
  });
  router.add("GET", "/api/v1/studies/{study}", [&service](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(auto study, service.get(req.param("study")));
    co_return Response::json(200, study_json(study));
  });
  router.add("DELETE", "/api/v1/studies/{study}", [&service](Request& req) -> Awaitable {
    API_RESPOND_IF_ERROR(service.remove(req.param("study")));
    co_return Response::no_content();
  });
  router.add("POST", "/api/v1/studies/{study}/trials", [&service, &blocking](Request& req) -> Awaitable {
    if (!req.body.empty()) API_RESPOND_IF_ERROR(maas::api::parse_json_object(req, {}).status());
    // Sampling (a Gaussian process over hundreds of trials) runs on the blocking pool, not the I/O thread.
    auto sample = [&service, &req] { return service.ask(req.param("study")); };
    auto asked = co_await blocking.run(std::move(sample));
    if (!asked.ok()) co_return Response::error(asked.status());
    co_return Response::json(201, {{"number", asked->number}, {"params", asked->params}});
  });
  router.add("GET", "/api/v1/studies/{study}/trials",
             [&service](Request& req) -> Awaitable { return list_trials(service, req); });
  router.add("GET", "/api/v1/studies/{study}/trials/{trial}", [&service](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(const int64_t number, trial_number(req));
    API_ASSIGN_OR_RESPOND(auto trial, service.trial(req.param("study"), number));
    co_return Response::json(200, trial_json(trial));
  });
  router.add("POST", "/api/v1/studies/{study}/trials/{trial}/report",
             [&service, &blocking](Request& req) -> Awaitable { return report(service, blocking, req); });
  router.add("POST", "/api/v1/studies/{study}/trials/{trial}/tell", [&service, &blocking](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(const int64_t number, trial_number(req));
    API_ASSIGN_OR_RESPOND(json body, maas::api::parse_json_body(req));
    // Waits for the study's mutex, which an ask may hold while it samples: on the pool too.
    auto record = [&service, &req, number, &body] { return service.tell(req.param("study"), number, body); };
    auto trial = co_await blocking.run(std::move(record));
    if (!trial.ok()) co_return Response::error(trial.status());
    co_return Response::json(200, trial_json(*trial));
  });
  router.add("POST", "/api/v1/studies/{study}/register", [&hooks](Request& req) -> Awaitable {
    if (!hooks.register_best) {
      co_return Response::error(failed_precondition("registering needs the training center (the data component)"));
    }
    API_ASSIGN_OR_RESPOND(auto job, hooks.register_best(req.param("study"), creator(req)));
    co_return Response::json(202, job);
  });
}

}  // namespace maas::studies
