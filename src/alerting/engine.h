// The alerting engine: evaluates each rule group every `interval` (by default evaluation_interval) over maas's own
// metrics and the log center, moves each alert pending -> firing -> resolved (for, keep_firing_for), groups alerts
// by the route's group_by and notifies the route's receiver (webhooks with Alertmanager's payload, e-mail;
// optionally a real Alertmanager's API) honouring group_wait, group_interval, repeat_interval and silences.
//
// Thread-safety: the public methods may be called from any thread. The engine owns two threads: one evaluates,
// one delivers notifications from a bounded queue (a slow receiver never delays evaluation).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "alerting/config.h"
#include "alerting/metric_history.h"
#include "alerting/outbox.h"
#include "logs/log_store.h"
#include "metrics/metrics.h"

namespace maas::alerting {

struct Alert {
  std::string rule;
  std::string fingerprint;
  LabelMap labels;  // alertname, the rule's labels, the series' labels
  LabelMap annotations;
  std::string state;  // "pending", "firing", "resolved"
  double value = 0;
  int64_t active_at_ms = 0;
  int64_t fired_at_ms = 0;
  int64_t resolved_at_ms = 0;
  int64_t last_seen_ms = 0;
};

struct SilenceMatcher {
  std::string name;
  std::string value;
  bool is_regex = false;
  bool is_equal = true;
};

struct Silence {
  std::string id;
  std::vector<SilenceMatcher> matchers;
  int64_t starts_at_ms = 0;
  int64_t ends_at_ms = 0;
  std::string created_by;
  std::string comment;
};

class Engine {
 public:
  // `logs` may be null (rules over log queries then fail to evaluate, which is logged).
  Engine(AlertingConfig config, metrics::Registry& metrics, logs::LogStore* logs);
  ~Engine();

  // Called on every alert state change (for the log center's event records).
  void set_on_transition(std::function<void(const Alert&)> fn) { on_transition_ = std::move(fn); }
  // Starts evaluating. `external_url` (when config has none): this server's URL, for generatorURL and externalURL.
  void start(const std::string& external_url);

  std::vector<Alert> alerts() const;
  // The rules evaluated now: the files' then the API's. A snapshot: later changes do not alter it.
  std::shared_ptr<const std::vector<Rule>> rules() const;
  // Replaces the rules that came through the API (the files' stay). Alerts of rules that are gone resolve.
  void set_managed_rules(std::vector<Rule> rules);
  const std::vector<std::string>& file_groups() const { return config_.file_groups; }
  // INVALID_ARGUMENT for no matchers, a bad regex or an end before the start.
  Result<std::string> add_silence(Silence silence);
  std::vector<Silence> silences() const;
  Status expire_silence(const std::string& id);

 private:
  struct Group {
    LabelMap labels;
    int64_t created_ms = 0;
    int64_t last_sent_ms = 0;
    bool changed = false;
    std::map<std::string, Alert> alerts;  // by fingerprint: firing, and resolved ones not yet reported
  };
  void evaluation_loop();
  // Evaluates the groups that are due; returns how long until the next one is.
  int64_t evaluate(int64_t now_ms);
  Result<Vector> evaluate_rule(const Rule& rule, int64_t now_ms);
  void retire_orphans(const std::vector<Rule>& rules, int64_t now_ms);  // holds mu_
  void transition(Alert& alert, const std::string& state, int64_t now_ms);  // holds mu_
  void notify(int64_t now_ms);                                               // holds mu_
  bool silenced(const Alert& alert, int64_t now_ms) const;                   // holds mu_

  AlertingConfig config_;
  metrics::Registry& metrics_;
  logs::LogStore* logs_;
  metrics::Family<metrics::Counter>& notifications_;
  MetricHistory history_;  // the evaluation thread's
  std::function<void(const Alert&)> on_transition_;

  std::map<std::string, int64_t> next_due_ms_;  // by group name; the evaluation thread's

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool rules_changed_ = false;  // wakes the evaluation thread, so that a new group runs without waiting
  std::shared_ptr<const std::vector<Rule>> rules_;
  std::map<std::string, Alert> alerts_;  // by fingerprint
  std::map<std::string, Group> groups_;  // by group key
  std::vector<Silence> silences_;
  uint64_t next_silence_ = 1;
  std::thread evaluator_;
  // Last: destroyed first (after the evaluator has stopped), so nothing pushes to it once it is gone.
  std::unique_ptr<Outbox> outbox_;
};

// {{ $labels.name }} and {{ $value }} in an annotation.
std::string expand_template(const std::string& text, const LabelMap& labels, double value);

}  // namespace maas::alerting
