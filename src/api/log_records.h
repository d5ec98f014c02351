// maasd's own records for the log center: one per answered request (stream {job="maasd", kind="request"}) and
// one per runtime event (stream {job="maasd", kind="event"}), each line a JSON object of the fields.
#pragma once

#include "alerting/engine.h"
#include "http/server.h"
#include "logs/log_center.h"
#include "runtime/runtime_metrics.h"

namespace maas::api {

// Never blocks: the record is queued for the log center's writer.
void record_request(logs::LogCenter& center, const http::CompletedRequest& done);
void record_event(logs::LogCenter& center, const runtime::RuntimeEvent& event);
// An alert's state change: event "alert_pending", "alert_firing" or "alert_resolved" with its labels.
void record_alert(logs::LogCenter& center, const alerting::Alert& alert);

}  // namespace maas::api
