#include "alerting/config.h"

#include <yaml-cpp/yaml.h>

#include <set>

namespace maas::alerting {
namespace {

Result<int64_t> duration_ms(const YAML::Node& node, const std::string& where, int64_t fallback) {
  if (!node) return fallback;
  auto ns = logs::parse_duration_ns(node.as<std::string>());
  if (!ns.ok()) return invalid_argument(where + ": " + ns.status().message());
  return *ns / 1'000'000;
}

LabelMap string_map(const YAML::Node& node) {
  LabelMap out;
  if (node && node.IsMap()) {
    for (const auto& kv : node) out[kv.first.as<std::string>()] = kv.second.as<std::string>();
  }
  return out;
}

Status load_rule_file(const std::filesystem::path& path, std::vector<Rule>* rules) {
  YAML::Node root = YAML::LoadFile(path.string());
  const std::string file = path.string();
  if (!root["groups"] || !root["groups"].IsSequence()) return invalid_argument(file + ": needs a 'groups' list");
  for (const auto& g : root["groups"]) {
    std::string group = g["name"] ? g["name"].as<std::string>() : "";
    if (!g["rules"] || !g["rules"].IsSequence()) return invalid_argument(file + ": group '" + group + "' needs 'rules'");
    for (const auto& r : g["rules"]) {
      if (r["record"]) return invalid_argument(file + ": recording rules are not supported (group '" + group + "')");
      if (!r["alert"] || !r["expr"]) return invalid_argument(file + ": each rule needs 'alert' and 'expr'");
      Rule rule;
      rule.group = group;
      rule.alert = r["alert"].as<std::string>();
      std::string where = file + ": alert '" + rule.alert + "'";
      auto expr = parse_rule_expression(r["expr"].as<std::string>());
      if (!expr.ok()) return invalid_argument(where + ": " + expr.status().message());
      rule.expr = *expr;
      MAAS_ASSIGN_OR_RETURN(rule.for_ms, duration_ms(r["for"], where + " for", 0));
      MAAS_ASSIGN_OR_RETURN(rule.keep_firing_for_ms, duration_ms(r["keep_firing_for"], where + " keep_firing_for", 0));
      rule.labels = string_map(r["labels"]);
      rule.annotations = string_map(r["annotations"]);
      rules->push_back(std::move(rule));
    }
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
      MAAS_RETURN_IF_ERROR(load_rule_file(path, &config.rules));
    }
  } catch (const YAML::Exception& e) {
    return invalid_argument("alerting configuration: " + std::string(e.what()));
  }
  return config;
}

}  // namespace maas::alerting
