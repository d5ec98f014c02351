// The route table: method + path pattern ("/api/v1/models/{name}") -> handler. Matching is by segment, so a
// parameter never spans a '/'. Routes are registered at start-up and read-only afterwards (thread-safe reads).
#pragma once

#include <functional>
#include <utility>  // before Asio 1.74's awaitable.hpp, which uses std::exchange without including it
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "http/request.h"

namespace maas::http {

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;
// The body of an error for a path whose protocol has its own error shape (OpenAI's, the Open Inference
// Protocol's). Must not throw.
using ErrorFormatter = std::function<Response(const Status&)>;

enum class BodyMode {
  kBuffered,       // the body is read into Request::body, up to limits.max_json_body_bytes
  kBufferedLarge,  // the same, up to limits.max_infer_body_bytes (inference requests carry tensors)
  kStreamed,       // the handler pulls it through Request::body_stream, up to limits.max_artifact_bytes
};

// Who may call a route. Health checks are public; everything else needs a key whose role grants the level:
// viewer: kRead; invoker: kInvoke (on the services it is granted); deployer: kRead, kInvoke, kDeploy; admin: all.
// kSelf: any valid key of any role, for routes that answer about the caller only (/api/v1/whoami).
// kAuthenticated is resolved when the route is added: kRead for GET and HEAD, kDeploy for anything else.
enum class Access { kPublic, kRead, kInvoke, kDeploy, kAdmin, kSelf, kAuthenticated };

std::string_view access_name(Access access);

struct Route {
  std::string method;
  std::string pattern;
  BodyMode body_mode = BodyMode::kBuffered;
  Access access = Access::kAuthenticated;
  Handler handler;
  std::vector<std::string> segments;  // pattern split on '/'
};

struct RouteMatch {
  const Route* route = nullptr;                      // null: no route for this method
  std::map<std::string, std::string> params;
  std::vector<std::string> allowed_methods;          // when the path matches other methods only (405)
};

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler, BodyMode mode = BodyMode::kBuffered,
           Access access = Access::kAuthenticated);
  // `path` is percent-decoded. A segment in {braces} matches one non-empty path segment; a final segment may
  // also match "name@alias" as a whole, which the handler splits. A final "{name...}" matches the rest of the
  // path, one or more segments (possibly one empty: "/ui/" matches "/ui/{path...}" with path ""), joined by
  // '/'; any route with the same literals and a segment for each part wins over it. HEAD matches a GET route (the server sends its
  // headers without the body) unless a HEAD route is registered; allowed_methods lists HEAD beside GET.
  RouteMatch match(const std::string& method, const std::string& path) const;
  const std::vector<Route>& routes() const { return routes_; }

  // Errors raised for a path under `prefix` before or around its handler (limits, routing, authentication, a
  // handler that threw) take the shape `format` gives; the layer that owns the paths sets it with their routes.
  // `prefix` covers itself and what lies below it ("/v2" covers "/v2" and "/v2/...", not "/v2x"); the longest
  // prefix wins. Elsewhere the management shape (Response::error).
  void set_error_format(std::string prefix, ErrorFormatter format);
  Response error_response(std::string_view path, const Status& status) const;

 private:
  std::vector<Route> routes_;
  std::vector<std::pair<std::string, ErrorFormatter>> error_formats_;
};

}  // namespace maas::http
