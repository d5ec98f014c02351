// The protocol between maasd and a job process (maas-job), over the supervisor's channel: the message kinds and
// their headers, defined once and used by both ends. A job process reads Start, runs the executor and reports
// Progress, Log, Checkpoint and Question messages, then Done; maasd answers each Checkpoint once it is durable and
// each Question once a subsystem's handler has decided (JobService::answer). Cancelling is SIGTERM (and SIGKILL
// after the grace period), not a message.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "jobs/executor.h"

namespace maas::jobs::protocol {

enum class Kind : uint32_t {
  kStart = 1,            // maasd -> job: StartMessage; payload: the last checkpoint, when has_checkpoint
  kCheckpointSaved = 2,  // maasd -> job: CheckpointAck
  kAnswer = 3,           // maasd -> job: AnswerMessage
  kProgress = 10,        // job -> maasd: ProgressMessage
  kLog = 11,             // job -> maasd: LogMessage
  kCheckpoint = 12,      // job -> maasd: CheckpointMessage; payload: the bytes
  kDone = 13,            // job -> maasd: DoneMessage; the process exits after it
  kQuestion = 14,        // job -> maasd: QuestionMessage
};

struct StartMessage {
  std::string job_id;
  std::string kind;
  std::string executor;
  std::string executor_plugin;  // empty: built into maas-job
  nlohmann::json params = nlohmann::json::object();
  int attempt = 1;
  int cpu_slots = 1;
  std::string scratch_dir;
  bool has_checkpoint = false;
  uint64_t max_checkpoint_bytes = 0;  // a bigger checkpoint is refused in the job process, before it is sent
};

struct ProgressMessage {
  double fraction = 0;
  std::string message;
  std::map<std::string, double> metrics;
};

struct LogMessage {
  LogLevel level = LogLevel::kInfo;
  std::string line;
};

struct CheckpointMessage {
  uint64_t sequence = 0;  // answered by the CheckpointAck of the same sequence
};

struct CheckpointAck {
  uint64_t sequence = 0;
  Status status;
};

// A question the job waits on (e.g. a study's pruning decision at a round): maasd hands `body` to the handler of
// `topic` and sends its answer back with the same sequence.
struct QuestionMessage {  // NOLINT(bugprone-exception-escape): nlohmann::json member, moved, never thrown
  uint64_t sequence = 0;
  std::string topic;
  nlohmann::json body;
};

struct AnswerMessage {  // NOLINT(bugprone-exception-escape): nlohmann::json member, moved, never thrown
  uint64_t sequence = 0;
  Status status;  // the handler's error, or FAILED_PRECONDITION for a topic nobody answers
  nlohmann::json body;
};

struct DoneMessage {
  Status status;  // the executor's
  nlohmann::json result;
};

std::string encode(const StartMessage& m);
std::string encode(const ProgressMessage& m);
std::string encode(const LogMessage& m);
std::string encode(const CheckpointMessage& m);
std::string encode(const CheckpointAck& m);
std::string encode(const DoneMessage& m);
std::string encode(const QuestionMessage& m);
std::string encode(const AnswerMessage& m);

// Each returns INTERNAL naming the message when the header is not what the protocol says (a job process is
// trusted less than maasd: a bad message fails the job, never maasd).
Result<StartMessage> decode_start(std::string_view header);
Result<ProgressMessage> decode_progress(std::string_view header);
Result<LogMessage> decode_log(std::string_view header);
Result<CheckpointMessage> decode_checkpoint(std::string_view header);
Result<CheckpointAck> decode_checkpoint_ack(std::string_view header);
Result<DoneMessage> decode_done(std::string_view header);
Result<QuestionMessage> decode_question(std::string_view header);
Result<AnswerMessage> decode_answer(std::string_view header);

std::string_view log_level_name(LogLevel level);
// "debug", "info", "warn" or "error"; nullopt otherwise.
std::optional<LogLevel> parse_log_level(std::string_view name);

// A Status as {"code", "message"} and back (an unknown code reads as INTERNAL).
nlohmann::json status_to_json(const Status& status);
Status status_from_json(const nlohmann::json& j);

}  // namespace maas::jobs::protocol
