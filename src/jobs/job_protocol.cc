#include "jobs/job_protocol.h"

#include <cmath>

#include "common/json_parse.h"

namespace maas::jobs::protocol {
namespace {

using nlohmann::json;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// Reads the fields of one message's header; the first problem is kept and reported for the whole message.
class Reader {
 public:
  // The header's nesting is bounded before anything walks it: a job process runs a plugin's code, and maasd
  // copies and dumps what it sends (its result).
  Reader(std::string_view header, const char* message) : message_(message) {
    auto parsed = parse_json(header, "the header");
    if (!parsed.ok()) {
      problem_ = parsed.status().message();
    } else if (j_ = std::move(*parsed); !j_.is_object()) {
      fail("not a JSON object");
    }
  }
  std::string string(const char* key) {
    const json* v = field(key);
    if (v && !v->is_string()) fail(key);
    return v && v->is_string() ? v->get<std::string>() : std::string();
  }
  double number(const char* key) {
    const json* v = field(key);
    if (v && !v->is_number()) fail(key);
    return v && v->is_number() ? v->get<double>() : 0;
  }
  int64_t integer(const char* key) {
    const json* v = field(key);
    if (v && !v->is_number_integer()) fail(key);
    return v && v->is_number_integer() ? v->get<int64_t>() : 0;
  }
  bool boolean(const char* key) {
    const json* v = field(key);
    if (v && !v->is_boolean()) fail(key);
    return v && v->is_boolean() && v->get<bool>();
  }
  json object(const char* key) {
    const json* v = field(key);
    if (v && !v->is_object()) fail(key);
    return v && v->is_object() ? *v : json::object();
  }
  // Any JSON value; null when absent.
  json value(const char* key) {
    const json* v = field(key);
    return v ? *v : json();
  }
  bool ok() const { return problem_.empty(); }
  Status error() const {
    return internal_error(std::string("the job process sent a malformed ") + message_ + " message (" + problem_ + ")");
  }

 private:
  const json* field(const char* key) {
    if (!ok()) return nullptr;
    auto it = j_.find(key);
    if (it == j_.end()) {
      fail(key);
      return nullptr;
    }
    return &*it;
  }
  void fail(const char* what) {
    if (problem_.empty()) problem_ = what;
  }

  json j_;
  const char* message_;
  std::string problem_;
};

}  // namespace

std::string_view log_level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
    case LogLevel::kInfo:
      break;
  }
  return "info";
}

std::optional<LogLevel> parse_log_level(std::string_view name) {
  for (LogLevel level : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError}) {
    if (log_level_name(level) == name) return level;
  }
  return std::nullopt;
}

json status_to_json(const Status& status) {
  return {{"code", status_code_name(status.code())}, {"message", status.message()}};
}

Status status_from_json(const json& j) {
  if (!j.is_object()) return internal_error("the job process sent no status");
  auto code = j.find("code");
  auto message = j.find("message");
  std::string text = message != j.end() && message->is_string() ? message->get<std::string>() : "";
  if (code == j.end() || !code->is_string() || code->get<std::string>() == "OK") return Status();
  return Status(status_code_from_name(code->get<std::string>()).value_or(StatusCode::kInternal),
                text.empty() ? "the job failed" : text);
}

std::string encode(const StartMessage& m) {
  return dump({{"job_id", m.job_id},
               {"kind", m.kind},
               {"executor", m.executor},
               {"executor_plugin", m.executor_plugin},
               {"params", m.params},
               {"attempt", m.attempt},
               {"cpu_slots", m.cpu_slots},
               {"scratch_dir", m.scratch_dir},
               {"has_checkpoint", m.has_checkpoint},
               {"max_checkpoint_bytes", m.max_checkpoint_bytes}});
}

std::string encode(const ProgressMessage& m) {
  json metrics = json::object();
  // JSON has no NaN or infinity: such a value is left out rather than breaking the message.
  for (const auto& [name, value] : m.metrics) {
    if (std::isfinite(value)) metrics[name] = value;
  }
  return dump({{"fraction", std::isfinite(m.fraction) ? m.fraction : 0.0}, {"message", m.message}, {"metrics", metrics}});
}

std::string encode(const LogMessage& m) { return dump({{"level", log_level_name(m.level)}, {"line", m.line}}); }

std::string encode(const CheckpointMessage& m) { return dump({{"sequence", m.sequence}}); }

std::string encode(const CheckpointAck& m) { return dump({{"sequence", m.sequence}, {"status", status_to_json(m.status)}}); }

std::string encode(const DoneMessage& m) { return dump({{"status", status_to_json(m.status)}, {"result", m.result}}); }

std::string encode(const QuestionMessage& m) {
  return dump({{"sequence", m.sequence}, {"topic", m.topic}, {"body", m.body}});
}

std::string encode(const AnswerMessage& m) {
  return dump({{"sequence", m.sequence}, {"status", status_to_json(m.status)}, {"body", m.body}});
}

Result<StartMessage> decode_start(std::string_view header) {
  Reader r(header, "start");
  StartMessage m;
  m.job_id = r.string("job_id");
  m.kind = r.string("kind");
  m.executor = r.string("executor");
  m.executor_plugin = r.string("executor_plugin");
  m.params = r.object("params");
  m.attempt = static_cast<int>(r.integer("attempt"));
  m.cpu_slots = static_cast<int>(r.integer("cpu_slots"));
  m.scratch_dir = r.string("scratch_dir");
  m.has_checkpoint = r.boolean("has_checkpoint");
  m.max_checkpoint_bytes = static_cast<uint64_t>(r.integer("max_checkpoint_bytes"));
  if (!r.ok()) return r.error();
  return m;
}

Result<ProgressMessage> decode_progress(std::string_view header) {
  Reader r(header, "progress");
  ProgressMessage m;
  m.fraction = r.number("fraction");
  m.message = r.string("message");
  json metrics = r.object("metrics");
  if (!r.ok()) return r.error();
  for (const auto& [name, value] : metrics.items()) {
    if (value.is_number()) m.metrics[name] = value.get<double>();
  }
  return m;
}

Result<LogMessage> decode_log(std::string_view header) {
  Reader r(header, "log");
  LogMessage m;
  auto level = parse_log_level(r.string("level"));
  m.line = r.string("line");
  if (!r.ok()) return r.error();
  m.level = level.value_or(LogLevel::kInfo);
  return m;
}

Result<CheckpointMessage> decode_checkpoint(std::string_view header) {
  Reader r(header, "checkpoint");
  CheckpointMessage m;
  m.sequence = static_cast<uint64_t>(r.integer("sequence"));
  if (!r.ok()) return r.error();
  return m;
}

Result<CheckpointAck> decode_checkpoint_ack(std::string_view header) {
  Reader r(header, "checkpoint acknowledgement");
  CheckpointAck m;
  m.sequence = static_cast<uint64_t>(r.integer("sequence"));
  json status = r.object("status");
  if (!r.ok()) return r.error();
  m.status = status_from_json(status);
  return m;
}

Result<DoneMessage> decode_done(std::string_view header) {
  Reader r(header, "done");
  DoneMessage m;
  json status = r.object("status");
  m.result = r.value("result");
  if (!r.ok()) return r.error();
  m.status = status_from_json(status);
  return m;
}

Result<QuestionMessage> decode_question(std::string_view header) {
  Reader r(header, "question");
  QuestionMessage m;
  m.sequence = static_cast<uint64_t>(r.integer("sequence"));
  m.topic = r.string("topic");
  m.body = r.value("body");
  if (!r.ok()) return r.error();
  return m;
}

Result<AnswerMessage> decode_answer(std::string_view header) {
  Reader r(header, "answer");
  AnswerMessage m;
  m.sequence = static_cast<uint64_t>(r.integer("sequence"));
  json status = r.object("status");
  m.body = r.value("body");
  if (!r.ok()) return r.error();
  m.status = status_from_json(status);
  return m;
}

}  // namespace maas::jobs::protocol
