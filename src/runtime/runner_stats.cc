#include "runtime/runner_stats.h"

namespace maas::runtime {
namespace {
double seconds(std::chrono::nanoseconds d) { return std::chrono::duration<double>(d).count(); }
}  // namespace

RunnerStats::RunnerStats(RuntimeMetrics& metrics, std::string model, std::string version)
    : metrics_(metrics),
      model_(std::move(model)),
      version_(std::move(version)),
      series_{&metrics.requests.with({model_, version_, "success"}),
              &metrics.requests.with({model_, version_, "failure"}),
              &metrics.requests.with({model_, version_, "timeout"}),
              &metrics.requests.with({model_, version_, "rejected"}),
              &metrics.requests.with({model_, version_, "shed"}),
              &metrics.retries.with({model_, version_}),
              &metrics.queue_seconds.with({model_, version_}),
              &metrics.compute_seconds.with({model_, version_}),
              &metrics.total_seconds.with({model_, version_}),
              &metrics.batch_size.with({model_, version_}),
              &metrics.queue_depth.with({model_, version_}),
              &metrics.worker_restarts.with({model_, version_})} {}

RunnerStats::~RunnerStats() { series_.queue_depth->set(0); }

void RunnerStats::worker_restarted() {
  {
    std::lock_guard lock(mu_);
    stats_.worker_restarts++;
  }
  series_.worker_restarts->inc();
}

void RunnerStats::batch_ran(std::chrono::nanoseconds compute, int64_t rows) {
  series_.compute_seconds->observe(seconds(compute));
  series_.batch_size->observe(static_cast<double>(rows));
}

void RunnerStats::batch_answered(const BatchTiming& t, const std::vector<Answered>& answered) {
  {
    std::lock_guard lock(mu_);
    stats_.execution_count++;
    stats_.last_inference_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    stats_.compute_input.add(t.input_done - t.started);
    stats_.compute_infer.add(t.compute_done - t.input_done);
    stats_.compute_output.add(t.finished - t.compute_done);
    stats_.batch_stats[t.rows].add(t.compute_done - t.input_done);
    for (const auto& a : answered) {
      stats_.inference_count++;
      stats_.queue.add(t.started - a.enqueued);
      (a.ok ? stats_.success : stats_.fail).add(t.finished - a.enqueued);
    }
  }
  for (const auto& a : answered) {
    (a.ok ? series_.success : series_.failure)->inc();
    series_.queue_seconds->observe(seconds(t.started - a.enqueued));
    series_.total_seconds->observe(seconds(t.finished - a.enqueued));
  }
}

metrics::Gauge* RunnerStats::circuit_gauge(int index) {
  return &metrics_.circuit_state.with({model_, version_, std::to_string(index)});
}

void RunnerStats::circuit_transition(int index, CircuitState to) {
  circuit_gauge(index)->set(static_cast<double>(to));
  metrics_.circuit_transitions.with({model_, version_, std::to_string(index), std::string(circuit_state_name(to))}).inc();
}

void RunnerStats::drop_instance(int index) {
  std::string label = std::to_string(index);
  metrics_.worker_rss.remove({model_, version_, label});
  metrics_.worker_cpu.remove({model_, version_, label});
  metrics_.circuit_state.remove({model_, version_, label});
}

ModelStats RunnerStats::snapshot() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace maas::runtime
