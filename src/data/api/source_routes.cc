// /api/v1/sources: sources (create, list, get, update, delete) and POST /api/v1/sources/{name}/snapshot, which
// submits a data.snapshot job. A create or an update with a new config first connects to the source (a database's
// query prepared, a file's existence) on the pool, so a wrong password, bad SQL or a missing file is a 400 then
// rather than a failed job later. Passwords are write-only: sealed before they are stored, never answered.
#include <filesystem>

#include "api/json_io.h"
#include "common/names.h"
#include "data/api/log_rows.h"
#include "data/api/routes.h"
#include "data/sources/secret_box.h"
#include "data/sources/snapshot_job.h"
#include "data/sources/source_reader.h"
#include "jobs/job_routes.h"
#include "logs/logql.h"

namespace maas::data::api {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;
using sources::Source;

Result<std::string> seal(const DataApi& api, const std::string& password) {
  MAAS_ASSIGN_OR_RETURN(std::string secret, sources::read_installation_secret(api.source_settings().data_dir.string()));
  return sources::seal_secret(secret, password);
}

Result<std::string> open_password(const DataApi& api, const std::string& sealed) {
  if (sealed.empty()) return std::string();
  MAAS_ASSIGN_OR_RETURN(std::string secret, sources::read_installation_secret(api.source_settings().data_dir.string()));
  return sources::open_secret(secret, sealed);
}

// Tries the source on the pool (a connection, a prepared query, the files): the clear 400 before it is stored.
boost::asio::awaitable<Status> try_source(DataApi& api, const Source& source, const std::string& password) {
  auto work = [&api, &source, &password] {
    return sources::check_source(source, password, api.source_settings().file_roots);
  };
  co_return co_await api.pool().run(std::move(work));
}

Awaitable create_source(DataApi& api, Request& req) {
  API_ASSIGN_OR_RESPOND(json body, maas::api::parse_json_object(req, {"name", "kind", "description", "config"}));
  Source source;
  API_ASSIGN_OR_RESPOND(auto name, maas::api::optional_string(body, "name", 256));
  API_ASSIGN_OR_RESPOND(auto kind, maas::api::optional_string(body, "kind", 32));
  if (!name || !kind) co_return Response::error(invalid_argument("fields 'name' and 'kind' are required"));
  API_RESPOND_IF_ERROR(validate_name(*name, "source"));
  API_ASSIGN_OR_RESPOND(auto description, maas::api::optional_string(body, "description", 8192));
  const json config = body.contains("config") ? body["config"] : json::object();
  API_ASSIGN_OR_RESPOND(auto checked, sources::check_config(*kind, config, api.source_settings().file_roots));
  if (*kind == "logs") {
    if (auto query = logs::parse_logql(checked.config["query"].get<std::string>()); !query.ok()) {
      co_return Response::error(invalid_argument("config.query: " + query.status().message()));
    }
  }
  source.name = *name;
  source.kind = *kind;
  source.config = checked.config;
  source.description = description.value_or("");
  source.created_by = req.principal ? req.principal->key_id : req.actor;
  const std::string password = checked.password.value_or("");
  Status tried = co_await try_source(api, source, password);
  if (!tried.ok()) co_return error_response(tried);
  if (!password.empty()) {
    API_ASSIGN_OR_RESPOND(source.sealed_secret, seal(api, password));
  }
  API_ASSIGN_OR_RESPOND(Source created, api.sources().create(source));
  Response res = Response::json(201, sources::source_json(created));
  res.headers.emplace_back("Location", "/api/v1/sources/" + created.name);
  co_return res;
}

Awaitable update_source(DataApi& api, Request& req) {
  API_ASSIGN_OR_RESPOND(json body, maas::api::parse_json_object(req, {"description", "config"}));
  API_ASSIGN_OR_RESPOND(Source source, api.sources().get(req.param("name")));
  sources::SourcePatch patch;
  API_ASSIGN_OR_RESPOND(patch.description, maas::api::optional_string(body, "description", 8192));
  if (body.contains("config")) {
    API_ASSIGN_OR_RESPOND(auto checked,
                          sources::check_config(source.kind, body["config"], api.source_settings().file_roots));
    if (source.kind == "logs") {
      if (auto query = logs::parse_logql(checked.config["query"].get<std::string>()); !query.ok()) {
        co_return Response::error(invalid_argument("config.query: " + query.status().message()));
      }
    }
    source.config = checked.config;
    std::string password;
    if (checked.password) {
      password = *checked.password;
    } else {
      API_ASSIGN_OR_RESPOND(password, open_password(api, source.sealed_secret));
    }
    Status tried = co_await try_source(api, source, password);
    if (!tried.ok()) co_return error_response(tried);
    patch.config = checked.config;
    if (checked.password) {
      API_ASSIGN_OR_RESPOND(patch.sealed_secret, seal(api, password));
    }
  }
  API_ASSIGN_OR_RESPOND(Source updated, api.sources().update(source.name, patch));
  co_return Response::json(200, sources::source_json(updated));
}

Awaitable snapshot(DataApi& api, Request& req) {
  API_ASSIGN_OR_RESPOND(json body, maas::api::parse_json_object(req, {"dataset", "mode", "priority"}));
  jobs::JobService* service = api.jobs();
  if (!service) co_return Response::error(unavailable("the job system is not running yet; try again"));
  jobs::Submission submission;
  submission.kind = sources::kSnapshotJobKind;
  submission.params = {{"source", req.param("name")}};
  for (const char* key : {"dataset", "mode"}) {
    API_ASSIGN_OR_RESPOND(auto value, maas::api::optional_string(body, key, 256));
    if (value) submission.params[key] = *value;
  }
  if (body.contains("priority")) {
    if (!body["priority"].is_number_integer())
      co_return Response::error(invalid_argument("'priority' must be an integer"));
    submission.priority = body["priority"].get<int>();
  }
  submission.owner = req.principal ? req.principal->key_id : req.actor;
  API_ASSIGN_OR_RESPOND(Source source, api.sources().get(req.param("name")));
  if (source.kind == "logs") {
    // The query runs here, over maasd's own log center, into a file the job then imports.
    logs::LogCenter* center = api.log_center();
    if (!center) co_return Response::error(unavailable("the log center is not attached yet; try again"));
    if (center->remote()) {
      co_return Response::error(failed_precondition("logs.store is loki: query the remote Loki and push the rows"));
    }
    const std::string dataset = submission.params.value("dataset", source.name);
    json since;
    if (submission.params.value("mode", "incremental") == "incremental") {
      API_ASSIGN_OR_RESPOND(since, latest_source_watermark(api.registry(), dataset, source.name));
    }
    auto work = [&api, center, &source, &since] {
      return write_log_rows(center->store(), source, since, api.source_settings().data_dir / "sources" / "logs");
    };
    Result<LogRows> written = co_await api.pool().run(std::move(work));
    if (!written.ok()) co_return error_response(written.status());
    submission.params["logs_file"] = written->file.string();
    submission.params["logs_watermark"] =
        written->last_ts_ns > 0 ? json{{"ts_ns", written->last_ts_ns}} : json(nullptr);
  }
  const std::string logs_file =
      submission.params.contains("logs_file") ? submission.params["logs_file"].get<std::string>() : std::string();
  auto submitted = service->submit(std::move(submission));
  if (!submitted.ok() && !logs_file.empty()) {
    std::error_code ec;
    std::filesystem::remove(logs_file, ec);
  }
  API_ASSIGN_OR_RESPOND(auto job, std::move(submitted));
  Response res = Response::json(202, jobs::job_json(job));
  res.headers.emplace_back("Location", "/api/v1/jobs/" + job.record.id);
  co_return res;
}

}  // namespace

void add_source_routes(http::Router& router, DataApi& api) {
  router.add("POST", "/api/v1/sources", [&api](Request& req) -> Awaitable { return create_source(api, req); });

  router.add("GET", "/api/v1/sources", [&api](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(int limit, maas::api::limit_param(req, 100));
    API_ASSIGN_OR_RESPOND(auto list, api.sources().list(req.query_param("page_token").value_or(""), limit));
    json out = json::array();
    for (const auto& s : list) out.push_back(sources::source_json(s));
    json next = static_cast<int>(list.size()) == limit ? json(list.back().name) : json(nullptr);
    co_return Response::json(200, {{"sources", out}, {"next_page_token", next}});
  });

  router.add("GET", "/api/v1/sources/{name}", [&api](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(Source source, api.sources().get(req.param("name")));
    co_return Response::json(200, sources::source_json(source));
  });

  router.add("PATCH", "/api/v1/sources/{name}", [&api](Request& req) -> Awaitable { return update_source(api, req); });

  router.add("DELETE", "/api/v1/sources/{name}", [&api](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(Source source, api.sources().get(req.param("name")));
    API_RESPOND_IF_ERROR(api.sources().remove(source.name));
    if (source.kind == "push") {
      std::lock_guard lock(api.push_mutex());
      std::error_code ec;
      std::filesystem::remove(sources::push_rows_path(api.source_settings().data_dir, source.name), ec);
    }
    co_return Response::no_content();
  });

  router.add("POST", "/api/v1/sources/{name}/snapshot",
             [&api](Request& req) -> Awaitable { return snapshot(api, req); });
}

}  // namespace maas::data::api
