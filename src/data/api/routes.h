// The route groups of the data-center API, each in its own file, and what they share. Internal to data/api/.
#pragma once

#include <utility>  // before Asio 1.74's awaitable.hpp, which uses std::exchange without including it

#include <boost/asio/awaitable.hpp>

#include "data/api/data_api.h"
#include "http/request.h"
#include "http/router.h"

namespace maas::data::api {

using Awaitable = boost::asio::awaitable<http::Response>;

// Datasets, versions (list, get, update, delete) and aliases: dataset_routes.cc.
void add_dataset_routes(http::Router& router, DataApi& api);
// Creating a version by uploading a file: dataset_upload.cc.
void add_upload_route(http::Router& router, DataApi& api);
// Previews, downloads and rejected rows: dataset_reads.cc.
void add_read_routes(http::Router& router, DataApi& api);
// Cleaning, splits and drift over recorded versions: prep_routes.cc.
void add_prep_routes(http::Router& router, DataApi& api);
// POST /api/v1/rules/discover: discover_route.cc (built where data/discovery is).
void add_discover_route(http::Router& router, DataApi& api);

// Extraction rules: test, create, versions, list, get, delete, run: rule_routes.cc.
void add_rule_routes(http::Router& router, DataApi& api);

// Sources (create, list, get, update, delete) and their snapshots: source_routes.cc.
void add_source_routes(http::Router& router, DataApi& api);
// POST /api/v1/sources/{name}/rows, a push source's rows: push_route.cc.
void add_push_route(http::Router& router, DataApi& api);

// The watermark the newest version of `dataset` made from `source` kept; null when none: snapshot_kind.cc.
Result<nlohmann::json> latest_source_watermark(DatasetRegistry& registry, const std::string& dataset,
                                               const std::string& source);

// The data.rule kind (rule_job_kind.cc).
jobs::JobKind rule_job_kind(DataApi& api);
// Submits a data.rule job for POST /api/v1/rules/{name}/run (rule_job_kind.cc).
Result<jobs::JobView> submit_rule_run(DataApi& api, const std::string& rule, const nlohmann::json& body,
                                      const std::string& owner);

// The data.clean, data.split and data.drift kinds (prep_jobs.cc).
std::vector<jobs::JobKind> prep_job_kinds(DataApi& api);
// data.drift's params normalized (the input versions' files and schemas, pins, columns, bins); the synchronous
// drift route computes from them too (prep_jobs.cc).
Result<nlohmann::json> validate_drift(DataApi& api, const nlohmann::json& params);
// Submits a job of a data kind with `params` (checked by the kind's validate), at body["priority"] when given.
Result<jobs::JobView> submit_data_job(DataApi& api, const std::string& kind, nlohmann::json params,
                                      const nlohmann::json& body, const std::string& owner);

// Reads a streamed body whole: `too_large` past `limit` bytes (before reading, when Content-Length says so),
// DEADLINE_EXCEEDED past the request's deadline. read_body.cc.
boost::asio::awaitable<Result<std::string>> read_body(http::Request& req, uint64_t limit, Status too_large);

// The error answer, with Retry-After when the refusal is a full set of work slots (429).
http::Response error_response(const Status& status);

}  // namespace maas::data::api
