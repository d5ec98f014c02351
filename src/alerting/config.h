// Alerting configuration in Prometheus's and Alertmanager's shapes: the `alerting:` section of maasd's --config YAML
// (receivers, route, rule_files, evaluation_interval, external_url, alertmanager_url) and the rule files it names
// (groups of rules with alert, expr, for, keep_firing_for, labels, annotations).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "alerting/rule_group.h"
#include "common/outbound_policy.h"
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
  // Where notifications may go: maasd's outbound.* settings, not the YAML's alerting section. Null: anywhere.
  std::shared_ptr<const OutboundPolicy> outbound;
};

// Reads the `alerting:` section of `config_file` (absent: no alerting) and the rule files it names (relative to the
// config file). INVALID_ARGUMENT naming the file, the rule and what is wrong.
Result<AlertingConfig> load_alerting_config(const std::filesystem::path& config_file);

// One destination as `policy` judges it before any lookup: a webhook's URL, an e-mail relay's "host:port".
// INVALID_ARGUMENT starting with `where`.
Status check_webhook_destination(const std::string& url, const OutboundPolicy& policy, const std::string& where);
Status check_smarthost_destination(const std::string& smarthost, const OutboundPolicy& policy, const std::string& where);

// Every destination of `config` (webhook URLs, e-mail relays, alertmanager_url) as `policy` judges it before any
// lookup: INVALID_ARGUMENT naming the receiver and the rule that refuses it.
Status check_destinations(const AlertingConfig& config, const OutboundPolicy& policy);

}  // namespace maas::alerting
