#include "jobs/job_routes.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "api/json_io.h"
#include "common/clock.h"
#include "common/json_parse.h"
#include "jobs/job_records.h"
#include "logs/logql.h"
#include "logs/query.h"

namespace maas::jobs {
namespace {

namespace asio = boost::asio;
using http::Request;
using http::Response;
using nlohmann::json;
using Awaitable = asio::awaitable<Response>;

constexpr int kMaxPriority = 1000;

json optional_time(const std::optional<int64_t>& ms) { return ms ? json(format_rfc3339_ms(*ms)) : json(); }

json kind_json(const JobKind& k) {
  return {{"name", k.name},
          {"description", k.description},
          {"resources", {{"cpu_slots", k.resources.cpu_slots}, {"memory_bytes", k.resources.memory_bytes}}},
          {"max_attempts", k.retry.max_attempts}};
}

// The caller's role allows cancelling `job`: admins any job, others their own.
Status check_owner(const Request& req, const JobView& job) {
  if (!req.principal || req.principal->role == "admin" || req.principal->key_id == job.record.owner) return {};
  return permission_denied("job '" + job.record.id + "' was submitted by another key; only an admin may cancel it");
}

Result<Submission> parse_submission(const Request& req) {
  MAAS_ASSIGN_OR_RETURN(json body, api::parse_json_object(req, {"kind", "params", "priority", "cpu_slots"}));
  Submission s;
  auto kind = body.find("kind");
  if (kind == body.end() || !kind->is_string()) return invalid_argument("field 'kind' is required and must be a string");
  s.kind = kind->get<std::string>();
  if (auto params = body.find("params"); params != body.end() && !params->is_null()) {
    if (!params->is_object()) return invalid_argument("field 'params' must be an object");
    s.params = *params;
  }
  // int64_of, not get<int64_t>(): 2^64-1 would wrap to -1 and pass the range check.
  if (const json* priority = api::find_field(body, "priority")) {
    std::optional<int64_t> p = api::int64_of(*priority);
    if (!p || *p < -kMaxPriority || *p > kMaxPriority) {
      return invalid_argument("field 'priority' must be a whole number from -1000 to 1000 (higher runs first)");
    }
    s.priority = static_cast<int>(*p);
  }
  if (const json* slots = api::find_field(body, "cpu_slots")) {
    std::optional<int64_t> n = api::int64_of(*slots);
    if (!n || *n < 1 || *n > 4096) return invalid_argument("field 'cpu_slots' must be a whole number from 1 to 4096");
    s.cpu_slots = static_cast<int>(*n);
  }
  s.owner = req.principal ? req.principal->key_id : req.actor;
  return s;
}

Result<store::JobQuery> parse_list_query(const Request& req) {
  store::JobQuery q;
  MAAS_ASSIGN_OR_RETURN(int limit, api::limit_param(req, 100));
  if (limit < 1 || limit > 1000) return invalid_argument("limit must be from 1 to 1000");
  q.limit = limit;
  if (auto state = req.query_param("state")) {
    bool known = false;
    for (auto s : {store::kJobQueued, store::kJobRunning, store::kJobCancelling, store::kJobSucceeded,
                   store::kJobFailed, store::kJobCancelled}) {
      known = known || *state == s;
    }
    if (!known) {
      return invalid_argument("state '" + *state + "' is not one of queued, running, cancelling, succeeded, failed, cancelled");
    }
    q.state = *state;
  }
  if (auto kind = req.query_param("kind")) q.kind = *kind;
  if (auto owner = req.query_param("owner")) q.owner = *owner;
  if (auto before = req.query_param("before")) q.before_id = *before;
  return q;
}

json log_entry_json(int64_t ts_ns, const std::string& line) {
  json j = parse_json_or(line, json());
  if (!j.is_object()) j = json{{"line", line}};
  j.erase("job_id");
  j.erase("job_kind");
  j["at"] = format_rfc3339_ms(ts_ns / 1'000'000);
  j["ts"] = std::to_string(ts_ns);
  return j;
}

std::string sse(const json& j, const char* event = nullptr) {
  std::string out = event ? std::string("event: ") + event + "\n" : "";
  return out + "data: " + j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
}

// The job's last `limit` log lines so far, oldest first.
asio::awaitable<Result<std::vector<std::pair<int64_t, std::string>>>> read_logs(logs::LogCenter& center,
                                                                                 api::BlockingPool& blocking,
                                                                                 const JobView& job, size_t limit) {
  using Lines = std::vector<std::pair<int64_t, std::string>>;
  if (center.remote()) {
    co_return failed_precondition("with logs.store: loki a job's past log lines are in the remote Loki: query it with "
                                  "{job=\"maasd\", kind=\"job\"} | json | job_id=\"" + job.record.id + "\"");
  }
  auto query = logs::parse_logql(job_log_query(job.record.id));
  if (!query.ok()) co_return query.status();
  logs::QueryParams params;
  params.start_ns = (job.record.created_at_ms - 1000) * 1'000'000;
  params.end_ns = (now_unix_ms() + 1000) * 1'000'000;
  params.limit = limit;
  params.direction = logs::Direction::kBackward;  // the newest `limit`, shown oldest first below
  const logs::Query& q = *query;
  const logs::QueryParams& p = params;
  auto work = [&center, &q, &p] { return logs::run_query(center.store(), q, p); };
  auto result = co_await blocking.run(std::move(work));
  if (!result.ok()) co_return result.status();
  Lines lines;
  for (const auto& stream : result->streams) lines.insert(lines.end(), stream.entries.begin(), stream.entries.end());
  std::stable_sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  co_return lines;
}

// GET /api/v1/jobs/{id}/logs?follow=true: what was logged so far, then new lines as they come, until the job has
// ended ("event: end" with its state).
Response follow_logs(JobService& service, logs::LogCenter& center, api::BlockingPool& blocking, JobView job,
                     size_t limit) {
  auto query = logs::parse_logql(job_log_query(job.record.id));
  if (!query.ok()) return Response::error(query.status());
  // Subscribed before the past lines are read, so that nothing falls between the two.
  auto tail = center.subscribe(std::move(*query));
  return Response::sse([&service, &center, &blocking, tail, job, limit](http::ChunkWriter& writer) -> asio::awaitable<void> {
    int64_t last_ts = 0;
    if (!center.remote()) {
      auto past = co_await read_logs(center, blocking, job, limit);
      std::string out;
      if (past.ok()) {
        for (const auto& [ts, line] : *past) {
          out += sse(log_entry_json(ts, line));
          last_ts = std::max(last_ts, ts);
        }
      }
      if (!out.empty() && !co_await writer.write(out)) co_return;
    }
    asio::steady_timer timer(co_await asio::this_coro::executor);
    std::optional<std::chrono::steady_clock::time_point> ended_at;
    for (int tick = 0;; ++tick) {
      uint64_t dropped = 0;
      std::string out;
      for (const auto& item : tail->take(&dropped)) {
        if (item.ts_ns <= last_ts) continue;  // already sent with the past lines
        out += sse(log_entry_json(item.ts_ns, item.line));
      }
      if (dropped > 0) out += sse({{"dropped", dropped}}, "dropped");
      if (tick % 5 == 0 && !ended_at) {
        auto now = service.get(job.record.id);
        if (!now.ok() || store::is_terminal_job_state(now->record.state)) ended_at = std::chrono::steady_clock::now();
      }
      // The last lines reach the log center after the job's end is recorded: a second's grace before the end.
      if (ended_at && std::chrono::steady_clock::now() - *ended_at > std::chrono::seconds(1)) {
        auto final_state = service.get(job.record.id);
        out += sse({{"state", final_state.ok() ? final_state->record.state : "unknown"}}, "end");
        co_await writer.write(out);
        co_return;
      }
      if (out.empty() && tick % 10 == 9) out = ": keep-alive\n\n";
      if (!out.empty() && !co_await writer.write(out)) co_return;
      timer.expires_after(std::chrono::milliseconds(100));
      boost::system::error_code ec;
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  });
}

}  // namespace

json job_json(const JobView& v) {
  const auto& r = v.record;
  json progress = {{"fraction", r.progress}, {"message", r.progress_message}, {"metrics", r.progress_metrics}};
  if (v.eta_seconds) progress["eta_seconds"] = *v.eta_seconds;
  json j = {{"id", r.id},
            {"kind", r.kind},
            {"state", r.state},
            {"priority", r.priority},
            {"owner", r.owner},
            {"params", r.params},
            {"resources", {{"cpu_slots", r.cpu_slots}, {"memory_bytes", r.memory_bytes}}},
            {"attempts", r.attempts},
            {"max_attempts", r.max_attempts},
            {"interruptions", r.interruptions},
            {"created_at", format_rfc3339_ms(r.created_at_ms)},
            {"started_at", optional_time(r.started_at_ms)},
            {"finished_at", optional_time(r.finished_at_ms)},
            {"progress", progress},
            {"result", r.result},
            {"error", r.error.empty() ? json() : json(r.error)},
            {"checkpoint", !r.checkpoint.empty()}};
  if (r.state == store::kJobQueued && r.not_before_ms > now_unix_ms()) j["retry_at"] = format_rfc3339_ms(r.not_before_ms);
  if (v.pid > 0) {
    j["process"] = {{"pid", v.pid}, {"resident_bytes", v.resident_bytes}, {"cpu_seconds", v.cpu_seconds}};
  }
  return j;
}

void add_job_routes(http::Router& router, JobService& jobs, logs::LogCenter& center, api::BlockingPool& blocking) {
  JobService* service = &jobs;
  router.add(
      "POST", "/api/v1/jobs",
      [service](Request& req) -> Awaitable {
        API_ASSIGN_OR_RESPOND(Submission submission, parse_submission(req));
        API_ASSIGN_OR_RESPOND(JobView job, service->submit(std::move(submission)));
        Response r = Response::json(201, job_json(job));
        r.headers.emplace_back("Location", "/api/v1/jobs/" + job.record.id);
        co_return r;
      },
      http::BodyMode::kBuffered, http::Access::kDeploy);
  router.add(
      "GET", "/api/v1/jobs",
      [service](Request& req) -> Awaitable {
        API_ASSIGN_OR_RESPOND(store::JobQuery query, parse_list_query(req));
        API_ASSIGN_OR_RESPOND(auto jobs, service->list(query));
        json items = json::array();
        for (const auto& j : jobs) items.push_back(job_json(j));
        json body = {{"jobs", std::move(items)}};
        // The next page starts before the last job of this one.
        if (static_cast<int>(jobs.size()) == query.limit) body["next_before"] = jobs.back().record.id;
        co_return Response::json(200, body);
      },
      http::BodyMode::kBuffered, http::Access::kRead);
  router.add(
      "GET", "/api/v1/jobs/kinds",
      [service](Request&) -> Awaitable {
        json kinds = json::array();
        for (const JobKind* k : service->kinds().list()) kinds.push_back(kind_json(*k));
        co_return Response::json(200, {{"kinds", std::move(kinds)}});
      },
      http::BodyMode::kBuffered, http::Access::kRead);
  router.add(
      "GET", "/api/v1/jobs/{id}",
      [service](Request& req) -> Awaitable {
        API_ASSIGN_OR_RESPOND(JobView job, service->get(req.param("id")));
        co_return Response::json(200, job_json(job));
      },
      http::BodyMode::kBuffered, http::Access::kRead);
  router.add(
      "POST", "/api/v1/jobs/{id}/cancel",
      [service](Request& req) -> Awaitable {
        API_ASSIGN_OR_RESPOND(JobView job, service->get(req.param("id")));
        API_RESPOND_IF_ERROR(check_owner(req, job));
        auto cancelling = service->cancel(job.record.id);  // a named task: no temporaries inside co_await (GCC 12)
        auto cancelled = co_await std::move(cancelling);
        if (!cancelled.ok()) co_return Response::error(cancelled.status());
        co_return Response::json(200, job_json(*cancelled));
      },
      http::BodyMode::kBuffered, http::Access::kDeploy);
  router.add(
      "GET", "/api/v1/jobs/{id}/logs",
      [service, c = &center, b = &blocking](Request& req) -> Awaitable {
        API_ASSIGN_OR_RESPOND(JobView job, service->get(req.param("id")));
        API_ASSIGN_OR_RESPOND(int limit, api::limit_param(req, 1000));
        if (limit < 1 || limit > 50'000) co_return Response::error(invalid_argument("limit must be from 1 to 50000"));
        std::string follow = req.query_param("follow").value_or("false");
        if (follow != "true" && follow != "false") {
          co_return Response::error(invalid_argument("follow must be true or false, not '" + follow + "'"));
        }
        if (follow == "true") co_return follow_logs(*service, *c, *b, std::move(job), static_cast<size_t>(limit));
        auto lines = co_await read_logs(*c, *b, job, static_cast<size_t>(limit));
        if (!lines.ok()) co_return Response::error(lines.status());
        json out = json::array();
        for (const auto& [ts, line] : *lines) out.push_back(log_entry_json(ts, line));
        co_return Response::json(200, {{"job_id", job.record.id}, {"state", job.record.state}, {"lines", std::move(out)}});
      },
      http::BodyMode::kBuffered, http::Access::kRead);
}

}  // namespace maas::jobs
