#include "gateway/quota.h"

#include <ctime>

#include <spdlog/spdlog.h>

#include "common/clock.h"

namespace maas::gateway {
namespace {

std::tm utc(int64_t unix_ms) {
  std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}

// Seconds until the next UTC midnight (day) or the first of next month.
int64_t seconds_until_reset(int64_t now_ms, bool month) {
  std::tm tm = utc(now_ms);
  tm.tm_hour = 0;
  tm.tm_min = 0;
  tm.tm_sec = 0;
  if (month) {
    tm.tm_mday = 1;
    tm.tm_mon += 1;
  } else {
    tm.tm_mday += 1;
  }
  return static_cast<int64_t>(timegm(&tm)) - now_ms / 1000;
}

}  // namespace

std::string QuotaTracker::day_period(int64_t unix_ms) {
  std::tm tm = utc(unix_ms);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "day:%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buf;
}

std::string QuotaTracker::month_period(int64_t unix_ms) {
  std::tm tm = utc(unix_ms);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "month:%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
  return buf;
}

QuotaTracker::QuotaTracker(store::GatewayStore& store, std::chrono::milliseconds flush_interval)
    : store_(store), flush_interval_(flush_interval), thread_([this] { run(); }) {}

QuotaTracker::~QuotaTracker() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
  flush();
}

QuotaTracker::Count& QuotaTracker::count_locked(const std::string& key_id, const std::string& period) {
  auto key = std::make_pair(key_id, period);
  auto it = counts_.find(key);
  if (it == counts_.end()) {
    Count c;
    if (auto stored = store_.usage(key_id, period); stored.ok()) {
      c.requests = stored->first;
      c.tokens = stored->second;
    } else {
      spdlog::error("cannot read the usage of key {}: {}", key_id, stored.status().message());
    }
    it = counts_.emplace(key, c).first;
  }
  return it->second;
}

Status QuotaTracker::admit(const http::Principal& who) {
  if (who.daily_requests <= 0 && who.monthly_requests <= 0 && who.monthly_tokens <= 0) return {};
  int64_t now = now_unix_ms();
  std::string day = day_period(now), month = month_period(now);
  std::lock_guard lock(mu_);
  Count& d = count_locked(who.key_id, day);
  Count& m = count_locked(who.key_id, month);
  auto refuse = [&](const std::string& what, int64_t limit, bool monthly) {
    return resource_exhausted("the key " + who.key_id + " used its " + what + " quota of " + std::to_string(limit) +
                              "; it resets in " + std::to_string(seconds_until_reset(now, monthly)) + " s (UTC)");
  };
  if (who.daily_requests > 0 && d.requests >= who.daily_requests) return refuse("daily request", who.daily_requests, false);
  if (who.monthly_requests > 0 && m.requests >= who.monthly_requests) {
    return refuse("monthly request", who.monthly_requests, true);
  }
  if (who.monthly_tokens > 0 && m.tokens >= who.monthly_tokens) return refuse("monthly token", who.monthly_tokens, true);
  d.requests += 1;
  m.requests += 1;
  pending_[{who.key_id, day}].requests += 1;
  pending_[{who.key_id, month}].requests += 1;
  return {};
}

void QuotaTracker::add_tokens(const http::Principal& who, int64_t tokens) {
  if (tokens <= 0) return;
  int64_t now = now_unix_ms();
  std::string month = month_period(now);
  std::lock_guard lock(mu_);
  count_locked(who.key_id, month).tokens += tokens;
  pending_[{who.key_id, month}].tokens += tokens;
}

void QuotaTracker::flush() {
  std::map<std::pair<std::string, std::string>, Count> batch;
  {
    std::lock_guard lock(mu_);
    batch.swap(pending_);
  }
  if (batch.empty()) return;
  std::vector<store::UsageDelta> deltas;
  for (const auto& [key, c] : batch) deltas.push_back({key.first, key.second, c.requests, c.tokens});
  if (auto s = store_.add_usage(deltas); !s.ok()) {
    spdlog::error("cannot write key usage: {}", s.message());
    std::lock_guard lock(mu_);
    for (const auto& [key, c] : batch) {
      pending_[key].requests += c.requests;
      pending_[key].tokens += c.tokens;
    }
  }
}

void QuotaTracker::run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    wake_.wait_for(lock, flush_interval_, [this] { return stop_; });
    lock.unlock();
    flush();
    lock.lock();
  }
}

}  // namespace maas::gateway
