#include "http/connection_table.h"

#include <algorithm>

namespace maas::http {
namespace {

int64_t tick_of(SessionHandle::Clock::time_point t) { return std::max<int64_t>(1, t.time_since_epoch().count()); }

}  // namespace

SessionHandle::SessionHandle(boost::beast::tcp_stream::executor_type loop, std::string client_address,
                             Clock::time_point accepted)
    : executor(std::move(loop)), address(std::move(client_address)), accepted_at(accepted), state_(tick_of(accepted)) {}

bool SessionHandle::mark_idle() {
  int64_t expected = kBusy;
  // Already idle (a new connection): it stays idle since it was accepted, which makes it older than later ones.
  if (state_.compare_exchange_strong(expected, tick_of(Clock::now()))) return true;
  return expected != kEvicted;
}

bool SessionHandle::mark_busy() { return state_.exchange(kBusy) != kEvicted; }

std::optional<SessionHandle::Clock::time_point> SessionHandle::idle_since() const {
  int64_t state = state_.load();
  if (state <= 0) return std::nullopt;
  return Clock::time_point(Clock::duration(state));
}

bool SessionHandle::try_evict(Clock::time_point since) {
  int64_t expected = tick_of(since);
  return state_.compare_exchange_strong(expected, kEvicted);
}

ConnectionTable::Verdict ConnectionTable::admit(const std::shared_ptr<SessionHandle>& handle,
                                                std::shared_ptr<SessionHandle>* evicted) {
  std::lock_guard lock(mu_);
  size_t& from_address = per_address_[handle->address];
  if (max_per_address_ != 0 && from_address >= max_per_address_) return Verdict::kTooManyFromAddress;
  if (sessions_.size() >= max_connections_) {
    *evicted = evict_oldest_idle();
    if (*evicted == nullptr) {
      if (from_address == 0) per_address_.erase(handle->address);
      return Verdict::kFull;
    }
  }
  ++from_address;
  sessions_.insert(handle);
  return Verdict::kAdmitted;
}

void ConnectionTable::remove(const std::shared_ptr<SessionHandle>& handle) {
  std::lock_guard lock(mu_);
  if (sessions_.erase(handle) == 0) return;
  auto it = per_address_.find(handle->address);
  if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
}

size_t ConnectionTable::size() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

std::shared_ptr<SessionHandle> ConnectionTable::evict_oldest_idle() {
  // A scan, not an ordered index: it runs only at the limit, and keeping an order would cost every request a lock.
  // An idle connection may start a request between the scan and the eviction; then the next oldest is tried.
  for (int attempt = 0; attempt < 8; ++attempt) {
    std::shared_ptr<SessionHandle> oldest;
    SessionHandle::Clock::time_point oldest_since = SessionHandle::Clock::time_point::max();
    for (const auto& session : sessions_) {
      auto since = session->idle_since();
      if (since && *since < oldest_since) {
        oldest = session;
        oldest_since = *since;
      }
    }
    if (oldest == nullptr) return nullptr;
    if (oldest->try_evict(oldest_since)) return oldest;
  }
  return nullptr;
}

std::vector<std::shared_ptr<SessionHandle>> ConnectionTable::evict_all_idle() {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<SessionHandle>> out;
  for (const auto& session : sessions_) {
    auto since = session->idle_since();
    if (since && session->try_evict(*since)) out.push_back(session);
  }
  return out;
}

}  // namespace maas::http
