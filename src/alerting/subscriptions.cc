#include "alerting/subscriptions.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "alerting/transport.h"
#include "common/clock.h"
#include "common/files.h"
#include "common/random.h"

namespace maas::alerting {
namespace {

using json = nlohmann::json;
constexpr size_t kMaxFileBytes = 16ull << 20;

json labels_json(const logs::LabelSet& labels) {
  json out = json::object();
  for (const auto& [k, v] : labels.pairs()) out[k] = v;
  return out;
}

}  // namespace

Subscriptions::Subscriptions(SubscriptionOptions options, logs::LogCenter& center, metrics::Registry& metrics)
    : options_(std::move(options)),
      center_(center),
      deliveries_(metrics.counter("maas_subscription_deliveries_total",
                                  "Subscription messages by subscription id, integration and result (success; failure: "
                                  "an attempt failed; abandoned: no attempts left; dropped: the outbox was full)",
                                  {"subscription", "integration", "result"})),
      dropped_records_(metrics.counter("maas_subscription_records_dropped_total",
                                       "Matching records a subscription dropped because its queue was full",
                                       {"subscription"})) {}

Result<std::unique_ptr<Subscriptions>> Subscriptions::open(SubscriptionOptions options, logs::LogCenter& center,
                                                           metrics::Registry& metrics) {
  std::unique_ptr<Subscriptions> subs(new Subscriptions(std::move(options), center, metrics));
  std::error_code ec;
  if (std::filesystem::exists(subs->options_.file, ec)) {
    MAAS_ASSIGN_OR_RETURN(std::string text, read_file(subs->options_.file, kMaxFileBytes));
    json root = json::parse(text, nullptr, false);
    auto list = root.is_object() ? root.find("subscriptions") : root.end();
    if (!root.is_object() || list == root.end() || !list->is_array()) {
      return invalid_argument(subs->options_.file.string() + ": needs a 'subscriptions' list");
    }
    std::lock_guard lock(subs->mu_);
    for (const auto& j : *list) {
      auto s = parse_subscription(j, /*stored=*/true);
      if (!s.ok()) return invalid_argument(subs->options_.file.string() + ": " + s.status().message());
      subs->start(*s);
    }
  }
  subs->dispatcher_ = std::thread([p = subs.get()] { p->dispatch_loop(); });
  subs->sender_ = std::thread([p = subs.get()] { p->sender_loop(); });
  return subs;
}

Subscriptions::~Subscriptions() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (dispatcher_.joinable()) dispatcher_.join();
  if (sender_.joinable()) sender_.join();
}

void Subscriptions::start(const Subscription& s) {
  auto live = std::make_shared<Live>();
  live->sub = s;
  live->tail = center_.subscribe(s.matcher, options_.max_pending_records);
  subs_[s.id] = std::move(live);
}

Status Subscriptions::save(const std::map<std::string, std::shared_ptr<Live>>& subs) {
  json list = json::array();
  for (const auto& [id, live] : subs) list.push_back(subscription_json(live->sub));
  MAAS_RETURN_IF_ERROR(ensure_directory(options_.file.parent_path()));
  return write_file_atomic(options_.file, json{{"subscriptions", list}}.dump(2) + "\n");
}

Result<Subscription> Subscriptions::create(Subscription s) {
  std::lock_guard write(write_mu_);
  std::map<std::string, std::shared_ptr<Live>> next;
  {
    std::lock_guard lock(mu_);
    next = subs_;
  }
  if (next.size() >= options_.max_subscriptions) {
    return resource_exhausted("at most " + std::to_string(options_.max_subscriptions) + " subscriptions");
  }
  s.id = "sub_" + random_hex(8);
  s.created_at_ms = now_unix_ms();
  auto pending = std::make_shared<Live>();
  pending->sub = s;
  next[s.id] = pending;
  // Stored before it starts: a subscription the API acknowledged survives a restart.
  MAAS_RETURN_IF_ERROR(save(next));
  std::lock_guard lock(mu_);
  start(s);
  return s;
}

std::vector<Subscription> Subscriptions::list() const {
  std::lock_guard lock(mu_);
  std::vector<Subscription> out;
  for (const auto& [id, live] : subs_) out.push_back(live->sub);
  return out;
}

Result<Subscription> Subscriptions::get(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = subs_.find(id);
  if (it == subs_.end()) return not_found("subscription '" + id + "' does not exist");
  return it->second->sub;
}

Status Subscriptions::remove(const std::string& id) {
  std::lock_guard write(write_mu_);
  std::map<std::string, std::shared_ptr<Live>> next;
  {
    std::lock_guard lock(mu_);
    next = subs_;
  }
  if (!next.erase(id)) return not_found("subscription '" + id + "' does not exist");
  MAAS_RETURN_IF_ERROR(save(next));
  std::lock_guard lock(mu_);
  subs_.erase(id);  // its tail subscription ends with it; queued messages still go out
  return {};
}

void Subscriptions::dispatch_loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    int64_t now = now_unix_ms();
    for (auto& [id, live] : subs_) gather(*live, now);
    cv_.wait_for(lock, options_.tick, [this] { return stop_; });
  }
}

void Subscriptions::gather(Live& live, int64_t now_ms) {
  uint64_t lost = 0;
  for (auto& item : live.tail->take(&lost)) live.pending.push_back(std::move(item));
  while (live.pending.size() > options_.max_pending_records) {
    live.pending.pop_front();
    ++lost;
  }
  if (lost > 0) {
    live.dropped += lost;
    dropped_records_.with({live.sub.id}).inc(static_cast<double>(lost));
  }
  if (live.pending.empty() || now_ms < live.next_send_ms) return;
  const Subscription& s = live.sub;
  json records = json::array();
  std::string text;
  size_t n = std::min(live.pending.size(), options_.max_batch_records);
  for (size_t i = 0; i < n; ++i) {
    const auto& item = live.pending[i];
    std::string message = render_message(s, item.labels, item.ts_ns, item.line);
    text += message + "\n";
    records.push_back({{"time", format_rfc3339_ms(item.ts_ns / 1'000'000)},
                       {"ts", std::to_string(item.ts_ns)},
                       {"labels", labels_json(item.labels)},
                       {"line", item.line},
                       {"message", std::move(message)}});
  }
  live.pending.erase(live.pending.begin(), live.pending.begin() + static_cast<std::ptrdiff_t>(n));
  live.next_send_ms = now_ms + s.min_interval_ms;
  Delivery d;
  d.subscription_id = s.id;
  d.integration = s.webhook ? "webhook" : "email";
  if (s.webhook) {
    d.webhook = *s.webhook;
    json body = {{"version", "1"},
                 {"subscription", {{"id", s.id}, {"name", s.name}, {"source", s.source}}},
                 {"records", std::move(records)},
                 {"dropped", live.dropped},
                 {"text", text}};
    d.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  } else {
    d.email = *s.email;
    d.subject = "[maas] " + s.name + ": " + std::to_string(n) + " new record" + (n == 1 ? "" : "s");
    d.body = live.dropped > 0 ? text + "(" + std::to_string(live.dropped) + " records dropped)\n" : text;
  }
  live.dropped = 0;
  if (outbox_.size() >= options_.max_outbox) {
    deliveries_.with({d.subscription_id, d.integration, "dropped"}).inc();
    return;
  }
  outbox_.push_back(std::move(d));
  cv_.notify_all();
}

void Subscriptions::sender_loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    int64_t now = now_unix_ms();
    auto due = std::find_if(outbox_.begin(), outbox_.end(), [now](const Delivery& d) { return d.not_before_ms <= now; });
    if (due == outbox_.end()) {
      int64_t earliest = INT64_MAX;
      for (const auto& d : outbox_) earliest = std::min(earliest, d.not_before_ms);
      if (earliest == INT64_MAX) {
        cv_.wait(lock);
      } else {
        cv_.wait_for(lock, std::chrono::milliseconds(earliest - now));
      }
      continue;
    }
    Delivery d = std::move(*due);
    outbox_.erase(due);
    lock.unlock();
    deliver(std::move(d));
    lock.lock();
  }
}

void Subscriptions::deliver(Delivery d) {
  Status s = d.integration == "email"
                 ? send_mail(d.email.smarthost, d.email.from, d.email.to, d.subject, d.body, options_.timeout)
                 : post_json(d.webhook.url, d.body, options_.timeout);
  ++d.attempts;
  if (s.ok()) {
    deliveries_.with({d.subscription_id, d.integration, "success"}).inc();
    return;
  }
  deliveries_.with({d.subscription_id, d.integration, "failure"}).inc();
  std::lock_guard lock(mu_);
  if (d.attempts >= options_.max_attempts || outbox_.size() >= options_.max_outbox || !subs_.count(d.subscription_id)) {
    deliveries_.with({d.subscription_id, d.integration, "abandoned"}).inc();
    spdlog::warn("subscription {}: gave up a {} delivery after {} attempts: {}", d.subscription_id, d.integration,
                 d.attempts, s.message());
    return;
  }
  d.not_before_ms = now_unix_ms() + options_.first_retry.count() * (int64_t{1} << (d.attempts - 1));
  outbox_.push_back(std::move(d));
  cv_.notify_all();
}

}  // namespace maas::alerting
