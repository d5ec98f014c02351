#include "api/log_routes.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <optional>
#include <memory>
#include <set>

#include "common/clock.h"
#include "common/json_parse.h"
#include "logs/loki_push.h"
#include "logs/query.h"

namespace maas::api {
namespace {

using http::Request;
using http::Response;
using json = nlohmann::json;
using Awaitable = boost::asio::awaitable<Response>;

int64_t now_ns() { return now_unix_ms() * 1'000'000; }

// Loki's time parameters: Unix nanoseconds, Unix seconds (10 digits or fewer, or with a fraction) or RFC 3339.
Result<int64_t> parse_time(const std::string& name, const std::string& text) {
  if (text.find('.') != std::string::npos && text.find('T') == std::string::npos) {
    char* end = nullptr;
    double seconds = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || !std::isfinite(seconds)) {
      return invalid_argument(name + ": '" + text + "' is not a time");
    }
    return static_cast<int64_t>(seconds * 1e9);
  }
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec == std::errc() && ptr == text.data() + text.size()) return text.size() <= 10 ? n * 1'000'000'000 : n;
  if (auto ms = parse_rfc3339_ms(text)) return *ms * 1'000'000;
  return invalid_argument(name + ": '" + text + "' is not a time (Unix ns, Unix seconds or RFC 3339)");
}

Result<int64_t> time_param(const Request& req, const char* name, int64_t fallback) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return fallback;
  return parse_time(name, *v);
}

// A step or since: a duration ("15s", "5m") or seconds ("15", "0.5").
Result<int64_t> duration_param(const std::string& name, const std::string& text) {
  char* end = nullptr;
  double seconds = std::strtod(text.c_str(), &end);
  if (end != text.c_str() && *end == '\0') {
    if (!(seconds > 0) || seconds > 1e9) return invalid_argument(name + ": '" + text + "' is out of range");
    return static_cast<int64_t>(seconds * 1e9);
  }
  auto d = logs::parse_duration_ns(text);
  if (!d.ok()) return invalid_argument(name + ": " + d.status().message());
  return d;
}

// The query parameters of query_range and query, with Loki's defaults.
Result<logs::QueryParams> query_params(const Request& req, bool instant) {
  logs::QueryParams p;
  int64_t now = now_ns();
  if (instant) {
    MAAS_ASSIGN_OR_RETURN(p.end_ns, time_param(req, "time", now));
    p.start_ns = p.end_ns - 3'600'000'000'000LL;  // log queries look back an hour, as Loki does
  } else {
    MAAS_ASSIGN_OR_RETURN(p.end_ns, time_param(req, "end", now));
    int64_t lookback = 3'600'000'000'000LL;
    if (auto since = req.query_param("since")) {
      MAAS_ASSIGN_OR_RETURN(lookback, duration_param("since", *since));
    }
    MAAS_ASSIGN_OR_RETURN(p.start_ns, time_param(req, "start", p.end_ns - lookback));
    // Loki's default step: the range over 250 points, at least a second.
    p.step_ns = std::max<int64_t>(1'000'000'000, (p.end_ns - p.start_ns) / 250 / 1'000'000'000 * 1'000'000'000);
    if (auto step = req.query_param("step")) {
      MAAS_ASSIGN_OR_RETURN(p.step_ns, duration_param("step", *step));
    }
  }
  if (auto limit = req.query_param("limit")) {
    int64_t n = 0;
    auto [ptr, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
    if (ec != std::errc() || ptr != limit->data() + limit->size() || n <= 0) {
      return invalid_argument("limit: '" + *limit + "' is not a positive number");
    }
    p.limit = static_cast<size_t>(n);
  }
  if (auto dir = req.query_param("direction")) {
    if (*dir == "forward" || *dir == "FORWARD") {
      p.direction = logs::Direction::kForward;
    } else if (*dir != "backward" && *dir != "BACKWARD") {
      return invalid_argument("direction: use forward or backward");
    }
  }
  p.include_archive = req.query_param("archive").value_or("false") == "true";
  return p;
}

json labels_json(const std::vector<std::pair<std::string, std::string>>& pairs) {
  json out = json::object();
  for (const auto& [k, v] : pairs) out[k] = v;
  return out;
}

std::string seconds_text(int64_t ns) {
  char buf[40];
  auto end = std::to_chars(buf, buf + sizeof(buf), static_cast<double>(ns) / 1e9).ptr;
  return std::string(buf, end);
}

std::string number_text(double v) {
  char buf[40];
  auto end = std::to_chars(buf, buf + sizeof(buf), v).ptr;
  return std::string(buf, end);
}

json result_json(const logs::QueryResult& r, bool instant, double seconds) {
  json result = json::array();
  std::string type;
  if (!r.is_metric) {
    type = "streams";
    for (const auto& s : r.streams) {
      json values = json::array();
      for (const auto& [ts, line] : s.entries) values.push_back({std::to_string(ts), line});
      result.push_back({{"stream", labels_json(s.labels.pairs())}, {"values", std::move(values)}});
    }
  } else if (instant) {
    type = "vector";
    for (const auto& s : r.series) {
      const auto& [ts, v] = s.points.back();
      result.push_back({{"metric", labels_json(s.metric)}, {"value", {static_cast<double>(ts) / 1e9, number_text(v)}}});
    }
  } else {
    type = "matrix";
    for (const auto& s : r.series) {
      json values = json::array();
      for (const auto& [ts, v] : s.points) values.push_back({json::parse(seconds_text(ts)), number_text(v)});
      result.push_back({{"metric", labels_json(s.metric)}, {"values", std::move(values)}});
    }
  }
  json summary = {{"totalBytesProcessed", r.stats.bytes},
                  {"totalLinesProcessed", r.stats.lines},
                  {"execTime", seconds},
                  {"bytesProcessedPerSecond", seconds > 0 ? static_cast<uint64_t>(static_cast<double>(r.stats.bytes) / seconds) : 0},
                  {"linesProcessedPerSecond", seconds > 0 ? static_cast<uint64_t>(static_cast<double>(r.stats.lines) / seconds) : 0}};
  return {{"status", "success"},
          {"data", {{"resultType", type}, {"result", std::move(result)}, {"stats", {{"summary", summary}}}}}};
}

// With logs.store: loki the remote holds the records: Loki's query endpoints send the request there whole and
// answer with what it answers (a remote store cannot be scanned block by block).
boost::asio::awaitable<Response> forward(logs::LokiStore& remote, BlockingPool& blocking, Request& req) {
  std::string content_type = req.header("content-type").value_or("");
  auto work = [&remote, &req, &content_type] { return remote.forward(req.method, req.target, req.body, content_type); };
  auto answer = co_await blocking.run(std::move(work));
  if (!answer.ok()) co_return Response::error(answer.status());
  Response out;
  out.status = answer->status;
  out.content_type = answer->content_type.empty() ? "application/json" : answer->content_type;
  out.body = std::move(answer->body);
  co_return out;
}

// A POSTed query may carry its parameters as a form (Grafana sends long queries that way): they join the query
// string's, ahead of them, as Go's Request.ParseForm orders them for Loki.
Status read_form_body(Request& req) {
  if (req.method != "POST") return {};
  std::string type = req.header("content-type").value_or("");
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type.rfind("application/x-www-form-urlencoded", 0) != 0) return {};
  auto form = http::parse_query(req.body);
  if (!form.ok()) return invalid_argument("the form body: " + form.status().message());
  req.query.insert(req.query.begin(), std::make_move_iterator(form->begin()), std::make_move_iterator(form->end()));
  return {};
}

// Runs a query_range or query request on the blocking pool.
boost::asio::awaitable<Response> run_query_route(logs::LogCenter& center, BlockingPool& blocking, Request& req,
                                                 bool instant) {
  if (auto* remote = center.remote()) co_return co_await forward(*remote, blocking, req);
  if (Status form = read_form_body(req); !form.ok()) co_return Response::error(form);
  auto text = req.query_param("query");
  if (!text || text->empty()) co_return Response::error(invalid_argument("the 'query' parameter is required"));
  auto query = logs::parse_logql(*text);
  if (!query.ok()) co_return Response::error(query.status());
  auto params = query_params(req, instant);
  if (!params.ok()) co_return Response::error(params.status());
  if (instant) params->step_ns = 0;
  // BlockingPool::run moves its callable into a coroutine frame, where GCC 12 destroys non-trivial captures
  // twice: capture references to this frame's locals only.
  const logs::Query& q = *query;
  const logs::QueryParams& p = *params;
  auto work = [&center, &q, &p] {
    auto started = std::chrono::steady_clock::now();
    auto r = logs::run_query(center.store(), q, p);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return std::make_pair(std::move(r), seconds);
  };
  auto [result, seconds] = co_await blocking.run(std::move(work));
  if (!result.ok()) co_return Response::error(result.status());
  co_return Response::json(200, result_json(*result, instant, seconds));
}

boost::asio::awaitable<Response> push(logs::LogCenter& center, BlockingPool& blocking, const LogRouteOptions& options,
                                      Request& req) {
  std::string type = req.header("content-type").value_or("application/json");
  if (type.rfind("application/x-protobuf", 0) == 0) {
    co_return Response::error(Status(StatusCode::kUnsupportedMediaType,
                                     "maas accepts Loki's JSON push format only; configure the client to send "
                                     "application/json (promtail: not supported; use a JSON-capable shipper)"));
  }
  if (type.rfind("application/json", 0) != 0) {
    co_return Response::error(
        Status(StatusCode::kUnsupportedMediaType, "Content-Type must be application/json, not '" + type + "'"));
  }
  std::string encoding = req.header("content-encoding").value_or("");
  if (!encoding.empty() && encoding != "gzip" && encoding != "identity") {
    co_return Response::error(
        Status(StatusCode::kUnsupportedMediaType, "Content-Encoding '" + encoding + "' is not accepted; use gzip or none"));
  }
  logs::PushRules rules;
  rules.now_ns = now_ns();
  rules.creation_grace_ns = options.creation_grace_ns;
  rules.accept_maasd_streams = options.accept_maasd_pushes;
  rules.pusher = req.principal ? req.principal->key_id.substr(0, 128) : "";
  auto work = [&center, &req, &encoding, &options, &rules]() -> Status {  // references only (see run_query_route)
    std::string inflated;
    if (encoding == "gzip") {
      MAAS_ASSIGN_OR_RETURN(inflated, logs::gunzip(req.body, options.max_push_bytes));
    }
    MAAS_ASSIGN_OR_RETURN(auto batches, logs::decode_loki_push(encoding == "gzip" ? inflated : req.body));
    MAAS_RETURN_IF_ERROR(logs::apply_push_rules(batches, rules));
    return center.append(batches);
  };
  Status s = co_await blocking.run(std::move(work));
  if (!s.ok()) co_return Response::error(s);
  co_return Response::no_content();
}

// GET /api/v1/logs/tail?query=...: each new matching entry as an SSE event {"stream", "values": [[ts, line]]};
// a "dropped" event when the reader fell behind.
Response tail(logs::LogCenter& center, Request& req) {
  auto text = req.query_param("query");
  if (!text || text->empty()) return Response::error(invalid_argument("the 'query' parameter is required"));
  auto query = logs::parse_logql(*text);
  if (!query.ok()) return Response::error(query.status());
  if (query->is_metric) return Response::error(invalid_argument("tail takes a log query, not a metric query"));
  auto subscription = center.subscribe(std::move(*query));
  return Response::sse([subscription](http::ChunkWriter& writer) -> boost::asio::awaitable<void> {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    if (!co_await writer.write(": tailing\n\n")) co_return;
    for (int idle = 0;; ++idle) {
      uint64_t dropped = 0;
      auto items = subscription->take(&dropped);
      std::string out;
      if (dropped > 0) out += "event: dropped\ndata: {\"dropped\":" + std::to_string(dropped) + "}\n\n";
      for (const auto& item : items) {
        json event = {{"stream", labels_json(item.labels.pairs())},
                      {"values", json::array({json::array({std::to_string(item.ts_ns), item.line})})}};
        out += "data: " + event.dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
      }
      // A comment every second lets a vanished client be noticed (and its subscription freed) when nothing matches.
      if (out.empty() && idle % 10 == 9) out = ": keep-alive\n\n";
      if (!out.empty() && !co_await writer.write(out)) co_return;
      timer.expires_after(std::chrono::milliseconds(100));
      boost::system::error_code ec;
      co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    }
  });
}

// GET /api/v1/models/{name}/versions/{ref}/events: the version's runtime events from the log center, oldest
// first, as a timeline of what happened and why.
boost::asio::awaitable<Response> version_events(logs::LogCenter& center, BlockingPool& blocking,
                                                const VersionResolver& resolve, Request& req) {
  auto version = resolve(req.param("name"), req.param("ref"));
  if (!version.ok()) co_return Response::error(version.status());
  // Model names are validated by the resolver; the version is a number: the query needs no escaping.
  // Only what this maasd wrote: a pushed record cannot match kOwnEventsSelector (logs/record.h).
  auto query = logs::parse_logql(std::string(logs::kOwnEventsSelector) + " | json | model=" +
                                 logs::quote(req.param("name")) + " | version=" + logs::quote(std::to_string(*version)));
  if (!query.ok()) co_return Response::error(query.status());
  auto params = query_params(req, false);
  if (!params.ok()) co_return Response::error(params.status());
  if (!req.query_param("since") && !req.query_param("start")) params->start_ns = 0;
  if (!req.query_param("limit")) params->limit = 1000;
  params->direction = logs::Direction::kForward;
  const logs::Query& q = *query;
  const logs::QueryParams& p = *params;
  auto work = [&center, &q, &p] { return logs::run_query(center.store(), q, p); };
  auto result = co_await blocking.run(std::move(work));
  if (!result.ok()) co_return Response::error(result.status());
  std::vector<std::pair<int64_t, json>> events;
  for (const auto& s : result->streams) {
    for (const auto& [ts, line] : s.entries) {
      auto parsed = parse_json(line);
      if (!parsed.ok() || !parsed->is_object()) continue;
      json& j = *parsed;
      j["at"] = format_rfc3339_ms(ts / 1'000'000);
      j.erase("model");
      j.erase("version");
      events.emplace_back(ts, std::move(j));
    }
  }
  std::stable_sort(events.begin(), events.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  json out = json::array();
  for (auto& [ts, j] : events) out.push_back(std::move(j));
  co_return Response::json(200, {{"model", req.param("name")}, {"version", *version}, {"events", std::move(out)}});
}

}  // namespace

void add_log_routes(http::Router& router, logs::LogCenter& center, BlockingPool& blocking, LogRouteOptions options,
                    VersionResolver resolve_version) {
  auto* c = &center;
  auto* b = &blocking;
  auto opts = std::make_shared<const LogRouteOptions>(options);
  router.add(
      "POST", "/loki/api/v1/push",
      [c, b, opts](Request& req) -> Awaitable { return push(*c, *b, *opts, req); },
      http::BodyMode::kBufferedLarge);
  // Queries read, whichever method Grafana uses.
  for (const char* method : {"GET", "POST"}) {
    router.add(
        method, "/loki/api/v1/query_range",
        [c, b](Request& req) -> Awaitable { return run_query_route(*c, *b, req, false); }, http::BodyMode::kBuffered,
        http::Access::kRead);
    router.add(
        method, "/loki/api/v1/query", [c, b](Request& req) -> Awaitable { return run_query_route(*c, *b, req, true); },
        http::BodyMode::kBuffered, http::Access::kRead);
  }
  auto labels = [c](Request& req, const std::string* name) -> Response {
    int64_t now = now_ns();
    auto end = time_param(req, "end", now);
    if (!end.ok()) return Response::error(end.status());
    auto start = time_param(req, "start", *end - 6 * 3'600'000'000'000LL);
    if (!start.ok()) return Response::error(start.status());
    std::set<std::string> out;
    for (const auto& s : c->store().streams(*start, *end + 1, req.query_param("archive").value_or("") == "true")) {
      for (const auto& [n, v] : s.pairs()) out.insert(name ? (n == *name ? v : std::string()) : n);
    }
    out.erase("");
    return Response::json(200, {{"status", "success"}, {"data", out}});
  };
  router.add("GET", "/loki/api/v1/labels", [c, b, labels](Request& req) -> Awaitable {
    if (auto* remote = c->remote()) co_return co_await forward(*remote, *b, req);
    co_return labels(req, nullptr);
  });
  router.add("GET", "/loki/api/v1/label/{name}/values", [c, b, labels](Request& req) -> Awaitable {
    if (auto* remote = c->remote()) co_return co_await forward(*remote, *b, req);
    co_return labels(req, &req.param("name"));
  });
  auto resolver = std::make_shared<VersionResolver>(std::move(resolve_version));
  router.add("GET", "/api/v1/models/{name}/versions/{ref}/events", [c, b, resolver](Request& req) -> Awaitable {
    return version_events(*c, *b, *resolver, req);
  });
  router.add("GET", "/api/v1/logs/tail", [c](Request& req) -> Awaitable { co_return tail(*c, req); });
  router.add(
      "GET", "/api/v1/admin/logs",
      [c](Request&) -> Awaitable {
    auto s = c->store().stats();
    auto counters = c->counters();
    co_return Response::json(200, {{"streams", s.streams},
                                   {"segments", s.segments},
                                   {"bytes", s.bytes},
                                   {"entries", s.entries},
                                   {"archived_segments", s.archived_segments},
                                   {"archived_bytes", s.archived_bytes},
                                   {"dropped_records", counters.dropped}});
      },
      http::BodyMode::kBuffered, http::Access::kAdmin);
  router.add(
      "POST", "/api/v1/admin/logs/retention",
      [c, b](Request&) -> Awaitable {
    auto work = [c] { return c->enforce_retention(); };
    auto report = co_await b->run(std::move(work));
    if (!report.ok()) co_return Response::error(report.status());
    co_return Response::json(200, {{"archived_segments", report->archived_segments},
                                   {"deleted_segments", report->deleted_segments}});
      },
      http::BodyMode::kBuffered, http::Access::kAdmin);
}

}  // namespace maas::api
