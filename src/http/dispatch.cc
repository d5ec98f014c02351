#include "http/dispatch.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>

#include "common/clock.h"
#include "common/json_line.h"
#include "common/logging.h"
#include "common/random.h"
#include "http/body_digest.h"
#include "http/server.h"

namespace maas::http {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace internal {

// A random per-process prefix and a counter: unique without a call into the random generator (and its lock) on
// every request.
std::string next_request_id() {
  static const std::string kPrefix = random_hex(4);
  static std::atomic<uint32_t> counter{0};
  char buf[9];
  std::snprintf(buf, sizeof(buf), "%08x", counter.fetch_add(1, std::memory_order_relaxed));
  return kPrefix + buf;
}

bool is_safe_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

void log_access(const Request& req, int status, uint64_t bytes_in, uint64_t bytes_out, Clock::time_point started) {
  spdlog::logger* logger = access_logger();
  if (logger == nullptr) return;
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();
  std::string line = JsonLine()
                         .field("ts", format_rfc3339_ms(now_unix_ms()))
                         .field("type", "access")
                         .field("request_id", req.request_id)
                         .field("remote", req.remote)
                         .field("method", req.method)
                         .field("path", req.path)
                         .field("status", status)
                         .field("bytes_in", bytes_in)
                         .field("bytes_out", bytes_out)
                         .field("duration_ms", static_cast<double>(micros) / 1000.0)
                         .take();
  logger->info(line);
}

Status authorize(const Server& server, Request& req, const Route& route) {
  if (route.access == Access::kPublic || !server.authenticator()) return {};
  auto principal = server.authenticator()(req, route.access);
  if (!principal.ok()) return principal.status();
  req.principal = std::move(*principal);
  req.actor = req.principal->key_id;
  return {};
}

asio::awaitable<Response> run_handler(const Router& router, const Route& route, Request& req) {
  try {
    co_return co_await route.handler(req);
  } catch (const std::exception& e) {
    spdlog::error("handler {} {} threw: {}", req.method, route.pattern, e.what());
  }
  co_return router.error_response(req.path, internal_error("unexpected server error; see the server log"));
}

Response refused(const Server& server, Request& req, const Route& route, const Status& denied) {
  req.route = route.pattern;  // metrics and the log center count refusals by route too
  // "unauthenticated", "permission_denied"; or what else stopped it (a full nonce cache: "unavailable").
  req.log_fields.rejection_reason = status_code_name(denied.code());
  for (auto& c : req.log_fields.rejection_reason) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  Response response = server.router().error_response(req.path, denied);
  if (denied.code() == StatusCode::kUnauthenticated) {
    response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"maas\"");
  }
  return response;
}

Response service_unavailable(const Server& server, std::string_view path, const std::string& why) {
  Response res = server.router().error_response(path, unavailable(why));
  res.headers.emplace_back("Retry-After", "1");
  return res;
}

Response over_body_budget(Server& server, Request& req) {
  server.count(ConnectionEvent::kBodyBudget);
  req.log_fields.rejection_reason = "body_budget";
  return service_unavailable(server, req.path,
                             "the server is buffering as many request bodies as it may (" +
                                 std::to_string(server.body_budget().capacity()) +
                                 " bytes, limits.max_buffered_body_bytes); retry shortly");
}

Status check_signed_body(const Request& req) {
  if (!req.principal || req.principal->body_sha256.empty()) return {};
  return check_body_sha256(req.body, req.principal->body_sha256);
}

std::pair<uint64_t, std::string> body_limit(const ServerOptions& opt, BodyMode mode) {
  switch (mode) {
    case BodyMode::kStreamed:
      return {opt.max_streamed_body_bytes,
              std::to_string(opt.max_streamed_body_bytes) + " bytes (limits.max_artifact_bytes)"};
    case BodyMode::kBufferedLarge:
      return {opt.max_infer_body_bytes,
              std::to_string(opt.max_infer_body_bytes) + " bytes (limits.max_infer_body_bytes)"};
    case BodyMode::kBuffered:
      break;
  }
  return {opt.max_json_body_bytes, std::to_string(opt.max_json_body_bytes) + " bytes (limits.max_json_body_bytes)"};
}

}  // namespace internal

asio::awaitable<Response> answer_local(Server& server, Request& req, Clock::time_point latest) {
  using namespace internal;  // NOLINT: the steps shared with a connection's requests
  const auto started = Clock::now();
  if (req.request_id.empty()) {
    auto id = req.header("x-request-id");
    req.request_id = id && is_safe_request_id(*id) ? *id : next_request_id();
  }
  Response response;
  BodyReservation reservation(server.body_budget());  // the body counts against the budget while it is answered
  RouteMatch match = server.router().match(req.method, req.path);
  if (match.route == nullptr) {
    response = server.router().error_response(req.path, not_found("no route for " + req.method + " " + req.path));
  } else if (auto denied = authorize(server, req, *match.route); !denied.ok()) {
    response = refused(server, req, *match.route, denied);
  } else if (auto altered = check_signed_body(req); !altered.ok()) {
    response = refused(server, req, *match.route, altered);
  } else if (auto limit = body_limit(server.options(), match.route->body_mode); req.body.size() > limit.first) {
    response = server.router().error_response(req.path, payload_too_large("the request body is over " + limit.second));
  } else if (!reservation.grow_to(req.body.size())) {
    response = over_body_budget(server, req);
  } else {
    req.path_params = std::move(match.params);
    req.route = match.route->pattern;
    req.deadline = std::min(started + server.options().request_timeout, latest);
    response = co_await run_handler(server.router(), *match.route, req);
  }
  if (server.observer()) {
    server.observer()(req, response.status,
                      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started));
  }
  const uint64_t bytes_in = req.body.size();
  const uint64_t bytes_out = response.body.size();
  log_access(req, response.status, bytes_in, bytes_out, started);
  if (server.options().on_request_done) {
    server.options().on_request_done(
        CompletedRequest{req, response.status, bytes_in, bytes_out, Clock::now() - started});
  }
  co_return response;
}

}  // namespace maas::http
