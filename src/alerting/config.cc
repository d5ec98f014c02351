#include "alerting/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "common/http_client.h"

namespace maas::alerting {
namespace {

Result<int64_t> duration_ms(const YAML::Node& node, const std::string& where, int64_t fallback) {
  if (!node) return fallback;
  auto ns = logs::parse_duration_ns(node.as<std::string>());
  if (!ns.ok()) return invalid_argument(where + ": " + ns.status().message());
  return *ns / 1'000'000;
}

Status load_rule_file(const std::filesystem::path& path, AlertingConfig* config) {
  YAML::Node root = YAML::LoadFile(path.string());
  const std::string file = path.string();
  if (!root["groups"] || !root["groups"].IsSequence()) return invalid_argument(file + ": needs a 'groups' list");
  for (const auto& g : root["groups"]) {
    MAAS_ASSIGN_OR_RETURN(RuleGroup group, parse_rule_group(g, file + ": "));
    if (std::find(config->file_groups.begin(), config->file_groups.end(), group.name) != config->file_groups.end()) {
      return invalid_argument(file + ": group '" + group.name + "' is defined twice");
    }
    config->file_groups.push_back(group.name);
    for (auto& rule : group.rules) config->rules.push_back(std::move(rule));
  }
  return {};
}

}  // namespace

Result<AlertingConfig> load_alerting_config(const std::filesystem::path& config_file) {
  AlertingConfig config;
  try {
    YAML::Node root = YAML::LoadFile(config_file.string());
    YAML::Node a = root["alerting"];
    if (!a) return config;
    MAAS_ASSIGN_OR_RETURN(config.evaluation_interval_ms,
                          duration_ms(a["evaluation_interval"], "alerting.evaluation_interval", 15'000));
    if (a["external_url"]) config.external_url = a["external_url"].as<std::string>();
    if (a["alertmanager_url"]) config.alertmanager_url = a["alertmanager_url"].as<std::string>();
    std::set<std::string> names;
    for (const auto& r : a["receivers"]) {
      Receiver receiver;
      receiver.name = r["name"].as<std::string>();
      for (const auto& w : r["webhook_configs"]) receiver.webhooks.push_back({w["url"].as<std::string>()});
      for (const auto& e : r["email_configs"]) {
        receiver.emails.push_back({e["to"].as<std::string>(), e["from"] ? e["from"].as<std::string>() : "maas@localhost",
                                   e["smarthost"].as<std::string>()});
      }
      names.insert(receiver.name);
      config.receivers.push_back(std::move(receiver));
    }
    if (YAML::Node route = a["route"]) {
      if (route["receiver"]) config.route.receiver = route["receiver"].as<std::string>();
      if (route["group_by"]) config.route.group_by = route["group_by"].as<std::vector<std::string>>();
      MAAS_ASSIGN_OR_RETURN(config.route.group_wait_ms, duration_ms(route["group_wait"], "alerting.route.group_wait", 30'000));
      MAAS_ASSIGN_OR_RETURN(config.route.group_interval_ms,
                            duration_ms(route["group_interval"], "alerting.route.group_interval", 300'000));
      MAAS_ASSIGN_OR_RETURN(config.route.repeat_interval_ms,
                            duration_ms(route["repeat_interval"], "alerting.route.repeat_interval", 4 * 3'600'000));
    }
    if (!config.route.receiver.empty() && !names.count(config.route.receiver)) {
      return invalid_argument("alerting.route.receiver '" + config.route.receiver + "' is not under alerting.receivers");
    }
    for (const auto& f : a["rule_files"]) {
      std::filesystem::path path = f.as<std::string>();
      if (path.is_relative()) path = config_file.parent_path() / path;
      MAAS_RETURN_IF_ERROR(load_rule_file(path, &config));
    }
  } catch (const YAML::Exception& e) {
    return invalid_argument("alerting configuration: " + std::string(e.what()));
  }
  return config;
}

Status check_webhook_destination(const std::string& url, const OutboundPolicy& policy, const std::string& where) {
  auto endpoint = parse_http_url(url);
  if (!endpoint.ok()) return invalid_argument(where + ": " + endpoint.status().message());
  if (Status s = policy.check_host(endpoint->host); !s.ok()) return invalid_argument(where + ": " + s.message());
  return {};
}

Status check_smarthost_destination(const std::string& smarthost, const OutboundPolicy& policy,
                                   const std::string& where) {
  if (Status s = policy.check_host(smarthost.substr(0, smarthost.rfind(':'))); !s.ok()) {
    return invalid_argument(where + ": " + s.message());
  }
  return {};
}

Status check_destinations(const AlertingConfig& config, const OutboundPolicy& policy) {
  for (const auto& r : config.receivers) {
    const std::string where = "alerting.receivers '" + r.name + "'";
    for (const auto& w : r.webhooks) MAAS_RETURN_IF_ERROR(check_webhook_destination(w.url, policy, where + " webhook"));
    for (const auto& e : r.emails) {
      MAAS_RETURN_IF_ERROR(check_smarthost_destination(e.smarthost, policy, where + " smarthost"));
    }
  }
  if (!config.alertmanager_url.empty()) {
    MAAS_RETURN_IF_ERROR(check_webhook_destination(config.alertmanager_url, policy, "alerting.alertmanager_url"));
  }
  return {};
}

}  // namespace maas::alerting
