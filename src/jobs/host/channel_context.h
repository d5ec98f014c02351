// The JobContext of a job process: progress, logs, checkpoints, questions and the result travel to maasd over the
// channel (jobs/job_protocol.h). Progress is coalesced to one message per 100 ms; the latest is sent within 100 ms even
// when the executor reports nothing more (a job waiting on something still shows where it is).
//
// Thread-safety: every method may be called from any thread; writes to the channel are serialized.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "jobs/executor.h"
#include "jobs/job_protocol.h"

namespace maas::jobs {

class ChannelContext final : public JobContext {
 public:
  // `fd`: the channel; `cancel_flag`: set by the SIGTERM handler.
  ChannelContext(int fd, protocol::StartMessage start, std::optional<std::string> checkpoint,
                 const std::atomic<bool>* cancel_flag);
  ~ChannelContext() override;  // stops the reader thread

  const std::string& job_id() const override { return start_.job_id; }
  const nlohmann::json& params() const override { return start_.params; }
  const std::filesystem::path& scratch_dir() const override { return scratch_dir_; }
  int attempt() const override { return start_.attempt; }
  int cpu_slots() const override { return start_.cpu_slots; }
  void progress(double fraction, std::string_view message, const std::map<std::string, double>& metrics) override;
  void log(LogLevel level, std::string_view line) override;
  Status save_checkpoint(std::string_view bytes) override;
  std::optional<std::string> checkpoint() const override;
  bool cancelled() const override;
  void set_result(nlohmann::json result) override;
  Result<nlohmann::json> ask(std::string_view topic, const nlohmann::json& question) override;

  // Sends what progress is still held back, then Done with the executor's status and the result.
  Status finish(const Status& status);

 private:
  void read_loop();
  void progress_loop();
  Status send(protocol::Kind kind, const std::string& header, std::string_view payload = {});
  void flush_progress_locked(std::unique_lock<std::mutex>& lock);

  const int fd_;
  const protocol::StartMessage start_;
  const std::filesystem::path scratch_dir_;
  const std::atomic<bool>* cancel_flag_;

  std::mutex write_mu_;  // one message at a time on the channel
  mutable std::mutex mu_;
  std::condition_variable acked_;
  std::optional<std::string> checkpoint_;
  std::map<uint64_t, Status> acks_;
  std::map<uint64_t, protocol::AnswerMessage> answers_;
  uint64_t next_sequence_ = 1;
  bool channel_closed_ = false;
  std::optional<protocol::ProgressMessage> pending_progress_;
  std::chrono::steady_clock::time_point last_progress_sent_{};
  nlohmann::json result_;
  bool stopping_ = false;
  std::condition_variable progress_pending_;
  std::thread reader_;
  std::thread progress_sender_;
};

}  // namespace maas::jobs
