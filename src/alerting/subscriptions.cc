#include "alerting/subscriptions.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "common/files.h"
#include "common/json_parse.h"
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
                                       {"subscription"})) {
  outbox_ = std::make_unique<Outbox>(options_.delivery, deliveries_, [this](const std::string& id) {
    std::lock_guard lock(mu_);
    return subs_.count(id) > 0;  // a removed subscription's retries are abandoned
  });
}

Result<std::unique_ptr<Subscriptions>> Subscriptions::open(SubscriptionOptions options, logs::LogCenter& center,
                                                           metrics::Registry& metrics) {
  std::unique_ptr<Subscriptions> subs(new Subscriptions(std::move(options), center, metrics));
  std::error_code ec;
  if (std::filesystem::exists(subs->options_.file, ec)) {
    MAAS_ASSIGN_OR_RETURN(std::string text, read_file(subs->options_.file, kMaxFileBytes));
    json root = parse_json_or(text, json());
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
  return subs;
}

Subscriptions::~Subscriptions() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (dispatcher_.joinable()) dispatcher_.join();
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
  // Judged when created (a 400 now); its deliveries are judged again on the addresses the host resolves to.
  if (const auto& policy = options_.delivery.outbound) {
    if (s.webhook) MAAS_RETURN_IF_ERROR(check_webhook_destination(s.webhook->url, *policy, "webhook.url"));
    if (s.email) MAAS_RETURN_IF_ERROR(check_smarthost_destination(s.email->smarthost, *policy, "email.smarthost"));
  }
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
  OutgoingMessage m;
  m.owner = s.id;
  m.integration = s.webhook ? "webhook" : "email";
  if (s.webhook) {
    m.url = s.webhook->url;
    json body = {{"version", "1"},
                 {"subscription", {{"id", s.id}, {"name", s.name}, {"source", s.source}}},
                 {"records", std::move(records)},
                 {"dropped", live.dropped},
                 {"text", text}};
    m.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  } else {
    m.email = *s.email;
    m.subject = "[maas] " + s.name + ": " + std::to_string(n) + " new record" + (n == 1 ? "" : "s");
    m.body = live.dropped > 0 ? text + "(" + std::to_string(live.dropped) + " records dropped)\n" : text;
  }
  live.dropped = 0;
  outbox_->push(std::move(m));
}

}  // namespace maas::alerting
