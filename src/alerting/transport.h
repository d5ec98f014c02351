// Delivering notifications: an HTTP POST of JSON (webhooks, Alertmanager's API) and one e-mail over SMTP. Both
// block, with every step bounded by `timeout`; the alerting engine calls them from its sender thread only.
#pragma once

#include <chrono>
#include <string>

#include "common/outbound_policy.h"
#include "common/status.h"

namespace maas::alerting {

// http:// URLs only. UNAVAILABLE when the receiver cannot be reached or answers other than 2xx; PERMISSION_DENIED
// when `outbound` refuses every address its host resolves to.
Status post_json(const std::string& url, const std::string& body, std::chrono::milliseconds timeout,
                 const OutboundPolicy* outbound = nullptr);

// Plain SMTP (no TLS, no AUTH) to `smarthost` ("host:port"): a local relay. `outbound` as for post_json.
Status send_mail(const std::string& smarthost, const std::string& from, const std::string& to, const std::string& subject,
                 const std::string& body, std::chrono::milliseconds timeout, const OutboundPolicy* outbound = nullptr);

}  // namespace maas::alerting
