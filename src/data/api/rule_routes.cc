// Extraction rules (docs/DATA.md#extraction-rules): /api/v1/rules (create → version 1, PUT → the next immutable
// version, list, get, versions, delete) and POST /api/v1/rules/test, which runs a rule over a sample and answers the
// rows it produced and rejected, recording nothing. Every rule is read and compiled whole before it is stored (a 400
// otherwise). A sample runs on the pool, holding an import slot, on a database that may touch only the sample's and
// the outputs' temp files.
#include "api/json_io.h"
#include "common/json_parse.h"
#include "common/names.h"
#include "data/api/routes.h"
#include "data/rules/apply.h"
#include "data/rules/sample_run.h"
#include "jobs/job_routes.h"

namespace maas::data::api {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

Status test_body_too_large(uint64_t limit) {
  return payload_too_large("the body is over rules.test_max_body_bytes (" + std::to_string(limit) +
                           " bytes); test the rule on a smaller sample");
}

Result<rules::Sample> sample_from_json(const json& body) {
  rules::Sample sample;
  const json* lines = maas::api::find_field(body, "lines");
  const json* rows = maas::api::find_field(body, "rows");
  if ((lines == nullptr) == (rows == nullptr)) {
    return invalid_argument("give the sample as 'lines' (an array of strings) or 'rows' (an array of objects)");
  }
  if (lines != nullptr) {
    if (!lines->is_array()) return invalid_argument("'lines' must be an array of strings");
    for (const auto& line : *lines) {
      if (!line.is_string()) return invalid_argument("'lines' must be an array of strings");
      sample.lines.push_back(line.get<std::string>());
    }
    if (sample.lines.empty()) return invalid_argument("'lines' is empty");
  } else {
    if (!rows->is_array()) return invalid_argument("'rows' must be an array of objects");
    for (const auto& row : *rows) {
      if (!row.is_object()) return invalid_argument("'rows' must be an array of objects");
      sample.rows.push_back(row);
    }
    if (sample.rows.empty()) return invalid_argument("'rows' is empty");
  }
  return sample;
}

Awaitable test_rule(DataApi& api, Request& req) {
  const uint64_t limit = api.limits().rules_test_max_body_bytes;
  if (auto length = req.body_stream->content_length(); length && *length > limit) {
    co_return Response::error(test_body_too_large(limit));
  }
  Result<std::string> read = co_await read_body(req, limit, test_body_too_large(limit));
  if (!read.ok()) co_return Response::error(read.status());
  API_ASSIGN_OR_RESPOND(json body, parse_json(*read));
  if (!body.is_object()) co_return Response::error(invalid_argument("the body must be a JSON object"));
  for (const auto& [key, value] : body.items()) {
    if (key != "rule" && key != "lines" && key != "rows" && key != "limit") {
      co_return Response::error(invalid_argument("unknown field '" + key + "' (rule, lines, rows, limit)"));
    }
  }
  const json* rule_json = maas::api::find_field(body, "rule");
  if (rule_json == nullptr) co_return Response::error(invalid_argument("'rule' is required"));
  API_ASSIGN_OR_RESPOND(rules::RuleSpec rule, rules::rule_from_json(*rule_json, api.limits().rules));
  API_ASSIGN_OR_RESPOND(rules::Sample sample, sample_from_json(body));
  int64_t max_rows = 100;
  if (const json* l = maas::api::find_field(body, "limit")) {
    auto n = maas::api::int64_of(*l);
    if (!n || *n < 1 || *n > api.limits().max_preview_rows) {
      co_return Response::error(invalid_argument("'limit' must be an integer from 1 to datasets.max_preview_rows (" +
                                                 std::to_string(api.limits().max_preview_rows) + ")"));
    }
    max_rows = *n;
  }
  auto slot = api.imports().try_acquire();
  if (!slot.ok()) co_return error_response(slot.status());
  auto work = [&api, &rule, &sample, max_rows]() -> Result<json> {
    std::vector<std::unique_ptr<artifacts::Upload>> temps;
    for (int i = 0; i < 4; ++i) {
      MAAS_ASSIGN_OR_RETURN(auto upload, api.artifacts().begin_upload());
      temps.push_back(std::move(upload));
    }
    rules::SampleFiles files{temps[0]->temp_path(), temps[1]->temp_path(), temps[2]->temp_path(),
                             temps[3]->temp_path()};
    for (auto* p : {&files.sample, &files.snapshot, &files.rejects, &files.scratch}) {
      *p = std::filesystem::absolute(*p).lexically_normal();
    }
    return rules::run_on_sample(rule, api.limits().rules, sample, files, api.limits().rule_engine, max_rows);
  };
  auto answer = co_await api.pool().run(std::move(work));
  if (!answer.ok()) co_return error_response(answer.status());
  co_return Response::json(200, *answer);
}

// The body's rule, read, checked (a sql rule's SQL parsed, on the pool) and in its stored form.
boost::asio::awaitable<Result<json>> checked_rule(DataApi& api, const json& body) {
  const json* rule = maas::api::find_field(body, "rule");
  if (rule == nullptr) co_return invalid_argument("'rule' is required");
  auto spec = rules::rule_from_json(*rule, api.limits().rules);
  if (!spec.ok()) co_return spec.status();
  if (spec->kind == rules::RuleKind::kSql) {
    auto parse = [&spec] { return rules::check_sql_parses(spec->sql); };
    Status parsed = co_await api.pool().run(std::move(parse));
    if (!parsed.ok()) co_return parsed;
  }
  co_return rules::rule_to_json(*spec);
}

std::string creator(const Request& req) { return req.principal ? req.principal->key_id : req.actor; }

Awaitable create_rule(DataApi& api, Request& req) {
  API_ASSIGN_OR_RESPOND(json body, maas::api::parse_json_object(req, {"name", "description", "rule"}));
  API_ASSIGN_OR_RESPOND(auto name, maas::api::optional_string(body, "name", 256));
  if (!name) co_return Response::error(invalid_argument("'name' is required"));
  API_RESPOND_IF_ERROR(validate_name(*name, "rule"));
  API_ASSIGN_OR_RESPOND(auto description, maas::api::optional_string(body, "description", 8192));
  // A named awaitable: GCC 12 mishandles temporaries inside co_await expressions.
  auto checking = checked_rule(api, body);
  Result<json> spec = co_await std::move(checking);
  if (!spec.ok()) co_return Response::error(spec.status());
  API_ASSIGN_OR_RESPOND(auto record, api.rules().create(*name, *spec, description.value_or(""), creator(req)));
  Response res = Response::json(201, rules::rule_record_json(record));
  res.headers.emplace_back("Location", "/api/v1/rules/" + record.name);
  co_return res;
}

Awaitable update_rule(DataApi& api, Request& req) {
  API_ASSIGN_OR_RESPOND(json body, maas::api::parse_json_object(req, {"description", "rule"}));
  API_ASSIGN_OR_RESPOND(auto description, maas::api::optional_string(body, "description", 8192));
  // A named awaitable: GCC 12 mishandles temporaries inside co_await expressions.
  auto checking = checked_rule(api, body);
  Result<json> spec = co_await std::move(checking);
  if (!spec.ok()) co_return Response::error(spec.status());
  API_ASSIGN_OR_RESPOND(auto record, api.rules().add_version(req.param("name"), *spec,
                                                             description ? &*description : nullptr, creator(req)));
  co_return Response::json(200, rules::rule_record_json(record));
}

// ?version=N, or the newest.
Result<int64_t> version_param(const Request& req) {
  auto text = req.query_param("version");
  if (!text || *text == "latest") return int64_t{0};
  long long n = 0;
  if (!parse_version_number(*text, &n)) return invalid_argument("'version' must be a positive integer or latest");
  return static_cast<int64_t>(n);
}

}  // namespace

void add_rule_routes(http::Router& router, DataApi& api) {
  router.add("POST", "/api/v1/rules", [&api](Request& req) -> Awaitable { return create_rule(api, req); });
  router.add("GET", "/api/v1/rules", [&api](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(int limit, maas::api::limit_param(req, 100));
    API_ASSIGN_OR_RESPOND(auto list, api.rules().list(req.query_param("page_token").value_or(""), limit));
    json out = json::array();
    for (const auto& r : list) out.push_back(rules::rule_record_json(r));
    json next = static_cast<int>(list.size()) == limit && limit > 0 ? json(list.back().name) : json(nullptr);
    co_return Response::json(200, {{"rules", out}, {"next_page_token", next}});
  });
  router.add("GET", "/api/v1/rules/{name}", [&api](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(int64_t version, version_param(req));
    API_ASSIGN_OR_RESPOND(auto record, api.rules().get(req.param("name"), version));
    co_return Response::json(200, rules::rule_record_json(record));
  });
  router.add("GET", "/api/v1/rules/{name}/versions", [&api](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(auto list, api.rules().versions(req.param("name")));
    json out = json::array();
    for (const auto& r : list) out.push_back(rules::rule_record_json(r));
    co_return Response::json(200, {{"versions", out}});
  });
  router.add("PUT", "/api/v1/rules/{name}", [&api](Request& req) -> Awaitable { return update_rule(api, req); });
  router.add("POST", "/api/v1/rules/{name}/run", [&api](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(json body, maas::api::parse_json_object(req, {"rule_version", "dataset", "version", "source",
                                                                        "into", "description", "priority"}));
    if (!body.contains("into"))
      co_return Response::error(invalid_argument("'into' (the dataset to write) is required"));
    API_ASSIGN_OR_RESPOND(auto job, submit_rule_run(api, req.param("name"), body, creator(req)));
    Response res = Response::json(202, jobs::job_json(job));
    res.headers.emplace_back("Location", "/api/v1/jobs/" + job.record.id);
    co_return res;
  });
  router.add("DELETE", "/api/v1/rules/{name}", [&api](Request& req) -> Awaitable {
    API_RESPOND_IF_ERROR(api.rules().remove(req.param("name")));
    co_return Response::no_content();
  });
  router.add(
      "POST", "/api/v1/rules/test", [&api](Request& req) -> Awaitable { return test_rule(api, req); },
      http::BodyMode::kStreamed);
}

}  // namespace maas::data::api
