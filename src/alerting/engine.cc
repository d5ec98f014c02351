#include "alerting/engine.h"

#include <charconv>
#include <cstdio>
#include <set>

#include <nlohmann/json.hpp>
#include <re2/re2.h>
#include <spdlog/spdlog.h>

#include "alerting/template.h"
#include "common/clock.h"
#include "logs/query.h"

namespace maas::alerting {
namespace {

using json = nlohmann::json;
// Notifications waiting for the sender; a failed one is tried again after 1 s, 2 s (Alertmanager retries too).
OutboxOptions delivery_options(std::shared_ptr<const OutboundPolicy> outbound) {
  return {1000, 3, std::chrono::milliseconds(1000), std::chrono::seconds(10), std::move(outbound)};
}
constexpr int64_t kHistoryMs = 3'600'000;  // the longest rate() range rules may use

std::string fingerprint(const LabelMap& labels) {
  std::string text;
  for (const auto& [k, v] : labels) text += k + '\xff' + v + '\xff';
  char buf[20];
  std::snprintf(buf, sizeof(buf), "%016zx", std::hash<std::string>{}(text));
  return buf;
}

std::string number_text(double v) {
  char buf[40];
  auto end = std::to_chars(buf, buf + sizeof(buf), v).ptr;
  return std::string(buf, end);
}

json labels_json(const LabelMap& m) {
  json out = json::object();
  for (const auto& [k, v] : m) out[k] = v;
  return out;
}

// The labels (or annotations) every alert of the list shares.
LabelMap common(const std::vector<const Alert*>& alerts, LabelMap Alert::*field) {
  LabelMap out = alerts.front()->*field;
  for (const auto* a : alerts) {
    std::erase_if(out, [&](const auto& kv) {
      auto it = (a->*field).find(kv.first);
      return it == (a->*field).end() || it->second != kv.second;
    });
  }
  return out;
}

}  // namespace

std::string expand_template(const std::string& text, const LabelMap& labels, double value) {
  return render_template(text, [&](std::string_view e) -> std::optional<std::string> {
    if (e == "$value") return number_text(value);
    if (e.rfind("$labels.", 0) == 0) {
      auto it = labels.find(std::string(e.substr(8)));
      return it == labels.end() ? std::string() : it->second;
    }
    return std::nullopt;
  });
}

Engine::Engine(AlertingConfig config, metrics::Registry& metrics, logs::LogStore* logs)
    : config_(std::move(config)),
      metrics_(metrics),
      logs_(logs),
      notifications_(metrics.counter("maas_alert_notifications_total",
                                     "Alert notifications by receiver, integration and result (success; failure: an attempt failed; abandoned: no attempts left; dropped: the outbox was full)",
                                     {"receiver", "integration", "result"})),
      history_(kHistoryMs),
      rules_(std::make_shared<const std::vector<Rule>>(config_.rules)),
      outbox_(std::make_unique<Outbox>(delivery_options(config_.outbound), notifications_)) {
  auto& alerts = metrics.gauge("maas_alerts", "Alerts by state", {"state"});
  metrics.add_collector([this, &alerts] {
    std::map<std::string, double> counts{{"pending", 0}, {"firing", 0}};
    std::lock_guard lock(mu_);
    for (const auto& [fp, a] : alerts_) counts[a.state] += 1;
    for (const auto& [state, n] : counts) alerts.with({state}).set(n);
  });
}

void Engine::start(const std::string& external_url) {
  if (config_.external_url.empty()) config_.external_url = external_url;
  evaluator_ = std::thread([this] { evaluation_loop(); });
}

Engine::~Engine() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (evaluator_.joinable()) evaluator_.join();
}

void Engine::evaluation_loop() {
  std::unique_lock lock(mu_);
  int64_t wait_ms = 0;  // the groups' schedules start now
  for (;;) {
    cv_.wait_for(lock, std::chrono::milliseconds(wait_ms), [this] { return stop_ || rules_changed_; });
    if (stop_) return;
    rules_changed_ = false;
    lock.unlock();
    wait_ms = evaluate(now_unix_ms());
    lock.lock();
  }
}

Result<Vector> Engine::evaluate_rule(const Rule& rule, int64_t now_ms) {
  const RuleExpression& e = *rule.expr;
  Vector v;
  if (e.log_query) {
    if (logs_ == nullptr) return failed_precondition("no log store");
    logs::QueryParams p;
    p.start_ns = p.end_ns = now_ms * 1'000'000;
    MAAS_ASSIGN_OR_RETURN(auto r, logs::run_query(*logs_, *e.log_query, p));
    for (const auto& s : r.series) v.push_back({LabelMap(s.metric.begin(), s.metric.end()), s.points.back().second});
  } else {
    MAAS_ASSIGN_OR_RETURN(v, history_.evaluate(*e.metric));
  }
  if (e.comparison) std::erase_if(v, [&](const VectorSample& s) { return !e.comparison->passes(s.value); });
  return v;
}

std::shared_ptr<const std::vector<Rule>> Engine::rules() const {
  std::lock_guard lock(mu_);
  return rules_;
}

void Engine::set_managed_rules(std::vector<Rule> rules) {
  auto all = std::make_shared<std::vector<Rule>>(config_.rules);
  for (auto& r : rules) all->push_back(std::move(r));
  {
    std::lock_guard lock(mu_);
    rules_ = std::move(all);
    rules_changed_ = true;
  }
  cv_.notify_all();
}

void Engine::retire_orphans(const std::vector<Rule>& rules, int64_t now_ms) {
  std::set<std::string> names;
  for (const auto& r : rules) names.insert(r.alert);
  for (auto it = alerts_.begin(); it != alerts_.end();) {
    Alert& a = it->second;
    if (names.count(a.rule)) {
      ++it;
    } else if (a.state == "firing") {
      a.resolved_at_ms = now_ms;
      transition(a, "resolved", now_ms);  // receivers hear that it ended; notify() then forgets it
      ++it;
    } else if (a.state == "pending") {
      it = alerts_.erase(it);
    } else {
      ++it;
    }
  }
}

int64_t Engine::evaluate(int64_t now_ms) {
  auto rules = this->rules();
  {
    std::lock_guard lock(mu_);
    retire_orphans(*rules, now_ms);
  }
  // Without rules there is nothing to keep history for (a server without alerting pays nothing).
  if (rules->empty()) {
    next_due_ms_.clear();
    std::lock_guard lock(mu_);
    notify(now_ms);
    return config_.evaluation_interval_ms;
  }
  // Each group runs on its own interval, as Prometheus's do; a group seen for the first time is due at once.
  std::map<std::string, int64_t> next_due;
  std::set<std::string> due;
  for (const auto& rule : *rules) {
    auto known = next_due_ms_.find(rule.group);
    int64_t at = known == next_due_ms_.end() ? now_ms : known->second;
    if (at <= now_ms) {
      due.insert(rule.group);
      at = now_ms + (rule.group_interval_ms > 0 ? rule.group_interval_ms : config_.evaluation_interval_ms);
    }
    next_due[rule.group] = at;
  }
  next_due_ms_ = std::move(next_due);
  history_.add(now_ms, metrics_.samples());
  for (const auto& rule : *rules) {
    if (!due.count(rule.group)) continue;
    auto result = evaluate_rule(rule, now_ms);
    if (!result.ok()) {
      spdlog::warn("alert rule {}: {}", rule.alert, result.status().message());
      continue;
    }
    if (rule.group_limit > 0 && result->size() > rule.group_limit) {
      // Prometheus's limit: the rule's alerts are dropped as if it had returned nothing.
      spdlog::warn("alert rule {}: {} alerts exceed its group's limit of {}; none are kept", rule.alert, result->size(),
                   rule.group_limit);
      result->clear();
    }
    std::lock_guard lock(mu_);
    std::set<std::string> active;
    for (const auto& sample : *result) {
      LabelMap labels = sample.labels;
      for (const auto& [k, v] : rule.labels) labels[k] = expand_template(v, sample.labels, sample.value);
      labels["alertname"] = rule.alert;
      std::string fp = fingerprint(labels);
      active.insert(fp);
      auto [it, inserted] = alerts_.try_emplace(fp);
      Alert& a = it->second;
      if (inserted) {
        a.rule = rule.alert;
        a.fingerprint = fp;
        a.labels = labels;
        a.active_at_ms = now_ms;
        transition(a, "pending", now_ms);
      }
      a.value = sample.value;
      a.last_seen_ms = now_ms;
      a.annotations.clear();
      for (const auto& [k, v] : rule.annotations) a.annotations[k] = expand_template(v, sample.labels, sample.value);
      if (a.state == "pending" && now_ms - a.active_at_ms >= rule.for_ms) {
        a.fired_at_ms = now_ms;
        transition(a, "firing", now_ms);
      }
    }
    for (auto it = alerts_.begin(); it != alerts_.end();) {
      Alert& a = it->second;
      bool gone = a.rule == rule.alert && !active.count(it->first);
      if (gone && a.state == "firing" && now_ms - a.last_seen_ms >= rule.keep_firing_for_ms) {
        a.resolved_at_ms = now_ms;
        transition(a, "resolved", now_ms);
      }
      it = gone && (a.state != "firing") ? alerts_.erase(it) : std::next(it);
    }
  }
  {
    std::lock_guard lock(mu_);
    notify(now_ms);
  }
  int64_t next_ms = INT64_MAX;
  for (const auto& [group, at] : next_due_ms_) next_ms = std::min(next_ms, at);
  return std::max<int64_t>(next_ms - now_unix_ms(), 0);
}

void Engine::transition(Alert& a, const std::string& state, int64_t now_ms) {
  a.state = state;
  if (state != "pending") {
    // Firing and resolved alerts are what receivers hear about: file them in their group.
    LabelMap group_labels;
    for (const auto& name : config_.route.group_by) {
      auto it = a.labels.find(name);
      if (it != a.labels.end()) group_labels[name] = it->second;
    }
    auto [git, inserted] = groups_.try_emplace(fingerprint(group_labels));
    if (inserted) {
      git->second.labels = group_labels;
      git->second.created_ms = now_ms;
    }
    git->second.alerts[a.fingerprint] = a;
    git->second.changed = true;
  }
  if (on_transition_) on_transition_(a);
}

bool Engine::silenced(const Alert& a, int64_t now_ms) const {
  for (const auto& s : silences_) {
    if (now_ms < s.starts_at_ms || now_ms >= s.ends_at_ms) continue;
    bool all = true;
    for (const auto& m : s.matchers) {
      auto it = a.labels.find(m.name);
      std::string v = it == a.labels.end() ? "" : it->second;
      bool match = m.is_regex ? RE2::FullMatch(v, RE2("^(?:" + m.value + ")$")) : v == m.value;
      all = all && (match == m.is_equal);
    }
    if (all) return true;
  }
  return false;
}

void Engine::notify(int64_t now_ms) {
  const Receiver* receiver = nullptr;
  for (const auto& r : config_.receivers) {
    if (r.name == config_.route.receiver) receiver = &r;
  }
  for (auto it = groups_.begin(); it != groups_.end();) {
    Group& g = it->second;
    std::vector<const Alert*> report;
    bool firing = false;
    for (auto& [fp, a] : g.alerts) {
      auto live = alerts_.find(fp);
      if (live != alerts_.end()) a = live->second;  // the latest value and annotations
      if (silenced(a, now_ms)) continue;
      report.push_back(&a);
      firing = firing || a.state == "firing";
    }
    bool due = g.changed ? now_ms - (g.last_sent_ms ? g.last_sent_ms : g.created_ms) >=
                               (g.last_sent_ms ? config_.route.group_interval_ms : config_.route.group_wait_ms)
                         : firing && now_ms - g.last_sent_ms >= config_.route.repeat_interval_ms;
    if (due && !report.empty()) {
      json alerts = json::array();
      json forwarded = json::array();
      for (const auto* a : report) {
        json one = {{"status", a->state == "firing" ? "firing" : "resolved"},
                    {"labels", labels_json(a->labels)},
                    {"annotations", labels_json(a->annotations)},
                    {"startsAt", format_rfc3339_ms(a->fired_at_ms)},
                    {"endsAt", a->state == "firing" ? "0001-01-01T00:00:00Z" : format_rfc3339_ms(a->resolved_at_ms)},
                    {"generatorURL", config_.external_url + "/api/v1/alerts"},
                    {"fingerprint", a->fingerprint}};
        forwarded.push_back({{"labels", one["labels"]}, {"annotations", one["annotations"]},
                             {"startsAt", one["startsAt"]}, {"generatorURL", one["generatorURL"]}});
        if (a->state != "firing") forwarded.back()["endsAt"] = one["endsAt"];
        alerts.push_back(std::move(one));
      }
      LabelMap common_labels = common(report, &Alert::labels);
      json payload = {{"version", "4"},
                      {"groupKey", "{}:" + labels_json(g.labels).dump()},
                      {"truncatedAlerts", 0},
                      {"status", firing ? "firing" : "resolved"},
                      {"receiver", config_.route.receiver},
                      {"groupLabels", labels_json(g.labels)},
                      {"commonLabels", labels_json(common_labels)},
                      {"commonAnnotations", labels_json(common(report, &Alert::annotations))},
                      {"externalURL", config_.external_url},
                      {"alerts", alerts}};
      std::string body = payload.dump();
      if (receiver != nullptr) {
        for (const auto& w : receiver->webhooks) outbox_->push({receiver->name, "webhook", w.url, {}, "", body});
        std::string subject = std::string("[") + (firing ? "FIRING" : "RESOLVED") + ":" +
                              std::to_string(report.size()) + "] " + common_labels["alertname"];
        for (const auto& e : receiver->emails) {
          outbox_->push({receiver->name, "email", "", e, subject, payload.dump(2)});
        }
      }
      if (!config_.alertmanager_url.empty()) {
        outbox_->push({"alertmanager", "alertmanager", config_.alertmanager_url + "/api/v2/alerts", {}, "", forwarded.dump()});
      }
      g.last_sent_ms = now_ms;
      g.changed = false;
    } else if (due) {
      g.changed = false;  // everything silenced: nothing to say
    }
    if (!g.changed) std::erase_if(g.alerts, [](const auto& kv) { return kv.second.state == "resolved"; });
    it = g.alerts.empty() ? groups_.erase(it) : std::next(it);
  }
  std::erase_if(alerts_, [](const auto& kv) { return kv.second.state == "resolved"; });
}

std::vector<Alert> Engine::alerts() const {
  std::lock_guard lock(mu_);
  std::vector<Alert> out;
  for (const auto& [fp, a] : alerts_) out.push_back(a);
  return out;
}

Result<std::string> Engine::add_silence(Silence s) {
  if (s.matchers.empty()) return invalid_argument("a silence needs at least one matcher");
  for (const auto& m : s.matchers) {
    if (m.is_regex && !RE2("^(?:" + m.value + ")$").ok()) {
      return invalid_argument("matcher '" + m.name + "': invalid regular expression");
    }
  }
  if (s.ends_at_ms <= s.starts_at_ms) return invalid_argument("endsAt must be after startsAt");
  std::lock_guard lock(mu_);
  s.id = "s" + std::to_string(next_silence_++);
  silences_.push_back(s);
  return s.id;
}

std::vector<Silence> Engine::silences() const {
  std::lock_guard lock(mu_);
  return silences_;
}

Status Engine::expire_silence(const std::string& id) {
  std::lock_guard lock(mu_);
  for (auto& s : silences_) {
    if (s.id == id) {
      s.ends_at_ms = std::min(s.ends_at_ms, now_unix_ms());
      return {};
    }
  }
  return not_found("no silence '" + id + "'");
}

}  // namespace maas::alerting
