#include "jobs/job_service.h"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/clock.h"
#include "common/random.h"
#include "jobs/job_records.h"
#include "jobs/job_service_internal.h"
#include "supervisor/proc_stats.h"

namespace maas::jobs {
namespace asio = boost::asio;
using store::JobRecord;

JobService::JobService(asio::io_context& io, store::JobStore& store, const KindRegistry& kinds,
                       supervisor::Supervisor& supervisor, logs::LogCenter& logs, metrics::Registry& metrics,
                       JobServiceOptions options)
    : strand_(asio::make_strand(io)),
      store_(store),
      kinds_(kinds),
      supervisor_(supervisor),
      logs_(logs),
      metrics_registry_(metrics),
      options_(std::move(options)),
      scheduler_(options_.limits),
      files_(options_.files_dir),
      wakeup_(strand_),
      retention_(strand_) {}

JobService::~JobService() { stop_now(); }

Status JobService::start() {
  metrics_ = std::make_unique<JobMetrics>(metrics_registry_, [weak = weak_from_this()] {
    auto self = weak.lock();
    return self ? self->gauges() : JobGauges{};
  });
  int64_t now = now_unix_ms();
  MAAS_ASSIGN_OR_RETURN(auto requeued, store_.requeue_interrupted(now));
  for (const auto& job : requeued) {
    spdlog::info("job {} ({}) was running when maasd stopped: requeued", job.id, job.kind);
    record_job_event(logs_, "requeued", job.id, job.kind,
                     {{"reason", "maasd stopped while it ran"}, {"interruptions", job.interruptions}});
    metrics_->ran(job.kind, "interrupted");
  }
  MAAS_ASSIGN_OR_RETURN(auto active, store_.active_jobs());
  for (auto& record : active) {
    const JobKind* kind = kinds_.find(record.kind);
    if (kind == nullptr) {
      std::string error = "job kind '" + record.kind + "' is not registered in this maasd (is its plugin in jobs.plugins?)";
      (void)store_.update_job(record.id, {store::kJobQueued}, [&](JobRecord& r) {
        r.state = std::string(store::kJobFailed);
        r.error = error;
        r.finished_at_ms = r.updated_at_ms = now;
      });
      record_job_event(logs_, "failed", record.id, record.kind, {{"reason", error}});
      continue;
    }
    auto job = std::make_shared<Active>();
    job->kind = kind;
    job->queued_since_ms = std::max(record.created_at_ms, record.not_before_ms);
    std::lock_guard lock(mu_);
    job->order = next_order_++;
    job->stored = true;
    job->record = std::move(record);
    active_[job->record.id] = std::move(job);
  }
  asio::post(strand_, [self = shared_from_this()] {
    self->schedule();
    self->collect_retention();
  });
  return {};
}

void JobService::stop_now() {
  stopping_ = true;
  std::lock_guard lock(mu_);
  for (auto& [id, job] : active_) {
    if (auto attempt = job->attempt.lock(); attempt && attempt->process) attempt->process->kill();
  }
}

Result<JobView> JobService::submit(Submission s) {
  const JobKind* kind = kinds_.find(s.kind);
  if (kind == nullptr) {
    return invalid_argument("unknown job kind '" + s.kind + "'; GET /api/v1/jobs/kinds lists the kinds");
  }
  nlohmann::json params = std::move(s.params);
  if (!params.is_object()) return invalid_argument("'params' must be an object");
  if (kind->validate) {
    Result<nlohmann::json> normalized = invalid_argument("");
    try {
      normalized = kind->validate(params);
    } catch (const std::exception& e) {  // a plugin's validate reading a wrong type, most likely
      return invalid_argument("params of a " + kind->name + " job: " + e.what());
    }
    if (!normalized.ok()) return normalized.status();
    params = std::move(*normalized);
  }
  int max_slots = scheduler_.max_job_slots();
  if (max_slots < 1) {
    return failed_precondition("this server gives jobs no CPU slots (jobs.slots is not above jobs.serving_reserved_slots)");
  }
  int slots = s.cpu_slots.value_or(std::min(kind->resources.cpu_slots, max_slots));
  if (slots < 1 || slots > max_slots) {
    return invalid_argument("cpu_slots " + std::to_string(slots) + ": a job may use 1 to " + std::to_string(max_slots) +
                            " slots on this server (jobs.slots less jobs.serving_reserved_slots)");
  }
  JobRecord record;
  record.id = "j-" + random_hex(8);
  record.kind = kind->name;
  record.params = std::move(params);
  record.state = std::string(store::kJobQueued);
  record.priority = s.priority;
  record.owner = s.owner;
  record.cpu_slots = slots;
  record.memory_bytes = kind->resources.memory_bytes;
  record.max_attempts = static_cast<int>(kind->retry.max_attempts);
  record.created_at_ms = record.updated_at_ms = now_unix_ms();
  auto job = std::make_shared<Active>();
  job->kind = kind;
  job->queued_since_ms = record.created_at_ms;
  job->record = record;
  {
    // The quota is checked and the place taken in one step; the store write follows outside the lock.
    std::lock_guard lock(mu_);
    int queued = 0;
    for (const auto& [id, other] : active_) {
      queued += other->record.owner == s.owner && other->record.state == store::kJobQueued && !other->starting;
    }
    if (options_.max_queued_per_key > 0 && queued >= options_.max_queued_per_key) {
      return resource_exhausted("key '" + s.owner + "' has " + std::to_string(queued) +
                                " jobs queued, the most jobs.max_queued_per_key allows; wait for some or cancel them");
    }
    job->order = next_order_++;
    active_[record.id] = job;
  }
  if (Status s = store_.create_job(record); !s.ok()) {
    std::lock_guard lock(mu_);
    active_.erase(record.id);
    return s;
  }
  {
    std::lock_guard lock(mu_);
    job->stored = true;
  }
  metrics_->submitted(record.kind);
  record_job_event(logs_, "submitted", record.id, record.kind,
                   {{"owner", record.owner}, {"priority", record.priority}, {"cpu_slots", record.cpu_slots}});
  asio::post(strand_, [self = shared_from_this()] { self->schedule(); });
  std::lock_guard lock(mu_);
  return view_locked(*job);
}

asio::awaitable<Result<JobView>> JobService::cancel(std::string id) {
  auto self = shared_from_this();
  std::optional<Result<JobView>> out;
  // Every change of a job's state happens on the strand; the caller resumes on its own executor afterwards.
  auto on_strand = [&]() -> asio::awaitable<void> {
    out.emplace(cancel_on_strand(id));
    co_return;
  };
  co_await asio::co_spawn(strand_, on_strand(), asio::use_awaitable);
  co_return std::move(*out);
}

Result<JobView> JobService::cancel_on_strand(const std::string& id) {
  std::shared_ptr<Active> job;
  {
    std::lock_guard lock(mu_);
    auto it = active_.find(id);
    if (it != active_.end()) job = it->second;
  }
  if (!job) {
    MAAS_ASSIGN_OR_RETURN(JobRecord record, store_.get_job(id));
    return failed_precondition("job '" + id + "' has already " +
                               (record.state == store::kJobCancelled ? std::string("been cancelled") : record.state));
  }
  if (job->record.state == store::kJobCancelling || job->cancel_requested) {
    std::lock_guard lock(mu_);
    return view_locked(*job);
  }
  if (job->record.state == store::kJobQueued && !job->starting) {
    int64_t now = now_unix_ms();
    MAAS_ASSIGN_OR_RETURN(JobRecord cancelled, store_.update_job(id, {store::kJobQueued}, [&](JobRecord& r) {
                            r.state = std::string(store::kJobCancelled);
                            r.finished_at_ms = r.updated_at_ms = now;
                          }));
    {
      std::lock_guard lock(mu_);
      active_.erase(id);
    }
    finish_job(cancelled, "cancelled", {});
    return JobView{cancelled};
  }
  // Starting or running: the attempt ends it (run() checks the flag once its process is up).
  {
    std::lock_guard lock(mu_);
    job->cancel_requested = true;
  }
  if (job->record.state == store::kJobRunning) {
    auto updated = store_.update_job(id, {store::kJobRunning}, [](JobRecord& r) {
      r.state = std::string(store::kJobCancelling);
      r.updated_at_ms = now_unix_ms();
    });
    if (updated.ok()) {
      std::lock_guard lock(mu_);
      job->record.state = updated->state;
    }
    if (auto attempt = job->attempt.lock()) terminate(attempt);
  }
  std::lock_guard lock(mu_);
  return view_locked(*job);
}

void JobService::answer(std::string topic, QuestionHandler handler) {
  std::lock_guard lock(mu_);
  answerers_[std::move(topic)] = std::move(handler);
}

Result<JobView> JobService::get(const std::string& id) {
  {
    std::lock_guard lock(mu_);
    auto it = active_.find(id);
    if (it != active_.end()) return view_locked(*it->second);
  }
  MAAS_ASSIGN_OR_RETURN(JobRecord record, store_.get_job(id));
  return JobView{std::move(record)};
}

Result<std::vector<JobView>> JobService::list(const store::JobQuery& query) {
  MAAS_ASSIGN_OR_RETURN(auto records, store_.list_jobs(query));
  std::vector<JobView> out;
  std::lock_guard lock(mu_);
  for (auto& record : records) {
    auto it = active_.find(record.id);
    out.push_back(it != active_.end() ? view_locked(*it->second) : JobView{std::move(record)});
  }
  return out;
}

JobView JobService::view_locked(const Active& job) const {
  JobView v{job.record};
  if (job.cancel_requested && !store::is_terminal_job_state(v.record.state)) v.record.state = std::string(store::kJobCancelling);
  if (job.pid > 0) {
    v.pid = job.pid;
    v.resident_bytes = supervisor::process_rss_bytes(job.pid);
    v.cpu_seconds = supervisor::process_cpu_seconds(job.pid);
  }
  double f = job.record.progress;
  if (job.first_fraction && f > *job.first_fraction) {
    double elapsed = static_cast<double>(now_unix_ms() - job.first_progress_ms) / 1000.0;
    v.eta_seconds = elapsed * (1.0 - f) / (f - *job.first_fraction);
  }
  return v;
}

JobGauges JobService::gauges() const {
  JobGauges g;
  std::lock_guard lock(mu_);
  for (const auto& [id, job] : active_) {
    const std::string& state = job->record.state;
    if (state == store::kJobQueued && !job->starting) {
      ++g.queued;
    } else {
      (state == store::kJobCancelling ? g.cancelling : g.running)++;
      g.slots_in_use += job->record.cpu_slots;
    }
  }
  g.slots_available = scheduler_.job_slots(options_.serving_slots_in_use ? options_.serving_slots_in_use() : 0);
  return g;
}

void JobService::schedule() {
  if (stopping_) return;
  std::vector<QueuedJob> queued;
  std::vector<RunningJob> running;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, job] : active_) {
      const auto& r = job->record;
      if (!job->stored) continue;
      if (r.state == store::kJobQueued && !job->starting) {
        queued.push_back({id, r.owner, r.priority, job->order, r.cpu_slots, r.not_before_ms});
      } else {
        running.push_back({r.owner, r.cpu_slots});
      }
    }
  }
  int64_t now = now_unix_ms();
  int serving = options_.serving_slots_in_use ? options_.serving_slots_in_use() : 0;
  auto admitted = scheduler_.admit(queued, running, serving, now);
  for (const auto& id : admitted) {
    {
      std::lock_guard lock(mu_);
      auto it = active_.find(id);
      if (it == active_.end()) continue;
      it->second->starting = true;
    }
    asio::co_spawn(strand_, run(id), asio::detached);
  }
  // A backoff ending is a reason to look again, and so is serving giving slots back: queued jobs are looked at
  // again within a second.
  int64_t next = Scheduler::next_wakeup_ms(queued, now);
  if (queued.size() > admitted.size()) next = next == 0 ? now + 1000 : std::min(next, now + 1000);
  arm_wakeup(next);
}

void JobService::arm_wakeup(int64_t at_ms) {
  if (at_ms == 0) return;
  wakeup_.expires_after(std::chrono::milliseconds(std::max<int64_t>(0, at_ms - now_unix_ms())));
  wakeup_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    if (auto self = weak.lock(); self && !ec) self->schedule();
  });
}

void JobService::collect_retention() {
  if (stopping_ || options_.retention.count() == 0) return;
  auto removed = store_.delete_finished_before(now_unix_ms() - options_.retention.count(), 1000);
  if (removed.ok()) {
    for (const auto& id : *removed) files_.remove(id);
    if (!removed->empty()) spdlog::info("deleted {} finished jobs older than jobs.retention_ms", removed->size());
  }
  retention_.expires_after(std::chrono::hours(1));
  retention_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    if (auto self = weak.lock(); self && !ec) self->collect_retention();
  });
}

}  // namespace maas::jobs
