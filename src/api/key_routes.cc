#include "api/key_routes.h"

#include "api/json_io.h"
#include "common/clock.h"
#include "common/json_fields.h"
#include "gateway/quota.h"

namespace maas::api {
namespace {
using http::Request;
using http::Response;
using nlohmann::json;
using Awaitable = boost::asio::awaitable<Response>;

Result<double> positive_number(const json& object, const char* field, const std::string& where) {
  auto it = object.find(field);
  if (it == object.end()) return invalid_argument("'" + where + "." + field + "' is required");
  if (!it->is_number() || it->get<double>() <= 0) {
    return invalid_argument("'" + where + "." + field + "' must be a number above 0");
  }
  return it->get<double>();
}

Result<int64_t> optional_count(const json& object, const char* field, const std::string& where) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return int64_t{0};
  if (!it->is_number_integer() || it->get<int64_t>() <= 0) {
    return invalid_argument("'" + where + "." + field + "' must be a whole number above 0");
  }
  return it->get<int64_t>();
}

// A client certificate subject to bind: an RFC 2253 DN as `openssl x509 -noout -subject -nameopt RFC2253` prints
// it after "subject=" (compared exactly); null or "" unbinds.
Result<std::optional<std::string>> certificate_subject(const json& body) {
  MAAS_ASSIGN_OR_RETURN(auto subject, optional_string(body, "certificate_subject", 1024));
  if (subject && !subject->empty() && subject->find('=') == std::string::npos) {
    return invalid_argument(
        "'certificate_subject' must be a distinguished name such as 'CN=ci,O=Example' (RFC 2253, "
        "as `openssl x509 -noout -subject -nameopt RFC2253` prints it)");
  }
  return subject;
}

Result<auth::NewKey> parse_new_key(const Request& req) {
  MAAS_ASSIGN_OR_RETURN(
      json body, parse_json_object(req, {"name", "role", "services", "rate_limit", "quota", "priority", "expires_at",
                                         "signing_secret", "certificate_subject"}));
  auth::NewKey key;
  key.created_by = req.actor;
  MAAS_ASSIGN_OR_RETURN(auto name, optional_string(body, "name", 128));
  if (!name || name->empty()) return invalid_argument("'name' is required: say who or what the key is for");
  key.name = *name;
  MAAS_ASSIGN_OR_RETURN(auto role, optional_string(body, "role", 16));
  if (!role) return invalid_argument("'role' is required: one of admin, deployer, invoker, viewer");
  bool known_role = false;
  for (const char* r : auth::kRoles) known_role = known_role || *role == r;
  if (!known_role) return invalid_argument("'role' must be one of admin, deployer, invoker, viewer, not '" + *role + "'");
  key.role = *role;
  if (auto it = body.find("services"); it != body.end() && !it->is_null()) {
    if (!it->is_array() || it->size() > 1000) return invalid_argument("'services' must be a list of service names");
    for (const auto& s : *it) {
      if (!s.is_string() || s.get<std::string>().empty() || s.get<std::string>().size() > 128) {
        return invalid_argument("'services' must be a list of service or model names");
      }
      key.services.push_back(s.get<std::string>());
    }
  }
  if (auto it = body.find("rate_limit"); it != body.end() && !it->is_null()) {
    MAAS_RETURN_IF_ERROR(check_known_fields(*it, "rate_limit", {"rps", "burst", "tpm"}));
    if (!it->contains("rps") && !it->contains("tpm")) {
      return invalid_argument("'rate_limit' needs 'rps' (requests a second) or 'tpm' (LLM tokens a minute), or both");
    }
    if (it->contains("rps")) {
      MAAS_ASSIGN_OR_RETURN(key.rps, positive_number(*it, "rps", "rate_limit"));
      key.burst = key.rps;
      if (it->contains("burst")) {
        MAAS_ASSIGN_OR_RETURN(key.burst, positive_number(*it, "burst", "rate_limit"));
      }
    } else if (it->contains("burst")) {
      return invalid_argument("'rate_limit.burst' needs 'rate_limit.rps'");
    }
    if (it->contains("tpm")) {
      MAAS_ASSIGN_OR_RETURN(key.tpm, positive_number(*it, "tpm", "rate_limit"));
    }
  }
  if (auto it = body.find("quota"); it != body.end() && !it->is_null()) {
    MAAS_RETURN_IF_ERROR(check_known_fields(*it, "quota", {"daily_requests", "monthly_requests", "monthly_tokens"}));
    MAAS_ASSIGN_OR_RETURN(key.daily_requests, optional_count(*it, "daily_requests", "quota"));
    MAAS_ASSIGN_OR_RETURN(key.monthly_requests, optional_count(*it, "monthly_requests", "quota"));
    MAAS_ASSIGN_OR_RETURN(key.monthly_tokens, optional_count(*it, "monthly_tokens", "quota"));
  }
  if (auto it = body.find("priority"); it != body.end() && !it->is_null()) {
    std::optional<int64_t> priority = int64_of(*it);
    if (!priority || *priority < -100 || *priority > 100) {
      return invalid_argument("'priority' must be a whole number from -100 to 100 (higher is shed later)");
    }
    key.priority = static_cast<int>(*priority);
  }
  if (auto it = body.find("expires_at"); it != body.end() && !it->is_null()) {
    std::optional<int64_t> at;
    if (it->is_string()) at = parse_rfc3339_ms(it->get<std::string>());
    // Unix seconds, up to the year 9999 (a larger double would not convert to milliseconds in an int64).
    if (it->is_number() && it->get<double>() > 0 && it->get<double>() < 253'402'300'800.0) {
      at = static_cast<int64_t>(it->get<double>() * 1000);
    }
    if (!at) return invalid_argument("'expires_at' must be an RFC 3339 time such as 2027-01-31T00:00:00Z");
    if (*at <= now_unix_ms()) return invalid_argument("'expires_at' is in the past");
    key.expires_at_ms = at;
  }
  MAAS_ASSIGN_OR_RETURN(auto signing, optional_bool(body, "signing_secret"));
  key.signing_secret = signing.value_or(false);
  MAAS_ASSIGN_OR_RETURN(auto subject, certificate_subject(body));
  key.cert_subject = subject.value_or("");
  return key;
}

// A key as the listing shows it, with what it used of its quotas in this UTC day and month: the gateway's counts as
// of their last write to the store (every half second). Only keys with a quota are counted.
json key_with_usage(const store::KeyRecord& key, store::GatewayStore& store) {
  json j = auth::key_json(key);
  if (!j.contains("quota")) return j;
  int64_t now = now_unix_ms();
  std::string day = gateway::QuotaTracker::day_period(now), month = gateway::QuotaTracker::month_period(now);
  auto today = store.usage(key.id, day);
  auto this_month = store.usage(key.id, month);
  if (!today.ok() || !this_month.ok()) return j;  // the listing still answers; the console shows no use
  j["usage"] = {{"day", day.substr(4)},
                {"daily_requests", today->first},
                {"month", month.substr(6)},
                {"monthly_requests", this_month->first},
                {"monthly_tokens", this_month->second}};
  return j;
}

}  // namespace

void add_key_routes(http::Router& router, auth::KeyService& keys, auth::AuditLog& audit, store::GatewayStore& store) {
  using http::Access;
  using http::BodyMode;
  router.add("POST", "/api/v1/keys", [&keys](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(auto spec, parse_new_key(req));
    API_ASSIGN_OR_RESPOND(auto created, keys.create(spec));
    json body = auth::key_json(created.record);
    body["key"] = created.token;
    if (!created.signing_secret.empty()) body["signing_secret"] = created.signing_secret;
    co_return Response::json(201, body);
  }, BodyMode::kBuffered, Access::kAdmin);

  // A new request-signing secret (docs/SECURITY.md#signed-requests), shown only in this answer.
  router.add(
      "POST", "/api/v1/keys/{id}/signing-secret",
      [&keys](Request& req) -> Awaitable {
        API_ASSIGN_OR_RESPOND(auto secret, keys.new_signing_secret(req.param("id")));
        co_return Response::json(201, {{"key_id", req.param("id")}, {"signing_secret", secret}});
      },
      BodyMode::kBuffered, Access::kAdmin);

  // Binds a client certificate subject to the key (docs/SECURITY.md#client-certificates).
  router.add(
      "PUT", "/api/v1/keys/{id}/certificate",
      [&keys](Request& req) -> Awaitable {
        API_ASSIGN_OR_RESPOND(json body, parse_json_object(req, {"certificate_subject"}));
        API_ASSIGN_OR_RESPOND(auto subject, certificate_subject(body));
        API_ASSIGN_OR_RESPOND(auto key, keys.bind_cert_subject(req.param("id"), subject.value_or("")));
        co_return Response::json(200, auth::key_json(key));
      },
      BodyMode::kBuffered, Access::kAdmin);

  router.add(
      "GET", "/api/v1/keys",
      [&keys, &store](Request&) -> Awaitable {
        json items = json::array();
        for (const auto& k : keys.list()) items.push_back(key_with_usage(k, store));
        co_return Response::json(200, {{"keys", items}});
      },
      BodyMode::kBuffered, Access::kAdmin);

  router.add(
      "GET", "/api/v1/keys/{id}",
      [&keys, &store](Request& req) -> Awaitable {
        for (const auto& k : keys.list()) {
          if (k.id == req.param("id")) co_return Response::json(200, key_with_usage(k, store));
        }
        co_return Response::error(not_found("key '" + req.param("id") + "' does not exist"));
      },
      BodyMode::kBuffered, Access::kAdmin);

  router.add("DELETE", "/api/v1/keys/{id}", [&keys](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(auto revoked, keys.revoke(req.param("id")));
    co_return Response::json(200, auth::key_json(revoked));
  }, BodyMode::kBuffered, Access::kAdmin);

  router.add("GET", "/api/v1/audit", [&audit, &store](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(int limit, limit_param(req, 100));
    int64_t before = 0;
    if (auto b = req.query_param("before")) {
      try {
        before = std::stoll(*b);
      } catch (const std::exception&) {
        co_return Response::error(invalid_argument("'before' must be an audit record id"));
      }
    }
    audit.flush();  // what this caller did a moment ago is in the answer
    API_ASSIGN_OR_RESPOND(auto records, store.list_audit(before, limit));
    json items = json::array();
    for (const auto& r : records) {
      items.push_back({{"id", r.id},
                       {"at", format_rfc3339_ms(r.at_ms)},
                       {"key_id", r.key_id},
                       {"actor", r.actor},
                       {"method", r.method},
                       {"path", r.path},
                       {"status", r.status},
                       {"request_id", r.request_id}});
    }
    co_return Response::json(200, {{"records", items}});
  }, BodyMode::kBuffered, Access::kAdmin);

  // Who the caller is: any valid key may ask about itself (the console shows only what its role may do).
  router.add("GET", "/api/v1/whoami", [](Request& req) -> Awaitable {
    const http::Principal& p = *req.principal;
    json body = {{"key_id", p.key_id}, {"name", p.name}, {"role", p.role}, {"services", p.services}};
    if (p.rate_limit_rps > 0 || p.rate_limit_tpm > 0) {
      body["rate_limit"] = {{"rps", p.rate_limit_rps}, {"burst", p.rate_limit_burst}, {"tpm", p.rate_limit_tpm}};
    }
    if (p.daily_requests > 0 || p.monthly_requests > 0 || p.monthly_tokens > 0) {
      body["quota"] = {{"daily_requests", p.daily_requests}, {"monthly_requests", p.monthly_requests},
                       {"monthly_tokens", p.monthly_tokens}};
    }
    co_return Response::json(200, body);
  }, BodyMode::kBuffered, http::Access::kSelf);

  router.add("GET", "/api/v1/routes", [&router](Request&) -> Awaitable {
    json items = json::array();
    for (const auto& r : router.routes()) {
      items.push_back({{"method", r.method}, {"path", r.pattern}, {"access", http::access_name(r.access)}});
    }
    co_return Response::json(200, {{"routes", items}});
  });
}

}  // namespace maas::api
