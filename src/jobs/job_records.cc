#include "jobs/job_records.h"

#include <chrono>

#include "jobs/job_protocol.h"
#include "logs/record.h"

namespace maas::jobs {
namespace {

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

const logs::LabelSet& stream(bool events) {
  static const logs::LabelSet kLogs = *logs::LabelSet::make({{"job", "maasd"}, {"kind", "job"}});
  static const logs::LabelSet kEvents = *logs::LabelSet::make({{"job", "maasd"}, {"kind", "event"}});
  return events ? kEvents : kLogs;
}

}  // namespace

void record_job_log(logs::LogCenter& center, std::string_view job_id, std::string_view kind, int attempt,
                    std::string_view source, LogLevel level, std::string_view line) {
  nlohmann::json j = {{"job_id", job_id},
                      {"job_kind", kind},
                      {"attempt", attempt},
                      {"source", source},
                      {"level", protocol::log_level_name(level)},
                      {"line", line}};
  center.emit(stream(false), now_ns(), dump(j));
}

void record_job_event(logs::LogCenter& center, std::string_view event, std::string_view job_id, std::string_view kind,
                      nlohmann::json detail) {
  nlohmann::json j = {{"event", "job_" + std::string(event)}, {"job_id", job_id}, {"job_kind", kind}};
  for (auto& [key, value] : detail.items()) j[key] = std::move(value);
  center.emit(stream(true), now_ns(), dump(j));
}

std::string job_log_query(std::string_view job_id) {
  return R"({job="maasd", kind="job"} | json | job_id=)" + logs::quote(job_id);
}

}  // namespace maas::jobs
