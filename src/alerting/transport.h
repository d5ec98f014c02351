// Delivering notifications: an HTTP POST of JSON (webhooks, Alertmanager's API) and one e-mail over SMTP. Both
// block, with every step bounded by `timeout`; the alerting engine calls them from its sender thread only.
#pragma once

#include <chrono>
#include <string>

#include "common/status.h"

namespace maas::alerting {

// http:// URLs only. UNAVAILABLE when the receiver cannot be reached or answers other than 2xx.
Status post_json(const std::string& url, const std::string& body, std::chrono::milliseconds timeout);

// Plain SMTP (no TLS, no AUTH) to `smarthost` ("host:port"): a local relay.
Status send_mail(const std::string& smarthost, const std::string& from, const std::string& to, const std::string& subject,
                 const std::string& body, std::chrono::milliseconds timeout);

}  // namespace maas::alerting
