#include "jobs/host/channel_context.h"

#include <sys/socket.h>

#include <algorithm>

#include "supervisor/channel.h"

namespace maas::jobs {
namespace {

constexpr auto kProgressInterval = std::chrono::milliseconds(100);
constexpr size_t kMaxLogLine = 16 << 10;

}  // namespace

ChannelContext::ChannelContext(int fd, protocol::StartMessage start, std::optional<std::string> checkpoint,
                               const std::atomic<bool>* cancel_flag)
    : fd_(fd),
      start_(std::move(start)),
      scratch_dir_(start_.scratch_dir),
      cancel_flag_(cancel_flag),
      checkpoint_(std::move(checkpoint)),
      reader_([this] { read_loop(); }),
      progress_sender_([this] { progress_loop(); }) {}

ChannelContext::~ChannelContext() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  progress_pending_.notify_all();
  ::shutdown(fd_, SHUT_RD);  // wakes the reader's blocking read
  if (reader_.joinable()) reader_.join();
  if (progress_sender_.joinable()) progress_sender_.join();
}

void ChannelContext::progress_loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (!pending_progress_) {
      progress_pending_.wait(lock);
      continue;
    }
    auto due = last_progress_sent_ + kProgressInterval;
    if (std::chrono::steady_clock::now() < due) {
      progress_pending_.wait_until(lock, due);
      continue;
    }
    flush_progress_locked(lock);
  }
}

void ChannelContext::read_loop() {
  for (;;) {
    auto envelope = supervisor::read_frame(fd_);
    if (!envelope.ok()) break;
    if (envelope->kind() == static_cast<uint32_t>(protocol::Kind::kAnswer)) {
      auto answer = protocol::decode_answer(envelope->header);
      if (!answer.ok()) continue;
      std::lock_guard lock(mu_);
      answers_[answer->sequence] = std::move(*answer);
      acked_.notify_all();
      continue;
    }
    if (envelope->kind() != static_cast<uint32_t>(protocol::Kind::kCheckpointSaved)) continue;
    auto ack = protocol::decode_checkpoint_ack(envelope->header);
    if (!ack.ok()) continue;
    std::lock_guard lock(mu_);
    acks_[ack->sequence] = ack->status;
    acked_.notify_all();
  }
  std::lock_guard lock(mu_);
  channel_closed_ = true;
  acked_.notify_all();
}

Status ChannelContext::send(protocol::Kind kind, const std::string& header, std::string_view payload) {
  std::span<const std::byte> parts[] = {std::as_bytes(std::span(payload.data(), payload.size()))};
  std::lock_guard lock(write_mu_);
  return supervisor::write_frame(fd_, static_cast<uint32_t>(kind), 0, header,
                                 payload.empty() ? std::span<const std::span<const std::byte>>() : parts);
}

void ChannelContext::flush_progress_locked(std::unique_lock<std::mutex>& lock) {
  if (!pending_progress_) return;
  std::string header = protocol::encode(*pending_progress_);
  pending_progress_.reset();
  last_progress_sent_ = std::chrono::steady_clock::now();
  lock.unlock();
  (void)send(protocol::Kind::kProgress, header);
  lock.lock();
}

void ChannelContext::progress(double fraction, std::string_view message, const std::map<std::string, double>& metrics) {
  std::unique_lock lock(mu_);
  pending_progress_ = protocol::ProgressMessage{std::clamp(fraction, 0.0, 1.0), std::string(message), metrics};
  if (std::chrono::steady_clock::now() - last_progress_sent_ >= kProgressInterval) {
    flush_progress_locked(lock);
  } else {
    progress_pending_.notify_all();  // the sender sends it when its 100 ms are up
  }
}

void ChannelContext::log(LogLevel level, std::string_view line) {
  (void)send(protocol::Kind::kLog, protocol::encode(protocol::LogMessage{level, std::string(line.substr(0, kMaxLogLine))}));
}

Status ChannelContext::save_checkpoint(std::string_view bytes) {
  if (uint64_t limit = start_.max_checkpoint_bytes; limit > 0 && bytes.size() > limit) {
    return resource_exhausted("a checkpoint of " + std::to_string(bytes.size()) + " bytes is over the limit of " +
                              std::to_string(limit) +
                              " (jobs.max_checkpoint_bytes); keep large state in the scratch directory");
  }
  uint64_t sequence;
  {
    std::lock_guard lock(mu_);
    sequence = next_sequence_++;
  }
  MAAS_RETURN_IF_ERROR(send(protocol::Kind::kCheckpoint, protocol::encode(protocol::CheckpointMessage{sequence}), bytes));
  std::unique_lock lock(mu_);
  acked_.wait(lock, [&] { return acks_.count(sequence) != 0 || channel_closed_; });
  auto it = acks_.find(sequence);
  if (it == acks_.end()) return unavailable("maasd closed the channel before the checkpoint was stored");
  Status status = it->second;
  acks_.erase(it);
  if (status.ok()) checkpoint_ = std::string(bytes);
  return status;
}

Result<nlohmann::json> ChannelContext::ask(std::string_view topic, const nlohmann::json& question) {
  uint64_t sequence;
  {
    std::lock_guard lock(mu_);
    sequence = next_sequence_++;
  }
  MAAS_RETURN_IF_ERROR(send(protocol::Kind::kQuestion,
                            protocol::encode(protocol::QuestionMessage{sequence, std::string(topic), question})));
  std::unique_lock lock(mu_);
  acked_.wait(lock, [&] { return answers_.count(sequence) != 0 || channel_closed_; });
  auto it = answers_.find(sequence);
  if (it == answers_.end()) return unavailable("maasd closed the channel before it answered");
  protocol::AnswerMessage answer = std::move(it->second);
  answers_.erase(it);
  if (!answer.status.ok()) return answer.status;
  return std::move(answer.body);
}

std::optional<std::string> ChannelContext::checkpoint() const {
  std::lock_guard lock(mu_);
  return checkpoint_;
}

bool ChannelContext::cancelled() const {
  if (cancel_flag_ && cancel_flag_->load(std::memory_order_relaxed)) return true;
  std::lock_guard lock(mu_);
  return channel_closed_;  // maasd is gone: nobody wants the rest
}

void ChannelContext::set_result(nlohmann::json result) {
  std::lock_guard lock(mu_);
  result_ = std::move(result);
}

Status ChannelContext::finish(const Status& status) {
  nlohmann::json result;
  {
    std::unique_lock lock(mu_);
    flush_progress_locked(lock);
    result = result_;
  }
  return send(protocol::Kind::kDone, protocol::encode(protocol::DoneMessage{status, std::move(result)}));
}

}  // namespace maas::jobs
