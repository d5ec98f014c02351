// The job system in maasd: submissions checked against their kind and the owner's quota, a durable queue (the
// JobStore), a scheduler that admits by priority then age while the CPU slots shared with serving and the per-key
// quotas allow, one supervised maas-job process per running attempt, cancel (SIGTERM, a grace period, SIGKILL),
// retries with the supervisor's backoff, progress with an ETA, checkpoints, logs, events and metrics, and the
// requeue at start of jobs a dead maasd left running.
//
// Thread-safety: submit, cancel, get, list and the views may be called from any thread; job processes are driven
// by coroutines on the service's strand. The service must outlive its routes; stop_now() ends every job process
// once no thread runs the io_context any more (shutdown) and leaves their jobs running in the store, so that the
// next start requeues them.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "api/blocking.h"
#include "jobs/job_files.h"
#include "jobs/job_protocol.h"
#include "jobs/job_metrics.h"
#include "jobs/kind_registry.h"
#include "jobs/scheduler.h"
#include "logs/log_center.h"
#include "store/job_store.h"
#include "supervisor/process.h"

namespace maas::jobs {

struct JobServiceOptions {
  std::filesystem::path job_binary;  // maas-job
  std::filesystem::path files_dir;   // <data_dir>/jobs
  SchedulerLimits limits;
  int max_queued_per_key = 100;
  std::chrono::milliseconds cancel_grace{10'000};
  int nice = 10;  // job processes' nice value: the model workers (at maasd's) get the CPU first
  std::chrono::milliseconds progress_interval{1'000};  // progress is written to the store at most this often
  uint64_t max_checkpoint_bytes = 256ull << 20;
  std::chrono::milliseconds retention{30LL * 24 * 3'600'000};  // finished jobs are deleted after this (0: kept)
  // CPU slots the model workers use now (their threads); serving keeps at least its reserve whatever this says.
  std::function<int()> serving_slots_in_use;
};

// What a submission asks for (after the HTTP edge checked the JSON's shape).
struct Submission {
  std::string kind;
  nlohmann::json params = nlohmann::json::object();
  int priority = 0;
  std::optional<int> cpu_slots;  // default: the kind's
  std::string owner;
};

// A job as the API shows it: the stored record with what only the running process knows.
struct JobView {
  store::JobRecord record;
  std::optional<double> eta_seconds;
  pid_t pid = 0;  // while running
  uint64_t resident_bytes = 0;
  double cpu_seconds = 0;
};

// Answers a job process's question of one topic (JobContext::ask): the asking job's record (its id, owner and
// params, to check it may ask) and the question's body. Runs on the service's blocking pool, one question at a time.
using QuestionHandler =
    std::function<Result<nlohmann::json>(const store::JobRecord& job, const nlohmann::json& question)>;

class JobService : public std::enable_shared_from_this<JobService> {
 public:
  JobService(boost::asio::io_context& io, store::JobStore& store, const KindRegistry& kinds,
             supervisor::Supervisor& supervisor, logs::LogCenter& logs, metrics::Registry& metrics,
             JobServiceOptions options);
  ~JobService();

  // Requeues what a dead maasd left running and starts scheduling. Call once, before serving.
  Status start();
  // At shutdown, after the io_context stopped: SIGKILL to every job process. Their jobs stay running in the store.
  void stop_now();

  // 400 for an unknown kind, bad parameters or slots; 429 past the owner's queued quota.
  Result<JobView> submit(Submission submission);
  // Queued: cancelled at once. Running: SIGTERM now, SIGKILL after the grace period; the job shows cancelling
  // until its process has ended. Finished: FAILED_PRECONDITION. Resumes the caller on its own executor.
  boost::asio::awaitable<Result<JobView>> cancel(std::string id);
  Result<JobView> get(const std::string& id);
  Result<std::vector<JobView>> list(const store::JobQuery& query);
  const KindRegistry& kinds() const { return kinds_; }
  const Scheduler& scheduler() const { return scheduler_; }
  // Sets who answers the questions of `topic` (a later call replaces it). A question of a topic nobody answers is
  // answered FAILED_PRECONDITION.
  void answer(std::string topic, QuestionHandler handler);

 private:
  struct Active;
  struct Attempt;

  // On the strand:
  void schedule();
  Result<JobView> cancel_on_strand(const std::string& id);
  boost::asio::awaitable<void> run(std::string id);
  boost::asio::awaitable<Status> start_process(std::shared_ptr<Attempt> attempt);
  boost::asio::awaitable<void> drive(std::shared_ptr<Attempt> attempt);
  boost::asio::awaitable<void> conclude(std::shared_ptr<Attempt> attempt);
  void terminate(const std::shared_ptr<Attempt>& attempt);
  void on_progress(Active& job, const protocol::ProgressMessage& progress);
  boost::asio::awaitable<protocol::AnswerMessage> answer_question(const Active& job,
                                                                  protocol::QuestionMessage question);
  // A job reached a final state: its event, its run metric, its files.
  void finish_job(const store::JobRecord& record, std::string_view event, nlohmann::json detail);
  void arm_wakeup(int64_t at_ms);
  void collect_retention();
  // Any thread:
  JobView view_locked(const Active& job) const;  // mu_ held
  JobGauges gauges() const;
  void log_line(const Active& job, std::string_view source, LogLevel level, std::string_view line);

  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  store::JobStore& store_;
  const KindRegistry& kinds_;
  supervisor::Supervisor& supervisor_;
  logs::LogCenter& logs_;
  metrics::Registry& metrics_registry_;
  JobServiceOptions options_;
  Scheduler scheduler_;
  JobFiles files_;
  std::unique_ptr<JobMetrics> metrics_;
  api::BlockingPool blocking_{1};  // checkpoints, scratch directories, on_succeeded hooks, questions

  mutable std::mutex mu_;
  std::map<std::string, QuestionHandler> answerers_;       // by topic
  std::map<std::string, std::shared_ptr<Active>> active_;  // queued, starting, running, cancelling
  uint64_t next_order_ = 1;
  boost::asio::steady_timer wakeup_;    // a retry's backoff ends
  boost::asio::steady_timer retention_;
  std::atomic<bool> stopping_{false};
};

}  // namespace maas::jobs
