// Prometheus metrics: counters, gauges and histograms with labels, rendered in the text exposition format at
// /metrics. Families are registered once at start-up; label children are created on first use.
// Thread-safety: every operation may be called from any thread (children are atomics; the maps take a mutex
// only when a new label combination appears).
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace maas::metrics {

using Labels = std::vector<std::string>;  // values, in the order of the family's label names

class Counter {
 public:
  void inc(double by = 1.0);
  // For counters read from elsewhere (a process's CPU time from /proc). A restarted process starts again from 0,
  // which Prometheus reads as a counter reset, as it should.
  void set_sampled(double total) { value_.store(total, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void add(double by);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Histogram {
 public:
  explicit Histogram(const std::vector<double>* bounds);
  void observe(double v);
  // Cumulative counts per bound, then +Inf; plus sum and count.
  void snapshot(std::vector<uint64_t>* cumulative, double* sum, uint64_t* count) const;

 private:
  const std::vector<double>* bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_->size() + 1
  std::atomic<double> sum_{0.0};
  std::atomic<uint64_t> count_{0};
};

template <typename T>
class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names, std::vector<double> bounds = {})
      : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)), bounds_(std::move(bounds)) {}
  T& with(const Labels& labels);
  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  const std::vector<double>& bounds() const { return bounds_; }
  // Calls fn for each child, under the family's lock.
  void each(const std::function<void(const Labels&, const T&)>& fn) const;
  void remove(const Labels& labels);

 private:
  std::string name_;
  std::string help_;
  std::vector<std::string> label_names_;
  std::vector<double> bounds_;
  mutable std::mutex mu_;
  std::map<Labels, std::unique_ptr<T>> children_;
};

// One sample as a scraper sees it: histograms give their _bucket (with le), _sum and _count series.
struct Sample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;
};

class Registry {
 public:
  Family<Counter>& counter(const std::string& name, const std::string& help, std::vector<std::string> labels);
  Family<Gauge>& gauge(const std::string& name, const std::string& help, std::vector<std::string> labels);
  Family<Histogram>& histogram(const std::string& name, const std::string& help, std::vector<std::string> labels,
                               std::vector<double> bounds);
  // Called before each render to refresh gauges that are sampled (RSS, queue depth).
  void add_collector(std::function<void()> collector);
  std::string render() const;
  // Every sample, as render() writes them (collectors run first); for evaluating rules in-process.
  std::vector<Sample> samples() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Family<Counter>>> counters_;
  std::vector<std::unique_ptr<Family<Gauge>>> gauges_;
  std::vector<std::unique_ptr<Family<Histogram>>> histograms_;
  std::vector<std::function<void()>> collectors_;
};

// Latency buckets in seconds, 100 µs to 60 s.
const std::vector<double>& latency_buckets();

}  // namespace maas::metrics
