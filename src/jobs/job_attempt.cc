// One attempt of a job: its maas-job process started, driven through the protocol, and the outcome decided
// (succeeded, cancelled, retried after the backoff, or failed). The rest of JobService is in job_service.cc.
#include <spdlog/spdlog.h>

#include <csignal>

#include "common/clock.h"
#include "jobs/job_records.h"
#include "jobs/job_service.h"
#include "jobs/job_service_internal.h"

namespace maas::jobs {
namespace asio = boost::asio;
using store::JobRecord;

namespace {

// An executor's errors that another attempt cannot fix.
bool is_permanent(const Status& status) {
  return status.code() == StatusCode::kInvalidArgument || status.code() == StatusCode::kFailedPrecondition;
}

}  // namespace

asio::awaitable<void> JobService::run(std::string id) {
  std::shared_ptr<Active> job;
  {
    std::lock_guard lock(mu_);
    auto it = active_.find(id);
    if (it == active_.end()) co_return;
    job = it->second;
  }
  const int64_t now = now_unix_ms();
  if (job->cancel_requested) {  // cancelled between its admission and now
    auto cancelled = store_.update_job(id, {store::kJobQueued}, [&](JobRecord& r) {
      r.state = std::string(store::kJobCancelled);
      r.finished_at_ms = r.updated_at_ms = now;
    });
    {
      std::lock_guard lock(mu_);
      active_.erase(id);
    }
    if (cancelled.ok()) finish_job(*cancelled, "cancelled", {});
    schedule();
    co_return;
  }
  auto started = store_.update_job(id, {store::kJobQueued}, [&](JobRecord& r) {
    r.state = std::string(store::kJobRunning);
    r.attempts += 1;
    r.started_at_ms = r.updated_at_ms = now;
    r.not_before_ms = 0;
  });
  if (!started.ok()) {
    spdlog::error("job {} cannot start: {}", id, started.status().message());
    std::lock_guard lock(mu_);
    job->starting = false;
    co_return;
  }
  {
    std::lock_guard lock(mu_);
    job->record = *started;
    job->starting = false;
    job->first_fraction.reset();
    job->progress_written_ms = now;
  }
  metrics_->waited(job->record.kind, static_cast<double>(std::max<int64_t>(0, now - job->queued_since_ms)) / 1000.0);
  record_job_event(logs_, "started", id, job->record.kind, {{"attempt", job->record.attempts}});
  auto attempt = std::make_shared<Attempt>(strand_);
  attempt->id = id;
  attempt->job = job;
  Status s = co_await start_process(attempt);
  if (s.ok()) {
    co_await drive(attempt);
  } else {
    attempt->failure = s;
  }
  if (attempt->process) attempt->exit = co_await attempt->process->wait();
  co_await conclude(attempt);
}

asio::awaitable<Status> JobService::start_process(std::shared_ptr<Attempt> attempt) {
  Active& job = *attempt->job;
  const JobFiles& files = files_;
  const std::string& id = attempt->id;
  uint64_t max_bytes = options_.max_checkpoint_bytes;
  using Prepared = std::pair<std::filesystem::path, std::optional<std::string>>;
  auto prepare = [&files, &id, max_bytes]() -> Result<Prepared> {
    MAAS_ASSIGN_OR_RETURN(auto scratch, files.reset_scratch(id));
    MAAS_ASSIGN_OR_RETURN(auto checkpoint, files.read_checkpoint(id, max_bytes));
    return Prepared{std::move(scratch), std::move(checkpoint)};
  };
  Result<Prepared> prepared = co_await blocking_.run(prepare);
  if (!prepared.ok()) co_return prepared.status();

  supervisor::ProcessSpec spec;
  spec.binary = options_.job_binary;
  spec.env = {{"MAAS_JOB_ID", id}};
  spec.role = "job";
  spec.name = job.record.kind + "/" + id;
  spec.limits = {job.record.memory_bytes, job.record.cpu_slots};
  spec.nice = options_.nice;
  // Weak: the process (which holds this callback) belongs to the attempt, which holds the job.
  spec.on_stderr_line = [weak = weak_from_this(), weak_job = std::weak_ptr<Active>(attempt->job)](std::string_view line) {
    auto self = weak.lock();
    auto active = weak_job.lock();
    if (self && active) self->log_line(*active, "stderr", LogLevel::kInfo, line);
  };
  auto process = supervisor_.spawn(strand_, std::move(spec));
  if (!process.ok()) co_return process.status();
  attempt->process = std::move(*process);
  {
    std::lock_guard lock(mu_);
    job.attempt = attempt;
    job.pid = attempt->process->pid();
  }
  protocol::StartMessage start;
  start.job_id = id;
  start.kind = job.record.kind;
  start.executor = job.kind->executor_name();
  start.executor_plugin = job.kind->executor_plugin.string();
  start.params = job.record.params;
  start.attempt = job.record.attempts;
  start.cpu_slots = job.record.cpu_slots;
  start.scratch_dir = prepared->first.string();
  start.has_checkpoint = prepared->second.has_value();
  start.max_checkpoint_bytes = options_.max_checkpoint_bytes;
  if (start.has_checkpoint) log_line(job, "maasd", LogLevel::kInfo, "resuming from its last checkpoint");
  const std::string header = protocol::encode(start);
  const std::string& checkpoint = prepared->second ? *prepared->second : header;  // any string when there is none
  asio::const_buffer parts[] = {asio::buffer(checkpoint)};
  std::span<const asio::const_buffer> payload = start.has_checkpoint ? std::span(parts) : std::span<const asio::const_buffer>();
  Status sent = co_await attempt->process->channel().send(static_cast<uint32_t>(protocol::Kind::kStart), 0, header, payload);
  if (job.cancel_requested) {  // cancelled while it was starting
    auto cancelling = store_.update_job(id, {store::kJobRunning}, [](JobRecord& r) {
      r.state = std::string(store::kJobCancelling);
      r.updated_at_ms = now_unix_ms();
    });
    if (cancelling.ok()) {
      std::lock_guard lock(mu_);
      job.record.state = cancelling->state;
    }
    terminate(attempt);
  }
  co_return sent;
}

asio::awaitable<void> JobService::drive(std::shared_ptr<Attempt> attempt) {
  Active& job = *attempt->job;
  auto& channel = attempt->process->channel();
  auto fail = [&attempt](Status s) {
    attempt->failure = std::move(s);
    attempt->process->kill();
  };
  for (;;) {
    auto envelope = co_await channel.receive(options_.max_checkpoint_bytes);
    if (!envelope.ok()) {
      // UNAVAILABLE: the process ended (how is known once it is reaped); anything else is its fault.
      if (envelope.status().code() != StatusCode::kUnavailable) fail(envelope.status());
      co_return;
    }
    switch (static_cast<protocol::Kind>(envelope->kind())) {
      case protocol::Kind::kProgress: {
        auto progress = protocol::decode_progress(envelope->header);
        if (!progress.ok()) co_return fail(progress.status());
        on_progress(job, *progress);
        break;
      }
      case protocol::Kind::kLog: {
        auto log = protocol::decode_log(envelope->header);
        if (!log.ok()) co_return fail(log.status());
        log_line(job, "job", log->level, log->line);
        break;
      }
      case protocol::Kind::kCheckpoint: {
        auto checkpoint = protocol::decode_checkpoint(envelope->header);
        if (!checkpoint.ok()) co_return fail(checkpoint.status());
        const std::string& id = attempt->id;
        std::string_view bytes(reinterpret_cast<const char*>(envelope->payload.data()), envelope->payload.size());
        const JobFiles& files = files_;
        auto write = [&files, &id, bytes] { return files.write_checkpoint(id, bytes); };
        Status written = co_await blocking_.run(write);
        if (written.ok() && job.record.checkpoint.empty()) {
          auto recorded = store_.update_job(id, {store::kJobRunning, store::kJobCancelling},
                                            [&](JobRecord& r) { r.checkpoint = files_.checkpoint_ref(id); });
          if (recorded.ok()) {
            std::lock_guard lock(mu_);
            job.record.checkpoint = recorded->checkpoint;
          } else {
            written = recorded.status();
          }
        }
        const std::string ack = protocol::encode(protocol::CheckpointAck{checkpoint->sequence, written});
        Status sent = co_await channel.send(static_cast<uint32_t>(protocol::Kind::kCheckpointSaved), 0, ack);
        if (!sent.ok()) co_return;
        break;
      }
      case protocol::Kind::kQuestion: {
        auto question = protocol::decode_question(envelope->header);
        if (!question.ok()) co_return fail(question.status());
        protocol::AnswerMessage answer = co_await answer_question(job, std::move(*question));
        const std::string header = protocol::encode(answer);
        Status sent = co_await channel.send(static_cast<uint32_t>(protocol::Kind::kAnswer), 0, header);
        if (!sent.ok()) co_return;
        break;
      }
      case protocol::Kind::kDone: {
        auto done = protocol::decode_done(envelope->header);
        if (!done.ok()) co_return fail(done.status());
        attempt->done = std::move(*done);
        co_return;
      }
      default:
        co_return fail(internal_error("the job process sent a message of unknown kind " +
                                      std::to_string(envelope->kind())));
    }
  }
}

asio::awaitable<void> JobService::conclude(std::shared_ptr<Attempt> attempt) {
  attempt->grace.cancel();
  // maasd is stopping: the job stays running in the store, and the next start requeues it.
  if (stopping_) co_return;
  auto job = attempt->job;
  const JobKind& kind = *job->kind;
  const std::string id = attempt->id;
  const int attempts = job->record.attempts;
  bool succeeded = attempt->failure.ok() && attempt->done && attempt->done->status.ok();
  Status failure = !attempt->failure.ok() ? attempt->failure
                   : attempt->done        ? attempt->done->status
                                          : unavailable("the job process stopped before it finished: " + attempt->exit.reason);
  bool permanent = attempt->done && is_permanent(attempt->done->status);
  nlohmann::json recorded = nlohmann::json::object();
  if (succeeded && kind.on_succeeded) {
    SucceededJob done{id, kind.name, job->record.owner, job->record.params, attempt->done->result};
    auto hook = [&kind, &done]() -> Status {
      try {
        return kind.on_succeeded(done);
      } catch (const std::exception& e) {
        return internal_error(e.what());
      }
    };
    Status s = co_await blocking_.run(hook);
    recorded = *done.recorded;
    if (!s.ok()) {
      succeeded = false;
      permanent = true;  // the job's work is done; running it again would not change the hook
      failure = Status(s.code(), "on_succeeded: " + s.message());
    }
  }
  bool cancelled = !succeeded && job->cancel_requested;
  bool retry = !succeeded && !cancelled && !permanent && kind.retry.may_retry(static_cast<uint32_t>(attempts));
  int64_t delay_ms = retry ? kind.retry.backoff.delay(static_cast<uint64_t>(attempts)).count() : 0;
  std::string_view state = succeeded ? store::kJobSucceeded
                           : cancelled ? store::kJobCancelled
                           : retry     ? store::kJobQueued
                                       : store::kJobFailed;
  int64_t now = now_unix_ms();
  auto updated = store_.update_job(id, {store::kJobRunning, store::kJobCancelling}, [&](JobRecord& r) {
    r.state = std::string(state);
    r.updated_at_ms = now;
    r.progress = succeeded ? 1.0 : job->record.progress;
    r.progress_message = job->record.progress_message;
    r.progress_metrics = job->record.progress_metrics;
    if (succeeded) {
      r.result = attempt->done->result;
      if (!recorded.empty() && r.result.is_null()) r.result = nlohmann::json::object();
      if (!recorded.empty() && r.result.is_object()) r.result.update(recorded);
    }
    // A cancelled job's process that ended by the SIGTERM of the cancel (before its handler was in place, or
    // without one) stopped as asked; only one that needed the SIGKILL after the grace period keeps a note.
    const bool stopped_as_asked =
        cancelled && (attempt->done || (attempt->exit.killed_by_supervisor && attempt->exit.signal == SIGTERM));
    r.error = succeeded || stopped_as_asked ? "" : failure.message();
    if (retry) r.not_before_ms = now + delay_ms;
    if (store::is_terminal_job_state(state)) r.finished_at_ms = now;
  });
  if (!updated.ok()) spdlog::error("job {}: cannot record how its attempt ended: {}", id, updated.status().message());
  if (!succeeded && !cancelled) {
    log_line(*job, "maasd", LogLevel::kError,
             "attempt " + std::to_string(attempts) + " failed: " + failure.message() +
                 (retry ? "; retrying in " + std::to_string(delay_ms) + " ms" : ""));
  }
  {
    std::lock_guard lock(mu_);
    job->attempt.reset();
    job->pid = 0;
    if (updated.ok()) job->record = *updated;
    if (retry) job->queued_since_ms = now + delay_ms;
    if (!retry || !updated.ok()) active_.erase(id);
  }
  if (retry) {
    record_job_event(logs_, "retried", id, kind.name,
                     {{"attempt", attempts}, {"reason", failure.message()}, {"retry_in_ms", delay_ms}});
    metrics_->ran(kind.name, "retried");
  } else if (updated.ok()) {
    nlohmann::json detail = {{"attempt", attempts}};
    if (!succeeded && !cancelled) detail["reason"] = failure.message();
    finish_job(*updated, state, std::move(detail));
  }
  schedule();
}

void JobService::terminate(const std::shared_ptr<Attempt>& attempt) {
  if (!attempt->process || !attempt->process->running()) return;
  attempt->process->terminate();
  attempt->grace.expires_after(options_.cancel_grace);
  attempt->grace.async_wait([attempt](const boost::system::error_code& ec) {
    if (!ec && attempt->process && attempt->process->running()) attempt->process->kill();
  });
}

void JobService::on_progress(Active& job, const protocol::ProgressMessage& progress) {
  int64_t now = now_unix_ms();
  nlohmann::json metrics = nlohmann::json::object();
  for (const auto& [name, value] : progress.metrics) metrics[name] = value;
  {
    std::lock_guard lock(mu_);
    job.record.progress = progress.fraction;
    job.record.progress_message = progress.message;
    job.record.progress_metrics = metrics;
    if (!job.first_fraction) {
      job.first_fraction = progress.fraction;
      job.first_progress_ms = now;
    }
  }
  // Written at most every progress_interval: a job reporting every step must not become a stream of fsyncs.
  if (now - job.progress_written_ms < options_.progress_interval.count()) return;
  job.progress_written_ms = now;
  if (Status s = store_.update_progress(job.record.id, progress.fraction, progress.message, metrics); !s.ok()) {
    spdlog::warn("job {}: cannot store its progress: {}", job.record.id, s.message());
  }
}

asio::awaitable<protocol::AnswerMessage> JobService::answer_question(const Active& job,
                                                                     protocol::QuestionMessage question) {
  protocol::AnswerMessage answer{question.sequence, {}, nullptr};
  QuestionHandler handler;
  store::JobRecord record;
  {
    std::lock_guard lock(mu_);
    if (auto it = answerers_.find(question.topic); it != answerers_.end()) handler = it->second;
    record = job.record;
  }
  if (!handler) {
    answer.status = failed_precondition("maasd answers no questions about '" + question.topic + "'");
    co_return answer;
  }
  auto decide = [&handler, &record, &question]() -> Result<nlohmann::json> {
    try {
      return handler(record, question.body);
    } catch (const std::exception& e) {
      return internal_error(e.what());
    }
  };
  Result<nlohmann::json> decided = co_await blocking_.run(decide);
  if (decided.ok()) {
    answer.body = std::move(*decided);
  } else {
    answer.status = decided.status();
  }
  co_return answer;
}

void JobService::finish_job(const JobRecord& record, std::string_view event, nlohmann::json detail) {
  record_job_event(logs_, event, record.id, record.kind, std::move(detail));
  metrics_->ran(record.kind, record.state);
  // Not a coroutine holding shared_from_this(): if maasd is stopping, Asio would destroy that coroutine on the pool
  // thread, and with it the last reference to this service and its pool.
  blocking_.post([files = files_, id = record.id] { files.remove(id); });
}

void JobService::log_line(const Active& job, std::string_view source, LogLevel level, std::string_view line) {
  record_job_log(logs_, job.record.id, job.record.kind, job.record.attempts, source, level, line);
}

}  // namespace maas::jobs
