// A subscription of the log center: new records that match a log query (source "logs") or an event filter
// (source "events": maasd's own event records, by model, service and event kind) are rendered through a message
// template and delivered to a webhook or an e-mail address. This file holds the pure part: validation, the
// query a subscription matches with, rendering, and the stored JSON shape. Delivery is subscriptions.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "alerting/config.h"
#include "common/status.h"
#include "logs/logql.h"

namespace maas::alerting {

constexpr size_t kMaxSubscriptionQueryBytes = 4096;
constexpr size_t kMaxTemplateBytes = 4096;

struct EventFilter {
  std::string model;                // empty: any
  std::string service;              // empty: any
  std::vector<std::string> events;  // event kinds ("loaded", "crashed", "alert_firing", ...); empty: any
};

struct Subscription {
  std::string id;
  std::string name;
  std::string source;  // "logs" or "events"
  std::string query;   // logs: the LogQL log query (selector and line filters)
  EventFilter filter;  // events
  std::optional<WebhookConfig> webhook;
  std::optional<EmailConfig> email;  // exactly one of webhook and email
  std::string message_template = "{{ .line }}";
  int64_t min_interval_ms = 1000;  // at most one delivery per interval; records arriving meanwhile are batched
  std::string created_by;
  int64_t created_at_ms = 0;
  logs::Query matcher;  // what records must match: `query`, or the event filter as a LogQL query
};

// Validates a subscription as the API receives it (`stored`: as persisted, with id, created_by, created_at).
// INVALID_ARGUMENT naming the field at fault.
Result<Subscription> parse_subscription(const nlohmann::json& body, bool stored = false);
// The stored and answered shape (the same fields parse_subscription reads, with id, created_by, created_at).
nlohmann::json subscription_json(const Subscription& s);

// One matching record and what the template may use of it: {{ .line }}, {{ .time }} (RFC 3339), {{ .ts }}
// (Unix ns), {{ .labels }} (the stream's label text), {{ .labels.NAME }}, {{ .subscription }}, and {{ .FIELD }}:
// a top-level field of a JSON line (maasd's events: .event, .model, .version, .reason, .alertname).
std::string render_message(const Subscription& s, const logs::LabelSet& labels, int64_t ts_ns, const std::string& line);

}  // namespace maas::alerting
