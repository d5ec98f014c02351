#include "api/log_records.h"

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/json_line.h"

namespace maas::api {
namespace {

const logs::LabelSet& stream(const char* kind) {
  static const logs::LabelSet kRequests = *logs::LabelSet::make({{"job", logs::kOwnJob}, {"kind", "request"}});
  static const logs::LabelSet kEvents = *logs::LabelSet::make({{"job", logs::kOwnJob}, {"kind", "event"}});
  return std::string_view(kind) == "request" ? kRequests : kEvents;
}

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace

void record_request(logs::LogCenter& center, const http::CompletedRequest& done) {
  const auto& req = done.request;
  const auto& f = req.log_fields;
  JsonLine line;
  line.field("trace_id", req.request_id)
      .field("method", req.method)
      .field("path", req.path)
      .field("route", req.route)
      .field("status", done.status)
      .field("latency_ms", std::chrono::duration<double, std::milli>(done.duration).count())
      .field("bytes_in", done.bytes_in)
      .field("bytes_out", done.bytes_out)
      .field("remote", req.remote);
  // Only what is known: absent fields stay out of the line rather than appearing empty.
  for (const auto& [key, value] : {std::pair{"service", &f.service},
                                   {"model", &f.model},
                                   {"version", &f.version},
                                   {"key_id", &f.key_id},
                                   {"rejection_reason", &f.rejection_reason},
                                   {"graph_steps", &f.graph_steps}}) {
    if (!value->empty()) line.field(key, *value);
  }
  if (f.key_id.empty() && req.principal) line.field("key_id", req.principal->key_id);

  center.emit(stream("request"), now_ns(), line.take());
}

void record_event(logs::LogCenter& center, const runtime::RuntimeEvent& event) {
  nlohmann::json line = {{"event", event.event}, {"model", event.model}, {"version", std::to_string(event.version)}};
  if (!event.state.empty()) line["state"] = event.state;
  if (!event.reason.empty()) line["reason"] = event.reason;
  center.emit(stream("event"), now_ns(), dump(line));
}

void record_alert(logs::LogCenter& center, const alerting::Alert& alert) {
  nlohmann::json labels = nlohmann::json::object();
  for (const auto& [k, v] : alert.labels) labels[k] = v;
  nlohmann::json line = {{"event", "alert_" + alert.state}, {"alertname", alert.rule}, {"labels", labels},
                         {"value", alert.value}};
  center.emit(stream("event"), now_ns(), dump(line));
}

}  // namespace maas::api
