// POST /api/v1/rules/discover: a text/plain body of log lines in, their templates, one extraction rule each and one
// template id per line out (data/discovery/discover.h). The body is read up to rules.discover_max_body_bytes and
// mined on the pool, at most rules.discover_max_concurrent at once.
#include "api/json_io.h"
#include "data/api/routes.h"
#include "data/discovery/discover.h"

namespace maas::data::api {
namespace {

using http::Request;
using http::Response;

Status body_too_large(uint64_t limit) {
  return payload_too_large("the body is over rules.discover_max_body_bytes (" + std::to_string(limit) +
                           " bytes); send fewer lines");
}

Awaitable discover(DataApi& api, Request& req) {
  if (auto type = req.header("content-type"); type && type->rfind("text/plain", 0) != 0) {
    co_return Response::error(Status(StatusCode::kUnsupportedMediaType,
                                     "send the log lines as text/plain, one per line, not " + *type));
  }
  const uint64_t limit = api.limits().discover_max_body_bytes;
  // Too large is said before busy: no retry would help it.
  if (auto length = req.body_stream->content_length(); length && *length > limit) {
    co_return Response::error(body_too_large(limit));
  }
  auto slot = api.discoveries().try_acquire();
  if (!slot.ok()) co_return error_response(slot.status());
  Result<std::string> read = co_await read_body(req, limit, body_too_large(limit));
  if (!read.ok()) co_return Response::error(read.status());
  std::string body = std::move(*read);
  auto work = [&body] { return discovery::discover_json(body); };
  Result<std::string> answer = co_await api.pool().run(std::move(work));
  if (!answer.ok()) co_return error_response(answer.status());
  Response res;
  res.status = 200;
  res.body = std::move(*answer);
  co_return res;
}

}  // namespace

void add_discover_route(http::Router& router, DataApi& api) {
  // Computes and stores nothing: a reader's role may call it.
  router.add(
      "POST", "/api/v1/rules/discover", [&api](Request& req) -> Awaitable { return discover(api, req); },
      http::BodyMode::kStreamed, http::Access::kRead);
}

}  // namespace maas::data::api
