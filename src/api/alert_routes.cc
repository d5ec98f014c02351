#include "api/alert_routes.h"

#include <set>

#include <nlohmann/json.hpp>

#include "api/json_io.h"
#include "common/clock.h"
#include "common/json_fields.h"
#include "common/json_parse.h"

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

constexpr size_t kMaxMatchers = 64;
constexpr size_t kMaxMatcherBytes = 1024;

// {"matchers": [{"name", "value", "isRegex"?, "isEqual"?}], "startsAt"?, "endsAt", "createdBy"?, "comment"?}
// ("id" is Alertmanager's, for an update, and is ignored).
Result<alerting::Silence> parse_silence(const Request& req) {
  MAAS_ASSIGN_OR_RETURN(json j, parse_json_object(req, {"id", "matchers", "startsAt", "endsAt", "createdBy", "comment"}));
  alerting::Silence s;
  const json* matchers = find_field(j, "matchers");
  if (matchers == nullptr || !matchers->is_array() || matchers->size() > kMaxMatchers) {
    return invalid_argument("'matchers' must be a list of at most " + std::to_string(kMaxMatchers) + " matchers");
  }
  for (const auto& m : *matchers) {
    if (!m.is_object()) return invalid_argument("each matcher must be an object with string 'name' and 'value'");
    MAAS_RETURN_IF_ERROR(check_known_fields(m, "matchers[]", {"name", "value", "isRegex", "isEqual"}));
    MAAS_ASSIGN_OR_RETURN(auto name, optional_string(m, "name", kMaxMatcherBytes));
    MAAS_ASSIGN_OR_RETURN(auto value, optional_string(m, "value", kMaxMatcherBytes));
    if (!name || !value) return invalid_argument("each matcher needs string 'name' and 'value'");
    MAAS_ASSIGN_OR_RETURN(auto is_regex, optional_bool(m, "isRegex"));
    MAAS_ASSIGN_OR_RETURN(auto is_equal, optional_bool(m, "isEqual"));
    s.matchers.push_back({*name, *value, is_regex.value_or(false), is_equal.value_or(true)});
  }
  s.starts_at_ms = now_unix_ms();
  for (auto [field, target] : {std::pair{"startsAt", &s.starts_at_ms}, {"endsAt", &s.ends_at_ms}}) {
    const json* text = find_field(j, field);
    if (text == nullptr) continue;
    auto t = text->is_string() ? parse_rfc3339_ms(text->get<std::string>()) : std::nullopt;
    if (!t) return invalid_argument(std::string(field) + " must be an RFC 3339 time");
    *target = *t;
  }
  if (find_field(j, "endsAt") == nullptr) return invalid_argument("'endsAt' is required");
  MAAS_ASSIGN_OR_RETURN(auto created_by, optional_string(j, "createdBy", 256));
  MAAS_ASSIGN_OR_RETURN(auto comment, optional_string(j, "comment", 4096));
  s.created_by = created_by.value_or("");
  s.comment = comment.value_or("");
  return s;
}

json rule_json(const alerting::Rule& r, const char* source) {
  return {{"group", r.group},
          {"alert", r.alert},
          {"expr", r.expr->text},
          {"for_ms", r.for_ms},
          {"keep_firing_for_ms", r.keep_firing_for_ms},
          {"labels", map_json(r.labels)},
          {"annotations", map_json(r.annotations)},
          {"source", source}};
}

json group_json(const alerting::RuleGroup& g) {
  json out = alerting::rule_group_json(g);
  out["source"] = "api";
  return out;
}

// A rule group from the body: JSON, or YAML with a YAML Content-Type.
Result<alerting::RuleGroup> parse_group_body(const Request& req) {
  std::string type = req.header("content-type").value_or("application/json");
  bool yaml = type.find("yaml") != std::string::npos;
  if (!yaml && type.rfind("application/json", 0) != 0) {
    return Status(StatusCode::kUnsupportedMediaType,
                  "Content-Type must be application/json or application/yaml, not '" + type + "'");
  }
  // YAML's parser bounds its own nesting (and reads JSON too); JSON gets the limit every JSON body has.
  if (!yaml) MAAS_RETURN_IF_ERROR(parse_json(req.body).status());
  return alerting::parse_rule_group_text(req.body, yaml ? alerting::RuleSyntax::kYaml : alerting::RuleSyntax::kJson);
}

// POST (create only) and PUT (create or replace) of a group; `name` is the path's group for PUT.
boost::asio::awaitable<Response> put_group(alerting::ManagedRules& managed, BlockingPool& blocking, Request& req,
                                           const std::string* name) {
  auto group = parse_group_body(req);
  if (!group.ok()) co_return Response::error(group.status());
  if (name != nullptr && group->name != *name) {
    co_return Response::error(
        invalid_argument("name: the body names group '" + group->name + "' but the path names '" + *name + "'"));
  }
  const bool create_only = name == nullptr;
  bool created = false;
  alerting::RuleGroup& g = *group;
  auto work = [&managed, &g, create_only, &created] { return managed.put(g, create_only, &created); };
  Status s = co_await blocking.run(std::move(work));
  if (!s.ok()) co_return Response::error(s);
  co_return Response::json(created ? 201 : 200, group_json(g));
}

}  // namespace

void add_alert_routes(http::Router& router, alerting::Engine& engine, alerting::ManagedRules& managed,
                      BlockingPool& blocking) {
  auto* e = &engine;
  auto* m = &managed;
  auto* b = &blocking;
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
    const auto& files = e->file_groups();
    std::set<std::string> file_groups(files.begin(), files.end());
    json rules = json::array();
    json groups = json::array();
    std::string last_group;
    for (const auto& r : *e->rules()) {
      const char* source = file_groups.count(r.group) ? "file" : "api";
      rules.push_back(rule_json(r, source));
      if (groups.empty() || r.group != last_group) groups.push_back({{"name", r.group}, {"source", source}, {"rules", json::array()}});
      groups.back()["rules"].push_back(r.alert);
      last_group = r.group;
    }
    co_return Response::json(200, {{"rules", rules}, {"groups", groups}});
  });
  router.add(
      "POST", "/api/v1/alerts/rules", [m, b](Request& req) -> Awaitable { return put_group(*m, *b, req, nullptr); },
      http::BodyMode::kBuffered, http::Access::kDeploy);
  router.add(
      "PUT", "/api/v1/alerts/rules/{group}",
      [m, b](Request& req) -> Awaitable { return put_group(*m, *b, req, &req.param("group")); },
      http::BodyMode::kBuffered, http::Access::kDeploy);
  router.add("GET", "/api/v1/alerts/rules/{group}", [e, m](Request& req) -> Awaitable {
    const std::string& name = req.param("group");
    auto group = m->get(name);
    if (group.ok()) co_return Response::json(200, group_json(*group));
    json rules = json::array();
    for (const auto& r : *e->rules()) {
      if (r.group == name) rules.push_back(rule_json(r, "file"));
    }
    if (rules.empty()) co_return Response::error(group.status());
    co_return Response::json(200, {{"name", name}, {"source", "file"}, {"rules", rules}});
  });
  router.add(
      "DELETE", "/api/v1/alerts/rules/{group}",
      [m, b](Request& req) -> Awaitable {
        const std::string& name = req.param("group");
        auto work = [m, &name] { return m->remove(name); };
        Status s = co_await b->run(std::move(work));
        if (!s.ok()) co_return Response::error(s);
        co_return Response::no_content();
      },
      http::BodyMode::kBuffered, http::Access::kDeploy);
  router.add("POST", "/api/v1/alerts/silences", [e](Request& req) -> Awaitable {
    auto silence = parse_silence(req);
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
