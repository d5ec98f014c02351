#include "alerting/subscription.h"

#include <cctype>

#include "alerting/template.h"
#include "common/clock.h"
#include "common/json_fields.h"
#include "common/json_parse.h"
#include "logs/record.h"

namespace maas::alerting {
namespace {

using json = nlohmann::json;

Result<std::string> string_field(const json& j, const char* field, const std::string& where, size_t max_len,
                                 bool required) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) {
    if (required) return invalid_argument(where + field + ": required");
    return std::string();
  }
  if (!it->is_string()) return invalid_argument(where + field + ": must be a string");
  std::string v = it->get<std::string>();
  if (required && v.empty()) return invalid_argument(where + field + ": must not be empty");
  if (v.size() > max_len) return invalid_argument(where + field + ": longer than " + std::to_string(max_len) + " bytes");
  return v;
}

// E-mail headers and SMTP commands are lines: a CR or LF in a value would let it add its own.
bool one_line(const std::string& v) { return v.find_first_of("\r\n") == std::string::npos; }

bool identifier(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

bool known_expression(std::string_view e) {
  if (e.size() < 2 || e[0] != '.') return false;
  e.remove_prefix(1);
  if (e.rfind("labels.", 0) == 0) return identifier(e.substr(7));
  return identifier(e);
}

Status parse_target(const json& body, Subscription* s) {
  auto webhook = body.find("webhook");
  auto email = body.find("email");
  bool has_webhook = webhook != body.end() && !webhook->is_null();
  bool has_email = email != body.end() && !email->is_null();
  if (has_webhook == has_email) return invalid_argument("webhook, email: give exactly one of them");
  if (has_webhook) {
    MAAS_RETURN_IF_ERROR(check_known_fields(*webhook, "webhook", {"url"}));
    MAAS_ASSIGN_OR_RETURN(std::string url, string_field(*webhook, "url", "webhook.", 2048, true));
    if (url.rfind("http://", 0) != 0 || url.size() <= 7 || !one_line(url)) {
      return invalid_argument("webhook.url: must be an http:// URL");
    }
    s->webhook = WebhookConfig{url};
    return {};
  }
  MAAS_RETURN_IF_ERROR(check_known_fields(*email, "email", {"to", "smarthost", "from"}));
  EmailConfig e;
  MAAS_ASSIGN_OR_RETURN(e.to, string_field(*email, "to", "email.", 320, true));
  MAAS_ASSIGN_OR_RETURN(e.smarthost, string_field(*email, "smarthost", "email.", 300, true));
  MAAS_ASSIGN_OR_RETURN(e.from, string_field(*email, "from", "email.", 320, false));
  if (e.from.empty()) e.from = "maas@localhost";
  if (e.to.find('@') == std::string::npos || !one_line(e.to)) return invalid_argument("email.to: not an address");
  if (e.from.find('@') == std::string::npos || !one_line(e.from)) return invalid_argument("email.from: not an address");
  size_t colon = e.smarthost.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == e.smarthost.size() || !one_line(e.smarthost)) {
    return invalid_argument("email.smarthost: must be host:port");
  }
  s->email = e;
  return {};
}

Status parse_filter(const json& body, Subscription* s) {
  auto it = body.find("filter");
  if (it != body.end() && !it->is_null()) {
    MAAS_RETURN_IF_ERROR(check_known_fields(*it, "filter", {"model", "service", "events"}));
    MAAS_ASSIGN_OR_RETURN(s->filter.model, string_field(*it, "model", "filter.", 256, false));
    MAAS_ASSIGN_OR_RETURN(s->filter.service, string_field(*it, "service", "filter.", 256, false));
    auto events = it->find("events");
    if (events != it->end() && !events->is_null()) {
      if (!events->is_array() || events->size() > 64) return invalid_argument("filter.events: must be a list of event kinds");
      for (const auto& e : *events) {
        // Kinds become one regular-expression alternation: only plain words, so nothing needs escaping.
        if (!e.is_string() || !identifier(e.get<std::string>())) {
          return invalid_argument("filter.events: each event kind is a word such as loaded or alert_firing");
        }
        s->filter.events.push_back(e.get<std::string>());
      }
    }
  }
  // Only what this maasd wrote (logs/record.h): a pushed record never triggers an event subscription.
  std::string query = std::string(logs::kOwnEventsSelector) + " | json";
  if (!s->filter.model.empty()) query += " | model=" + logs::quote(s->filter.model);
  if (!s->filter.service.empty()) query += " | service=" + logs::quote(s->filter.service);
  if (!s->filter.events.empty()) {
    std::string alternatives;
    for (const auto& e : s->filter.events) alternatives += (alternatives.empty() ? "" : "|") + e;
    query += " | event=~" + logs::quote(alternatives);
  }
  auto q = logs::parse_logql(query);
  if (!q.ok()) return invalid_argument("filter: " + q.status().message());
  s->matcher = std::move(*q);
  return {};
}

bool present(const json& body, const char* field) {
  auto it = body.find(field);
  return it != body.end() && !it->is_null();
}

}  // namespace

Result<Subscription> parse_subscription(const json& body, bool stored) {
  static constexpr const char* kFields[] = {"name",     "source",         "query",      "filter",       "webhook", "email",
                                            "template", "min_interval_s", "id",         "created_by",   "created_at"};
  // The last three are the server's: the API does not take them.
  MAAS_RETURN_IF_ERROR(check_known_fields(body, "", std::span<const char* const>(kFields, stored ? 11 : 8)));
  Subscription s;
  MAAS_ASSIGN_OR_RETURN(s.name, string_field(body, "name", "", 128, true));
  if (!one_line(s.name)) return invalid_argument("name: must be one line");
  MAAS_ASSIGN_OR_RETURN(s.source, string_field(body, "source", "", 16, true));
  if (s.source == "logs") {
    if (present(body, "filter")) return invalid_argument("filter: is for source 'events'; logs take a 'query'");
    MAAS_ASSIGN_OR_RETURN(s.query, string_field(body, "query", "", kMaxSubscriptionQueryBytes, true));
    auto q = logs::parse_logql(s.query);
    if (!q.ok()) return invalid_argument("query: " + q.status().message());
    if (q->is_metric) return invalid_argument("query: a subscription takes a log query, not a metric query");
    s.matcher = std::move(*q);
  } else if (s.source == "events") {
    if (present(body, "query")) return invalid_argument("query: is for source 'logs'; events take a 'filter'");
    MAAS_RETURN_IF_ERROR(parse_filter(body, &s));
  } else {
    return invalid_argument("source: must be 'logs' or 'events'");
  }
  MAAS_RETURN_IF_ERROR(parse_target(body, &s));
  if (auto t = body.find("template"); t != body.end() && !t->is_null()) {
    MAAS_ASSIGN_OR_RETURN(s.message_template, string_field(body, "template", "", kMaxTemplateBytes, true));
  }
  MAAS_RETURN_IF_ERROR(check_template(s.message_template, "template", known_expression));
  if (auto m = body.find("min_interval_s"); m != body.end() && !m->is_null()) {
    if (!m->is_number() || m->get<double>() < 0.1 || m->get<double>() > 86400) {
      return invalid_argument("min_interval_s: must be a number of seconds from 0.1 to 86400");
    }
    s.min_interval_ms = static_cast<int64_t>(m->get<double>() * 1000);
  }
  if (stored) {
    MAAS_ASSIGN_OR_RETURN(s.id, string_field(body, "id", "", 64, true));
    MAAS_ASSIGN_OR_RETURN(s.created_by, string_field(body, "created_by", "", 256, false));
    MAAS_ASSIGN_OR_RETURN(std::string at, string_field(body, "created_at", "", 64, false));
    s.created_at_ms = parse_rfc3339_ms(at).value_or(0);
  }
  return s;
}

json subscription_json(const Subscription& s) {
  json out = {{"id", s.id},
              {"name", s.name},
              {"source", s.source},
              {"template", s.message_template},
              {"min_interval_s", static_cast<double>(s.min_interval_ms) / 1000},
              {"created_by", s.created_by},
              {"created_at", format_rfc3339_ms(s.created_at_ms)}};
  if (s.source == "logs") {
    out["query"] = s.query;
  } else {
    json filter = json::object();
    if (!s.filter.model.empty()) filter["model"] = s.filter.model;
    if (!s.filter.service.empty()) filter["service"] = s.filter.service;
    if (!s.filter.events.empty()) filter["events"] = s.filter.events;
    out["filter"] = filter;
  }
  if (s.webhook) out["webhook"] = {{"url", s.webhook->url}};
  if (s.email) out["email"] = {{"to", s.email->to}, {"smarthost", s.email->smarthost}, {"from", s.email->from}};
  return out;
}

std::string render_message(const Subscription& s, const logs::LabelSet& labels, int64_t ts_ns, const std::string& line) {
  std::optional<json> fields;  // the line's JSON, parsed once and only when the template asks for a field
  return render_template(s.message_template, [&](std::string_view e) -> std::optional<std::string> {
    if (!known_expression(e)) return std::nullopt;
    e.remove_prefix(1);
    if (e == "line") return line;
    if (e == "time") return format_rfc3339_ms(ts_ns / 1'000'000);
    if (e == "ts") return std::to_string(ts_ns);
    if (e == "labels") return labels.text();
    if (e == "subscription") return s.name;
    if (e.rfind("labels.", 0) == 0) return std::string(labels.get(e.substr(7)));
    if (!fields) fields = parse_json_or(line, json());
    if (!fields->is_object()) return std::string();
    auto it = fields->find(std::string(e));
    if (it == fields->end()) return std::string();
    return it->is_string() ? it->get<std::string>() : it->dump();
  });
}

}  // namespace maas::alerting
