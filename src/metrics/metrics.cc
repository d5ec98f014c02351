#include "metrics/metrics.h"

#include <charconv>
#include <cmath>

namespace maas::metrics {
namespace {

void atomic_add(std::atomic<double>& a, double by) {
  double current = a.load(std::memory_order_relaxed);
  while (!a.compare_exchange_weak(current, current + by, std::memory_order_relaxed)) {
  }
}

std::string format_number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  return ec == std::errc() ? std::string(buf, end) : "0";
}

std::string escape_label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string label_text(const std::vector<std::string>& names, const Labels& values, const std::string& extra = "") {
  std::string out;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    out += (out.empty() ? "" : ",") + names[i] + "=\"" + escape_label(values[i]) + "\"";
  }
  if (!extra.empty()) out += (out.empty() ? "" : ",") + extra;
  return out.empty() ? "" : "{" + out + "}";
}

}  // namespace

void Counter::inc(double by) { atomic_add(value_, by); }
void Gauge::add(double by) { atomic_add(value_, by); }

Histogram::Histogram(const std::vector<double>* bounds)
    : bounds_(bounds), buckets_(new std::atomic<uint64_t>[bounds->size() + 1]) {
  for (size_t i = 0; i <= bounds_->size(); ++i) buckets_[i].store(0);
}

void Histogram::observe(double v) {
  size_t i = 0;
  while (i < bounds_->size() && v > (*bounds_)[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  atomic_add(sum_, v);
  count_.fetch_add(1, std::memory_order_relaxed);
}

void Histogram::snapshot(std::vector<uint64_t>* cumulative, double* sum, uint64_t* count) const {
  cumulative->clear();
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_->size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    cumulative->push_back(running);
  }
  *sum = sum_.load(std::memory_order_relaxed);
  *count = running;
}

template <typename T>
T& Family<T>::with(const Labels& labels) {
  std::lock_guard lock(mu_);
  auto it = children_.find(labels);
  if (it != children_.end()) return *it->second;
  std::unique_ptr<T> child;
  if constexpr (std::is_same_v<T, Histogram>) {
    child = std::make_unique<Histogram>(&bounds_);
  } else {
    child = std::make_unique<T>();
  }
  auto& ref = *child;
  children_.emplace(labels, std::move(child));
  return ref;
}

template <typename T>
void Family<T>::each(const std::function<void(const Labels&, const T&)>& fn) const {
  std::lock_guard lock(mu_);
  for (const auto& [labels, child] : children_) fn(labels, *child);
}

template <typename T>
void Family<T>::remove(const Labels& labels) {
  std::lock_guard lock(mu_);
  children_.erase(labels);
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

Family<Counter>& Registry::counter(const std::string& name, const std::string& help, std::vector<std::string> labels) {
  std::lock_guard lock(mu_);
  counters_.push_back(std::make_unique<Family<Counter>>(name, help, std::move(labels)));
  return *counters_.back();
}

Family<Gauge>& Registry::gauge(const std::string& name, const std::string& help, std::vector<std::string> labels) {
  std::lock_guard lock(mu_);
  gauges_.push_back(std::make_unique<Family<Gauge>>(name, help, std::move(labels)));
  return *gauges_.back();
}

Family<Histogram>& Registry::histogram(const std::string& name, const std::string& help,
                                       std::vector<std::string> labels, std::vector<double> bounds) {
  std::lock_guard lock(mu_);
  histograms_.push_back(std::make_unique<Family<Histogram>>(name, help, std::move(labels), std::move(bounds)));
  return *histograms_.back();
}

void Registry::add_collector(std::function<void()> collector) {
  std::lock_guard lock(mu_);
  collectors_.push_back(std::move(collector));
}

std::string Registry::render() const {
  std::vector<std::function<void()>> collectors;
  {
    std::lock_guard lock(mu_);
    collectors = collectors_;
  }
  for (const auto& c : collectors) c();
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& f : counters_) {
    out += "# HELP " + f->name() + " " + f->help() + "\n# TYPE " + f->name() + " counter\n";
    f->each([&](const Labels& l, const Counter& c) {
      out += f->name() + label_text(f->label_names(), l) + " " + format_number(c.value()) + "\n";
    });
  }
  for (const auto& f : gauges_) {
    out += "# HELP " + f->name() + " " + f->help() + "\n# TYPE " + f->name() + " gauge\n";
    f->each([&](const Labels& l, const Gauge& g) {
      out += f->name() + label_text(f->label_names(), l) + " " + format_number(g.value()) + "\n";
    });
  }
  for (const auto& f : histograms_) {
    out += "# HELP " + f->name() + " " + f->help() + "\n# TYPE " + f->name() + " histogram\n";
    f->each([&](const Labels& l, const Histogram& h) {
      std::vector<uint64_t> cumulative;
      double sum = 0;
      uint64_t count = 0;
      h.snapshot(&cumulative, &sum, &count);
      const auto& bounds = f->bounds();
      for (size_t i = 0; i < cumulative.size(); ++i) {
        std::string le = "le=\"" + (i < bounds.size() ? format_number(bounds[i]) : std::string("+Inf")) + "\"";
        out += f->name() + "_bucket" + label_text(f->label_names(), l, le) + " " + std::to_string(cumulative[i]) + "\n";
      }
      out += f->name() + "_sum" + label_text(f->label_names(), l) + " " + format_number(sum) + "\n";
      out += f->name() + "_count" + label_text(f->label_names(), l) + " " + std::to_string(count) + "\n";
    });
  }
  return out;
}

std::vector<Sample> Registry::samples() const {
  std::vector<std::function<void()>> collectors;
  {
    std::lock_guard lock(mu_);
    collectors = collectors_;
  }
  for (const auto& c : collectors) c();
  std::lock_guard lock(mu_);
  std::vector<Sample> out;
  auto labelled = [](const std::vector<std::string>& names, const Labels& values) {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (size_t i = 0; i < names.size() && i < values.size(); ++i) pairs.emplace_back(names[i], values[i]);
    return pairs;
  };
  for (const auto& f : counters_) {
    f->each([&](const Labels& l, const Counter& c) { out.push_back({f->name(), labelled(f->label_names(), l), c.value()}); });
  }
  for (const auto& f : gauges_) {
    f->each([&](const Labels& l, const Gauge& g) { out.push_back({f->name(), labelled(f->label_names(), l), g.value()}); });
  }
  for (const auto& f : histograms_) {
    f->each([&](const Labels& l, const Histogram& h) {
      std::vector<uint64_t> cumulative;
      double sum = 0;
      uint64_t count = 0;
      h.snapshot(&cumulative, &sum, &count);
      auto base = labelled(f->label_names(), l);
      for (size_t i = 0; i < cumulative.size(); ++i) {
        auto with_le = base;
        with_le.emplace_back("le", i < f->bounds().size() ? format_number(f->bounds()[i]) : "+Inf");
        out.push_back({f->name() + "_bucket", std::move(with_le), static_cast<double>(cumulative[i])});
      }
      out.push_back({f->name() + "_sum", base, sum});
      out.push_back({f->name() + "_count", base, static_cast<double>(count)});
    });
  }
  return out;
}

const std::vector<double>& latency_buckets() {
  static const std::vector<double> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                               0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,     10, 30, 60};
  return kBuckets;
}

}  // namespace maas::metrics
