// `maas services ...` and `maas keys ...`: the gateway's services (splits, canaries, shadows, fallbacks, limits)
// and API keys.
#include <CLI/CLI.hpp>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "cli/commands.h"
#include "cli/table.h"

namespace maas::cli {
namespace {

using nlohmann::json;

std::string text_of(const json& j, const char* field) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return "-";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string render_services(const json& body) {
  Table table({"NAME", "ROUTES", "READY", "CANARY"});
  const json& list = body.contains("services") ? body["services"] : json::array({body});
  for (const auto& s : list) {
    std::string routes;
    for (const auto& r : s["status"]["routes"]) {
      std::ostringstream w;
      w << r["weight"].get<double>();
      routes += (routes.empty() ? "" : " ") + r["model"].get<std::string>() + ":" + r["version"].dump() + "=" + w.str() + "%";
    }
    std::string canary = "-";
    if (s["status"].contains("canary")) canary = text_of(s["status"]["canary"], "phase");
    table.add_row({s["name"].get<std::string>(), routes, s["status"]["ready"].get<bool>() ? "yes" : "no", canary});
  }
  return table.render();
}

std::string render_events(const json& body) {
  Table table({"AT", "KIND", "MESSAGE"});
  for (const auto& e : body["events"]) table.add_row({text_of(e, "at"), text_of(e, "kind"), text_of(e, "message")});
  return table.render();
}

std::string render_keys(const json& body) {
  Table table({"ID", "NAME", "ROLE", "SERVICES", "ACTIVE", "EXPIRES"});
  const json& list = body.contains("keys") ? body["keys"] : json::array({body});
  for (const auto& k : list) {
    std::string services = "*";
    if (k.contains("services")) {
      services.clear();
      for (const auto& s : k["services"]) services += (services.empty() ? "" : ",") + s.get<std::string>();
    }
    table.add_row({text_of(k, "id"), text_of(k, "name"), text_of(k, "role"), services,
                   k.value("active", false) ? "yes" : "no", text_of(k, "expires_at")});
  }
  std::string out = table.render();
  if (body.contains("key")) {
    out += "\nThe key (shown only now; store it safely):\n  " + body["key"].get<std::string>() + "\n";
  }
  return out;
}

// "model:version" or "model" (the latest), with "=weight" for routes.
Result<json> parse_target(const std::string& text, bool with_weight) {
  std::string spec = text;
  json target;
  if (with_weight) {
    if (auto eq = spec.rfind('='); eq != std::string::npos) {
      try {
        target["weight"] = std::stod(spec.substr(eq + 1));
      } catch (const std::exception&) {
        return invalid_argument("'" + text + "': the weight after '=' must be a number");
      }
      spec = spec.substr(0, eq);
    }
  }
  auto colon = spec.find(':');
  target["model"] = spec.substr(0, colon);
  if (colon != std::string::npos) target["version"] = spec.substr(colon + 1);
  if (target["model"].get<std::string>().empty()) return invalid_argument("'" + text + "' names no model");
  return target;
}

struct ServiceArgs {
  std::string name;
  std::string file;
  std::vector<std::string> routes;
  std::string sticky_header;
  double rps = 0, burst = 0, tpm = 0;
  std::string canary, shadow, fallback;
  std::vector<double> canary_steps;
  double canary_interval = 0, shadow_percent = 0;
  int max_concurrency = 0;
  int min_replicas = -1, max_replicas = -1;  // -1: not given
  double target_concurrency = 0;
};

Result<json> service_body(const ServiceArgs& a, bool create) {
  json body = json::object();
  if (!a.file.empty()) {
    std::ifstream in(a.file);
    if (!in) return invalid_argument("cannot read " + a.file);
    body = json::parse(in, nullptr, false);
    if (body.is_discarded() || !body.is_object()) return invalid_argument(a.file + " is not a JSON object");
  }
  if (create) body["name"] = a.name;
  if (!a.routes.empty()) {
    body["routes"] = json::array();
    for (const auto& r : a.routes) {
      MAAS_ASSIGN_OR_RETURN(json target, parse_target(r, true));
      body["routes"].push_back(target);
    }
  }
  if (!a.sticky_header.empty()) body["sticky_header"] = a.sticky_header;
  if (a.rps > 0) body["rate_limit"] = {{"rps", a.rps}, {"burst", a.burst > 0 ? a.burst : std::max(1.0, a.rps)}};
  if (a.tpm > 0) body["rate_limit"]["tpm"] = a.tpm;
  if (!a.canary.empty()) {
    MAAS_ASSIGN_OR_RETURN(json target, parse_target(a.canary, false));
    if (!a.canary_steps.empty()) target["steps"] = a.canary_steps;
    if (a.canary_interval > 0) target["interval_seconds"] = a.canary_interval;
    body["canary"] = target;
  }
  if (!a.shadow.empty()) {
    MAAS_ASSIGN_OR_RETURN(json target, parse_target(a.shadow, false));
    if (a.shadow_percent > 0) target["percent"] = a.shadow_percent;
    body["shadow"] = target;
  }
  if (!a.fallback.empty()) {
    MAAS_ASSIGN_OR_RETURN(json target, parse_target(a.fallback, false));
    body["fallback"] = target;
  }
  if (a.max_concurrency > 0) body["max_concurrency"] = a.max_concurrency;
  if (a.min_replicas >= 0 || a.max_replicas >= 0 || a.target_concurrency > 0) {
    // Merged into the file's autoscaling, if any; the server fills in the rest with its defaults.
    json& autoscaling = body["autoscaling"];
    if (!autoscaling.is_object()) autoscaling = json::object();
    if (a.min_replicas >= 0) autoscaling["min_replicas"] = a.min_replicas;
    if (a.max_replicas >= 0) autoscaling["max_replicas"] = a.max_replicas;
    if (a.target_concurrency > 0) autoscaling["target"] = {{"metric", "concurrency"}, {"value", a.target_concurrency}};
  }
  return body;
}

void add_service_options(CLI::App* command, ServiceArgs& a) {
  command->add_option("--file", a.file, "JSON spec (the API's body); flags below override its fields");
  command->add_option("--route", a.routes, "MODEL[:VERSION][=WEIGHT] (repeatable): a route and its weight");
  command->add_option("--sticky-header", a.sticky_header, "Requests with the same value of this header stick to one version");
  command->add_option("--rps", a.rps, "Service rate limit, requests per second");
  command->add_option("--burst", a.burst, "Service rate limit burst");
  command->add_option("--tpm", a.tpm, "Service limit of LLM tokens (prompt + completion) a minute");
  command->add_option("--canary", a.canary, "MODEL[:VERSION]: roll this version out in stages");
  command->add_option("--canary-steps", a.canary_steps, "Canary traffic percentages, e.g. 5 25 100")->delimiter(',');
  command->add_option("--canary-interval", a.canary_interval, "Seconds at each canary stage");
  command->add_option("--shadow", a.shadow, "MODEL[:VERSION]: copy traffic to this version");
  command->add_option("--shadow-percent", a.shadow_percent, "Share of requests copied to the shadow");
  command->add_option("--fallback", a.fallback, "MODEL[:VERSION]: answers when the primary fails");
  command->add_option("--max-concurrency", a.max_concurrency, "Concurrent requests the service accepts");
  command->add_option("--min-replicas", a.min_replicas, "Autoscaling: fewest replicas per version (0: scale to zero)");
  command->add_option("--max-replicas", a.max_replicas, "Autoscaling: most replicas per version");
  command->add_option("--target-concurrency", a.target_concurrency, "Autoscaling: concurrent requests per replica");
}

}  // namespace

void add_gateway_commands(CLI::App& app, CommandSelection& selection) {
  CLI::App* services = app.add_subcommand("services", "Create, change and inspect services (traffic splits, canaries)");
  services->require_subcommand(1);
  {
    auto a = std::make_shared<ServiceArgs>();
    CLI::App* c = services->add_subcommand("create", "Create a service and load its versions");
    c->add_option("name", a->name, "Service name")->required();
    add_service_options(c, *a);
    on_run(c, selection, [a](CommandContext& ctx) {
      auto body = service_body(*a, true);
      if (!body.ok()) return report_usage_error(body.status().message());
      auto created = ctx.api.post("/api/v1/services", *body);
      if (!created.ok()) return report_failure(created.status());
      print_result(ctx, *created, render_services);
      return ExitCode::kOk;
    });
  }
  {
    auto a = std::make_shared<ServiceArgs>();
    CLI::App* c = services->add_subcommand("update", "Change a service (the fields given replace the current ones)");
    c->add_option("name", a->name, "Service name")->required();
    add_service_options(c, *a);
    on_run(c, selection, [a](CommandContext& ctx) {
      auto body = service_body(*a, false);
      if (!body.ok()) return report_usage_error(body.status().message());
      auto updated = ctx.api.patch("/api/v1/services/" + a->name, *body);
      if (!updated.ok()) return report_failure(updated.status());
      print_result(ctx, *updated, render_services);
      return ExitCode::kOk;
    });
  }
  {
    CLI::App* c = services->add_subcommand("list", "List services");
    on_run(c, selection, [](CommandContext& ctx) {
      auto list = ctx.api.get("/api/v1/services");
      if (!list.ok()) return report_failure(list.status());
      print_result(ctx, *list, render_services);
      return ExitCode::kOk;
    });
  }
  for (const char* verb : {"show", "events", "delete"}) {
    auto name = std::make_shared<std::string>();
    std::string what = verb;
    CLI::App* c = services->add_subcommand(
        verb, what == "show" ? "Show a service with its routes in force" : what == "events" ? "The service's timeline"
                                                                                             : "Delete a service");
    c->add_option("name", *name, "Service name")->required();
    on_run(c, selection, [name, what](CommandContext& ctx) {
      std::string path = "/api/v1/services/" + *name;
      if (what == "delete") {
        if (Status s = ctx.api.remove(path); !s.ok()) return report_failure(s);
        print_done(ctx, "deleted service '" + *name + "'");
        return ExitCode::kOk;
      }
      auto body = ctx.api.get(what == "events" ? path + "/events" : path);
      if (!body.ok()) return report_failure(body.status());
      print_result(ctx, *body, what == "events" ? render_events : render_services);
      return ExitCode::kOk;
    });
  }

  CLI::App* keys = app.add_subcommand("keys", "Create, list and revoke API keys (admin)");
  keys->require_subcommand(1);
  {
    struct KeyArgs {
      std::string name, role, expires_at;
      std::vector<std::string> services;
      double rps = 0, burst = 0, tpm = 0;
    };
    auto a = std::make_shared<KeyArgs>();
    CLI::App* c = keys->add_subcommand("create", "Create a key; its secret is printed once");
    c->add_option("name", a->name, "Who or what the key is for")->required();
    c->add_option("--role", a->role, "admin, deployer, invoker or viewer")->required();
    c->add_option("--service", a->services, "A service or model an invoker may call (repeatable; none: all)");
    c->add_option("--rps", a->rps, "Rate limit, requests per second");
    c->add_option("--burst", a->burst, "Rate limit burst");
    c->add_option("--tpm", a->tpm, "Limit of LLM tokens (prompt + completion) a minute");
    c->add_option("--expires-at", a->expires_at, "RFC 3339 time, e.g. 2027-01-31T00:00:00Z");
    on_run(c, selection, [a](CommandContext& ctx) {
      json body = {{"name", a->name}, {"role", a->role}};
      if (!a->services.empty()) body["services"] = a->services;
      if (a->rps > 0) body["rate_limit"] = {{"rps", a->rps}, {"burst", a->burst > 0 ? a->burst : std::max(1.0, a->rps)}};
      if (a->tpm > 0) body["rate_limit"]["tpm"] = a->tpm;
      if (!a->expires_at.empty()) body["expires_at"] = a->expires_at;
      auto created = ctx.api.post("/api/v1/keys", body);
      if (!created.ok()) return report_failure(created.status());
      print_result(ctx, *created, render_keys);
      return ExitCode::kOk;
    });
  }
  {
    CLI::App* c = keys->add_subcommand("list", "List keys (never their secrets)");
    on_run(c, selection, [](CommandContext& ctx) {
      auto list = ctx.api.get("/api/v1/keys");
      if (!list.ok()) return report_failure(list.status());
      print_result(ctx, *list, render_keys);
      return ExitCode::kOk;
    });
  }
  {
    auto id = std::make_shared<std::string>();
    CLI::App* c = keys->add_subcommand("revoke", "Revoke a key; it fails on its next request");
    c->add_option("id", *id, "Key id")->required();
    on_run(c, selection, [id](CommandContext& ctx) {
      if (Status s = ctx.api.remove("/api/v1/keys/" + *id); !s.ok()) return report_failure(s);
      print_done(ctx, "revoked key " + *id);
      return ExitCode::kOk;
    });
  }
}

}  // namespace maas::cli
