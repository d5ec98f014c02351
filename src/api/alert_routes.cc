#include "api/alert_routes.h"

#include "common/clock.h"

namespace maas::api {
namespace {

using http::Request;
using http::Response;
using json = nlohmann::json;
using Awaitable = boost::asio::awaitable<Response>;

json map_json(const alerting::LabelMap& m) {
  json out = json::object();
  for (const auto& [k, v] : m) out[k] = v;
  return out;
}

// {"matchers": [{"name", "value", "isRegex", "isEqual"?}], "startsAt"?, "endsAt", "createdBy"?, "comment"?}
Result<alerting::Silence> parse_silence(const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (!j.is_object()) return invalid_argument("the body must be a JSON object");
  alerting::Silence s;
  auto matchers = j.find("matchers");
  if (matchers == j.end() || !matchers->is_array()) return invalid_argument("'matchers' must be a list");
  for (const auto& m : *matchers) {
    if (!m.is_object() || !m.contains("name") || !m.contains("value") || !m["name"].is_string() || !m["value"].is_string()) {
      return invalid_argument("each matcher needs string 'name' and 'value'");
    }
    s.matchers.push_back({m["name"], m["value"], m.value("isRegex", false), m.value("isEqual", true)});
  }
  s.starts_at_ms = now_unix_ms();
  for (auto [field, target] : {std::pair{"startsAt", &s.starts_at_ms}, {"endsAt", &s.ends_at_ms}}) {
    if (!j.contains(field)) continue;
    auto t = j[field].is_string() ? parse_rfc3339_ms(j[field].get<std::string>()) : std::nullopt;
    if (!t) return invalid_argument(std::string(field) + " must be an RFC 3339 time");
    *target = *t;
  }
  if (!j.contains("endsAt")) return invalid_argument("'endsAt' is required");
  s.created_by = j.value("createdBy", "");
  s.comment = j.value("comment", "");
  return s;
}

}  // namespace

void add_alert_routes(http::Router& router, alerting::Engine& engine) {
  auto* e = &engine;
  router.add("GET", "/api/v1/alerts", [e](Request&) -> Awaitable {
    json alerts = json::array();
    for (const auto& a : e->alerts()) {
      alerts.push_back({{"labels", map_json(a.labels)},
                        {"annotations", map_json(a.annotations)},
                        {"state", a.state},
                        {"activeAt", format_rfc3339_ms(a.active_at_ms)},
                        {"value", a.value}});
    }
    co_return Response::json(200, {{"alerts", alerts}});
  });
  router.add("GET", "/api/v1/alerts/rules", [e](Request&) -> Awaitable {
    json rules = json::array();
    for (const auto& r : e->rules()) {
      rules.push_back({{"group", r.group},
                       {"alert", r.alert},
                       {"expr", r.expr->text},
                       {"for_ms", r.for_ms},
                       {"keep_firing_for_ms", r.keep_firing_for_ms},
                       {"labels", map_json(r.labels)},
                       {"annotations", map_json(r.annotations)}});
    }
    co_return Response::json(200, {{"rules", rules}});
  });
  router.add("POST", "/api/v1/alerts/silences", [e](Request& req) -> Awaitable {
    auto silence = parse_silence(req.body);
    if (!silence.ok()) co_return Response::error(silence.status());
    auto id = e->add_silence(std::move(*silence));
    if (!id.ok()) co_return Response::error(id.status());
    co_return Response::json(201, {{"silenceID", *id}});
  });
  router.add("GET", "/api/v1/alerts/silences", [e](Request&) -> Awaitable {
    json out = json::array();
    int64_t now = now_unix_ms();
    for (const auto& s : e->silences()) {
      json matchers = json::array();
      for (const auto& m : s.matchers) {
        matchers.push_back({{"name", m.name}, {"value", m.value}, {"isRegex", m.is_regex}, {"isEqual", m.is_equal}});
      }
      out.push_back({{"id", s.id},
                     {"matchers", matchers},
                     {"startsAt", format_rfc3339_ms(s.starts_at_ms)},
                     {"endsAt", format_rfc3339_ms(s.ends_at_ms)},
                     {"createdBy", s.created_by},
                     {"comment", s.comment},
                     {"status", {{"state", now < s.starts_at_ms ? "pending" : now < s.ends_at_ms ? "active" : "expired"}}}});
    }
    co_return Response::json(200, {{"silences", out}});
  });
  router.add("DELETE", "/api/v1/alerts/silences/{id}", [e](Request& req) -> Awaitable {
    Status s = e->expire_silence(req.param("id"));
    if (!s.ok()) co_return Response::error(s);
    co_return Response::no_content();
  });
}

}  // namespace maas::api
