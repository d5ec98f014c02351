#include "auth/audit.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "common/clock.h"

namespace maas::auth {

std::string cap_field(std::string text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  // The marker's length depends on the count it names; 32 bytes hold any.
  size_t keep = max_bytes > 32 ? max_bytes - 32 : 0;
  // Back off to the start of a UTF-8 sequence: a cut inside one would store invalid text.
  while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xC0) == 0x80) --keep;
  std::string marker = "…[+" + std::to_string(text.size() - keep) + " bytes]";
  text.resize(keep);
  return text + marker;
}

AuditLog::AuditLog(store::GatewayStore& store, metrics::Registry& metrics, AuditOptions options)
    : store_(store),
      options_(options),
      anonymous_refusals_(metrics.counter("maas_audit_anonymous_refusals_total",
                                          "Management requests without a key that were refused, by route and status "
                                          "(recorded in the audit log at most audit.anonymous_records_per_second)",
                                          {"route", "code"})),
      unrecorded_(metrics.counter("maas_audit_unrecorded_total",
                                  "Management requests left out of the audit log: sampled (a refused request without a "
                                  "key over the recording rate) or queue_full",
                                  {"reason"})),
      deleted_(metrics.counter("maas_audit_records_deleted_total",
                               "Audit records deleted by retention (audit.retention_ms, audit.max_rows)", {})
                   .with({})),
      anonymous_tokens_(std::max(1.0, options.anonymous_per_second)),
      anonymous_refilled_(std::chrono::steady_clock::now()),
      thread_([this] { run(); }) {}

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

bool AuditLog::take_anonymous_token() {
  if (options_.anonymous_per_second <= 0) return false;
  auto now = std::chrono::steady_clock::now();
  double burst = std::max(1.0, options_.anonymous_per_second);
  anonymous_tokens_ = std::min(
      burst, anonymous_tokens_ + std::chrono::duration<double>(now - anonymous_refilled_).count() *
                                     options_.anonymous_per_second);
  anonymous_refilled_ = now;
  if (anonymous_tokens_ < 1) return false;
  anonymous_tokens_ -= 1;
  return true;
}

void AuditLog::observe(const http::Request& req, int status) {
  if (!is_management_action(req)) return;
  // Anyone can send these: each is counted, only a sample is stored, so they cannot fill the table.
  bool anonymous_refusal = !req.principal && status >= 400;
  if (anonymous_refusal) {
    anonymous_refusals_.with({req.route.empty() ? std::string("unmatched") : req.route, std::to_string(status)}).inc();
  }
  store::AuditRecord record;
  record.at_ms = now_unix_ms();
  const size_t max = options_.max_field_bytes;
  record.key_id = cap_field(req.principal ? req.principal->key_id : "", max);
  record.actor = cap_field(req.principal ? req.principal->name : "anonymous", max);
  record.method = cap_field(req.method, max);
  record.path = cap_field(req.path, max);
  record.status = status;
  record.request_id = cap_field(req.request_id, max);
  {
    std::lock_guard lock(mu_);
    if (anonymous_refusal && !take_anonymous_token()) {
      unrecorded_.with({"sampled"}).inc();
      return;
    }
    if (queue_.size() >= options_.max_queued) {
      ++dropped_;
      unrecorded_.with({"queue_full"}).inc();
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

Result<int64_t> AuditLog::enforce_retention() {
  if (options_.retention_ms <= 0 && options_.max_rows <= 0) return int64_t{0};
  int64_t older_than = options_.retention_ms > 0 ? now_unix_ms() - options_.retention_ms : 0;
  MAAS_ASSIGN_OR_RETURN(int64_t deleted, store_.trim_audit(older_than, options_.max_rows));
  deleted_.inc(static_cast<double>(deleted));
  return deleted;
}

void AuditLog::run() {
  auto next_retention = std::chrono::steady_clock::now();
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait_until(lock, next_retention, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty() && stop_) return;
    if (std::chrono::steady_clock::now() >= next_retention) {
      lock.unlock();
      if (auto r = enforce_retention(); !r.ok()) {
        spdlog::error("audit retention failed: {}", r.status().message());
      } else if (*r > 0) {
        spdlog::info("audit retention deleted {} records", *r);
      }
      next_retention = std::chrono::steady_clock::now() + options_.retention_interval;
      lock.lock();
      continue;
    }
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
