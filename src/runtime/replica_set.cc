#include "runtime/replica_set.h"

#include <algorithm>

namespace maas::runtime {

void ReplicaSet::remove(const Item& replica) {
  replicas_.erase(std::remove(replicas_.begin(), replicas_.end(), replica), replicas_.end());
}

bool ReplicaSet::ejected(const Replica& replica, Clock::time_point now) const {
  if (!replica.breaker || replica.breaker->state(now) != CircuitState::kOpen) return false;
  // Envoy's max_ejection_percent, but at least one replica: the first open ones (by position) are skipped, any
  // further open ones keep serving, so a version never loses more than its share of capacity to ejection.
  if (max_ejection_percent_ <= 0) return false;
  size_t limit = std::max<size_t>(1, replicas_.size() * static_cast<size_t>(max_ejection_percent_) / 100);
  size_t rank = 0;
  for (const auto& other : replicas_) {
    if (other.get() == &replica) break;
    if (other->breaker && other->breaker->state(now) == CircuitState::kOpen) ++rank;
  }
  return rank < limit;
}

bool ReplicaSet::any_usable(Clock::time_point now, int except) const {
  return std::any_of(replicas_.begin(), replicas_.end(),
                     [&](const auto& r) { return r->index != except && r->serving() && !ejected(*r, now); });
}

bool ReplicaSet::any_alive() const {
  return std::any_of(replicas_.begin(), replicas_.end(), [](const auto& r) { return !r->retiring && r->alive(); });
}

bool ReplicaSet::any_starting() const {
  return std::any_of(replicas_.begin(), replicas_.end(), [](const auto& r) { return r->starting && !r->retiring; });
}

bool ReplicaSet::any_busy() const {
  return std::any_of(replicas_.begin(), replicas_.end(), [](const auto& r) { return r->busy; });
}

int ReplicaSet::not_retiring() const {
  return static_cast<int>(std::count_if(replicas_.begin(), replicas_.end(), [](const auto& r) { return !r->retiring; }));
}

int ReplicaSet::serving() const {
  return static_cast<int>(std::count_if(replicas_.begin(), replicas_.end(), [](const auto& r) { return r->serving(); }));
}

int ReplicaSet::lowest_free_index() const {
  int index = 0;
  while (std::any_of(replicas_.begin(), replicas_.end(), [index](const auto& r) { return r->index == index; })) ++index;
  return index;
}

ReplicaSet::Item ReplicaSet::retire_candidate() const {
  auto cost = [](const Replica& r) { return r.ready ? (r.busy ? 2 : 1) : 0; };
  Item victim;
  for (const auto& r : replicas_) {
    if (r->retiring) continue;
    if (!victim || cost(*r) < cost(*victim) || (cost(*r) == cost(*victim) && r->index > victim->index)) victim = r;
  }
  return victim;
}

std::vector<InstanceInfo> ReplicaSet::snapshot() const {
  std::vector<InstanceInfo> out;
  for (const auto& r : replicas_) {
    InstanceInfo info;
    info.index = r->index;
    info.ready = r->ready;
    info.retiring = r->retiring;
    info.pid = r->process ? r->process->pid() : 0;
    info.alive = r->alive();
    info.busy = r->busy;
    info.restarts = r->restarts;
    info.rss_bytes = info.alive ? r->process->rss_bytes() : 0;
    if (r->breaker) {
      info.circuit = r->breaker->current();
      info.ejections = r->breaker->ejections();
      info.consecutive_failures = r->breaker->consecutive_failures();
    }
    out.push_back(info);
  }
  return out;
}

}  // namespace maas::runtime
