// Alerting configuration in Prometheus's and Alertmanager's shapes: the `alerting:` section of maasd's --config YAML
// (receivers, route, rule_files, evaluation_interval, external_url, alertmanager_url) and the rule files it names
// (groups of rules with alert, expr, for, keep_firing_for, labels, annotations).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "alerting/rule_group.h"
#include "common/status.h"

namespace maas::alerting {

struct WebhookConfig {
  std::string url;
};

struct EmailConfig {
  std::string to;
  std::string from;
  std::string smarthost;  // host:port
};

struct Receiver {
  std::string name;
  std::vector<WebhookConfig> webhooks;
  std::vector<EmailConfig> emails;
};

struct Route {
  std::string receiver;
  std::vector<std::string> group_by = {"alertname"};
  int64_t group_wait_ms = 30'000;
  int64_t group_interval_ms = 300'000;
  int64_t repeat_interval_ms = 4 * 3'600'000;
};

struct AlertingConfig {
  int64_t evaluation_interval_ms = 15'000;
  std::string external_url;      // generatorURL and externalURL in notifications
  std::string alertmanager_url;  // when set, alerts are also posted to its /api/v2/alerts
  std::vector<Rule> rules;                // from the rule files
  std::vector<std::string> file_groups;   // their group names, which the API may not change
  std::vector<Receiver> receivers;
  Route route;
};

// Reads the `alerting:` section of `config_file` (absent: no alerting) and the rule files it names (relative to the
// config file). INVALID_ARGUMENT naming the file, the rule and what is wrong.
Result<AlertingConfig> load_alerting_config(const std::filesystem::path& config_file);

}  // namespace maas::alerting
