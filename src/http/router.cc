#include "http/router.h"

#include <algorithm>

namespace maas::http {
namespace {

// A request path's segments, as views into the path (no copies: this runs for every request).
std::vector<std::string_view> split_view(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 1;  // skip the leading '/'
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  for (auto segment : split_view(path)) out.emplace_back(segment);
  return out;
}

bool is_param(const std::string& segment) { return segment.size() > 2 && segment.front() == '{' && segment.back() == '}'; }

// "{name...}": the rest of the path.
bool is_rest(const std::string& segment) { return is_param(segment) && segment.ends_with("...}"); }

bool has_rest(const std::vector<std::string>& pattern) { return !pattern.empty() && is_rest(pattern.back()); }

std::string param_name(const std::string& segment) {
  return segment.substr(1, segment.size() - (is_rest(segment) ? 5 : 2));
}

bool segments_match(const std::vector<std::string>& pattern, const std::vector<std::string_view>& path) {
  const bool rest = has_rest(pattern);
  if (rest ? path.size() < pattern.size() : pattern.size() != path.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (rest && i + 1 == pattern.size()) break;  // the rest may be anything, even empty

    if (is_param(pattern[i])) {
      if (path[i].empty()) return false;
    } else if (pattern[i] != path[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string_view access_name(Access access) {
  switch (access) {
    case Access::kPublic: return "public";
    case Access::kRead: return "read";
    case Access::kInvoke: return "invoke";
    case Access::kDeploy: return "deploy";
    case Access::kAdmin: return "admin";
    case Access::kSelf: return "self";
    case Access::kAuthenticated: return "authenticated";
  }
  return "unknown";
}

void Router::add(std::string method, std::string pattern, Handler handler, BodyMode mode, Access access) {
  if (access == Access::kAuthenticated) access = (method == "GET" || method == "HEAD") ? Access::kRead : Access::kDeploy;
  Route route{std::move(method), std::move(pattern), mode, access, std::move(handler), {}};
  route.segments = split_path(route.pattern);
  routes_.push_back(std::move(route));
}

RouteMatch Router::match(const std::string& method, const std::string& path) const {
  RouteMatch result;
  if (path.empty() || path.front() != '/') return result;
  auto segments = split_view(path);
  // HEAD is answered wherever GET is (RFC 9110 §9.3.2), by the GET route unless a HEAD route exists.
  const bool head = method == "HEAD";
  // Literal segments win over parameters: try routes with more literal segments first; at equal literals, a
  // route of the method itself wins over the GET route standing in for HEAD.
  const Route* best = nullptr;
  int best_score = -1;
  for (const auto& route : routes_) {
    if (!segments_match(route.segments, segments)) continue;
    const bool exact = route.method == method;
    if (!exact && !(head && route.method == "GET")) {
      if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(), route.method) ==
          result.allowed_methods.end()) {
        result.allowed_methods.push_back(route.method);
      }
      continue;
    }
    int literals = static_cast<int>(std::count_if(route.segments.begin(), route.segments.end(),
                                                  [](const std::string& s) { return !is_param(s); }));
    // A route that names each segment beats one that takes the rest of the path.
    int score = literals * 4 + (has_rest(route.segments) ? 0 : 2) + (exact ? 1 : 0);
    if (score > best_score) {
      best = &route;
      best_score = score;
    }
  }
  if (best != nullptr) {
    // The parameters of the winner only.
    for (size_t i = 0; i < best->segments.size(); ++i) {
      const std::string& p = best->segments[i];
      if (is_rest(p)) {
        // From this segment to the end of the path: a view of the path itself, slashes included.
        const char* begin = segments[i].data();
        result.params[param_name(p)] = std::string(begin, path.data() + path.size() - begin);
      } else if (is_param(p)) {
        result.params[param_name(p)] = std::string(segments[i]);
      }
    }
    result.route = best;
    result.allowed_methods.clear();
  } else if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(), "GET") !=
                 result.allowed_methods.end() &&
             std::find(result.allowed_methods.begin(), result.allowed_methods.end(), "HEAD") ==
                 result.allowed_methods.end()) {
    result.allowed_methods.push_back("HEAD");
  }
  return result;
}

void Router::set_error_format(std::string prefix, ErrorFormatter format) {
  error_formats_.emplace_back(std::move(prefix), std::move(format));
}

Response Router::error_response(std::string_view path, const Status& status) const {
  const ErrorFormatter* best = nullptr;
  size_t best_length = 0;
  for (const auto& [prefix, format] : error_formats_) {
    bool covers =
        path.substr(0, prefix.size()) == prefix && (path.size() == prefix.size() || path[prefix.size()] == '/');
    if (covers && (best == nullptr || prefix.size() > best_length)) {
      best = &format;
      best_length = prefix.size();
    }
  }
  return best != nullptr ? (*best)(status) : Response::error(status);
}

}  // namespace maas::http
