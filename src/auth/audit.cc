#include "auth/audit.h"

#include <spdlog/spdlog.h>

#include "common/clock.h"

namespace maas::auth {

AuditLog::AuditLog(store::GatewayStore& store, size_t max_queued)
    : store_(store), max_queued_(max_queued), thread_([this] { run(); }) {}

AuditLog::~AuditLog() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

bool AuditLog::is_management_action(const http::Request& req) {
  if (req.method == "GET" || req.method == "HEAD") return false;
  return req.path.rfind("/api/v1/", 0) == 0 || req.path.rfind("/v2/repository/", 0) == 0;
}

void AuditLog::observe(const http::Request& req, int status) {
  if (!is_management_action(req)) return;
  store::AuditRecord record;
  record.at_ms = now_unix_ms();
  record.key_id = req.principal ? req.principal->key_id : "";
  record.actor = req.principal ? req.principal->name : "anonymous";
  record.method = req.method;
  record.path = req.path;
  record.status = status;
  record.request_id = req.request_id;
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= max_queued_) {
      ++dropped_;
      return;
    }
    queue_.push_back(std::move(record));
    ++observed_;
  }
  wake_.notify_one();
}

void AuditLog::flush() {
  std::unique_lock lock(mu_);
  uint64_t target = observed_;
  written_.wait(lock, [&] { return done_ >= target; });
}

uint64_t AuditLog::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

void AuditLog::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty() && stop_) return;
    std::vector<store::AuditRecord> batch(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
    queue_.clear();
    lock.unlock();
    if (auto s = store_.append_audit(batch); !s.ok()) {
      spdlog::error("cannot write {} audit records: {}", batch.size(), s.message());
    }
    lock.lock();
    done_ += batch.size();
    written_.notify_all();
  }
}

}  // namespace maas::auth
